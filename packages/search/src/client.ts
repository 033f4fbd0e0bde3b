import { Client, errors } from '@elastic/elasticsearch';
import { PermanentError, RetryableError } from '@gazette/errors';

export interface CreateClientOptions {
  url: string;
  /** Per-request timeout. */
  requestTimeoutMs?: number;
}

/** An Elasticsearch client with Gazette's defaults: fail fast, let the queue retry. */
export function createSearchClient(options: CreateClientOptions): Client {
  return new Client({
    node: options.url,
    requestTimeout: options.requestTimeoutMs ?? 30_000,
    maxRetries: 1,
  });
}

const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);

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
 * True when the cluster answers a health request. (`ping()` uses `HEAD /`,
 * which a node without the rest-root module does not serve.)
 */
export async function isSearchUp(client: Client): Promise<boolean> {
  try {
    const health = await client.cluster.health({ timeout: '2s' }, { requestTimeout: 3_000, maxRetries: 0 });
    return health.status !== 'red';
  } catch {
    return false;
  }
}
