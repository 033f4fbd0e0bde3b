import { Client, errors } from '@elastic/elasticsearch';
import { PermanentError, RetryableError } from '@gazette/errors';
import { writeRefusal } from './write-probe.ts';

export interface CreateClientOptions {
  /** One node URL, or several comma-separated (a cluster): requests go round-robin and a failed one is retried on another node. */
  url: string;
  /** Per-request timeout. */
  requestTimeoutMs?: number;
}

/** An Elasticsearch client with Gazette's defaults: fail fast, let the queue retry. */
export function createSearchClient(options: CreateClientOptions): Client {
  const nodes = parseNodeUrls(options.url);
  return new Client({
    nodes,
    requestTimeout: options.requestTimeoutMs ?? 30_000,
    // One retry on a single node; on a cluster enough to reach every other node once.
    maxRetries: Math.max(1, nodes.length - 1),
    // A node that stops answering is set aside and tried again later (with growing delays); not by
    // pinging `HEAD /`, which a node without the rest-root module does not serve.
    resurrectStrategy: 'optimistic',
  });
}

/** The node URLs of `ELASTICSEARCH_URL` (one URL, or several comma-separated). */
export function parseNodeUrls(value: string): string[] {
  const nodes = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (nodes.length === 0) throw new TypeError('ELASTICSEARCH_URL names no node');
  for (const node of nodes) {
    const url = new URL(node);
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new TypeError(`ELASTICSEARCH_URL: ${node} is not an http(s) URL`);
  }
  return nodes;
}

const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);

/** Elasticsearch answered that the index or alias asked for does not exist (no indexer has created it yet). */
export function isIndexMissing(error: unknown): boolean {
  return (
    error instanceof errors.ResponseError &&
    (error.body as { error?: { type?: string } } | undefined)?.error?.type === 'index_not_found_exception'
  );
}

/** Maps an Elasticsearch client error onto Gazette's retryable / permanent taxonomy, keeping the cause. */
export function classifySearchError(error: unknown, what: string): RetryableError | PermanentError {
  if (
    error instanceof errors.ConnectionError ||
    error instanceof errors.TimeoutError ||
    error instanceof errors.NoLivingConnectionsError
  ) {
    return new RetryableError(
      'es-unavailable',
      `${what}: Elasticsearch is unreachable (${error.message}); will retry`,
      {
        cause: error,
      },
    );
  }
  if (error instanceof errors.ResponseError) {
    const status = error.statusCode ?? 0;
    const type = (error.body as { error?: { type?: string } } | undefined)?.error?.type;
    const refusal = writeRefusal(type, status);
    if (refusal) {
      return new RetryableError(
        refusal,
        `${what}: Elasticsearch refuses writes (${status} ${type ?? ''}); will retry`,
        {
          cause: error,
        },
      );
    }
    if (RETRYABLE_STATUS.has(status)) {
      return new RetryableError(`es-${status}`, `${what}: Elasticsearch answered ${status}; will retry`, {
        cause: error,
      });
    }
    return new PermanentError(
      `es-${status}`,
      `${what}: Elasticsearch rejected the request (${status}): ${error.message}`,
      {
        cause: error,
      },
    );
  }
  return new RetryableError('es-error', `${what}: ${error instanceof Error ? error.message : String(error)}`, {
    cause: error,
  });
}

/**
 * The health of one index or alias, or `missing` when it does not exist (yet). Only that index
 * counts: a red index of someone else's in a shared cluster says nothing about Gazette's. Rejects
 * when Elasticsearch does not answer.
 */
export async function indexHealth(client: Client, index: string): Promise<'green' | 'yellow' | 'red' | 'missing'> {
  // timeout 0s: no waiting for an index that does not exist, which answers 408.
  const health = await client.cluster.health(
    { index, timeout: '0s' },
    { requestTimeout: 3_000, maxRetries: 0, ignore: [408] },
  );
  if (health.timed_out) return 'missing';
  return String(health.status).toLowerCase() as 'green' | 'yellow' | 'red';
}

/**
 * True when the cluster answers a health request (`ping()` uses `HEAD /`, which a node without the
 * rest-root module does not serve) and is not red. With `index` (an index or alias), only that
 * index's health counts (see {@link indexHealth}), and an index not created yet counts as up: the
 * write probe's own canary or another application's index being red must not hold indexing back.
 */
export async function isSearchUp(client: Client, index?: string): Promise<boolean> {
  try {
    if (index !== undefined) return (await indexHealth(client, index)) !== 'red';
    const health = await client.cluster.health({ timeout: '2s' }, { requestTimeout: 3_000, maxRetries: 0 });
    return health.status !== 'red';
  } catch {
    return false;
  }
}
