import type { Agent } from 'undici';
import { discard, readBody } from './body-reader.ts';
import { classifyError, FetchFailure, message, reasonForStatus } from './failure.ts';
import { createGuardedAgent } from './guarded-agent.ts';
import { createNetworkGuard, type NetworkGuard } from './guard.ts';
import { parseRetryAfter, type FetchOutcome, type ReasonCode } from './outcome.ts';

export const DEFAULT_USER_AGENT = 'GazetteBot/0.1 (+https://github.com/gazette)';

/** Media types a crawler of news pages, feeds, sitemaps and robots.txt needs. */
export const DEFAULT_CONTENT_TYPES: readonly string[] = [
  'text/html',
  'application/xhtml+xml',
  'application/xml',
  'text/xml',
  'application/rss+xml',
  'application/atom+xml',
  'application/rdf+xml',
  'application/feed+json',
  'application/json',
  'text/plain',
];

export interface FetcherOptions {
  userAgent?: string;
  /** TCP (and TLS) connect timeout per connection. Default 10 s. */
  connectTimeoutMs?: number;
  /** From request sent to response headers received. Default 15 s. */
  headersTimeoutMs?: number;
  /** Whole fetch, all redirect hops and the body included. Default 30 s. */
  totalTimeoutMs?: number;
  /** Cap on body bytes received on the wire, enforced while streaming. Default 5 MB. */
  maxBodyBytes?: number;
  /** Cap on body bytes after content decoding (gzip, deflate, br). Default 20 MB. */
  maxDecompressedBytes?: number;
  /** Allowed media types (without parameters); `null` allows any. Default {@link DEFAULT_CONTENT_TYPES}. */
  contentTypes?: readonly string[] | null;
  /** Accept responses without a Content-Type header. Default true. */
  allowMissingContentType?: boolean;
  /** Redirect hops followed (manually, each one through the network guard). Default 5. */
  maxRedirects?: number;
  /**
   * Hosts (`localhost`, `*.example.org`), addresses or CIDRs the network
   * guard lets through although they are not public. Default none.
   */
  allow?: readonly string[];
  /** Extra request headers sent with every request. */
  headers?: Record<string, string>;
  /** Keep-alive sockets per origin (undici pool size); default unlimited. */
  connectionsPerOrigin?: number;
}

export interface FetchOptions {
  /** Validator from a previous fetch: sends If-None-Match. */
  etag?: string;
  /** Validator from a previous fetch: sends If-Modified-Since. */
  lastModified?: string;
  signal?: AbortSignal;
  /** Overrides the fetcher's content-type allowlist for this request (`null`: any). */
  contentTypes?: readonly string[] | null;
  headers?: Record<string, string>;
  /**
   * Keep only the first this many decoded bytes of the body and stop reading
   * there (an ok outcome with `truncated: true`), instead of failing `too-large`.
   */
  truncateAt?: number;
}

export interface Fetcher {
  fetch(url: string, options?: FetchOptions): Promise<FetchOutcome>;
  readonly userAgent: string;
  readonly guard: NetworkGuard;
  close(): Promise<void>;
}

type ResolvedOptions = Required<Omit<FetcherOptions, 'connectionsPerOrigin' | 'allow' | 'headers'>> & {
  headers: Record<string, string>;
};

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function mediaType(contentType: string | undefined): string | null {
  if (!contentType) return null;
  return contentType.split(';')[0]!.trim().toLowerCase() || null;
}

/**
 * Where a redirect leads, or why it is not followed. Records the hop in `redirects` and `visited`
 * (a loop's target is recorded too, so the outcome shows where it went round).
 */
function redirectHop(
  location: string,
  current: URL,
  visited: Set<string>,
  redirects: string[],
  maxRedirects: number,
): { next: URL } | { reason: ReasonCode; error: string } {
  let next: URL;
  try {
    next = new URL(location, current);
  } catch {
    return { reason: 'bad-url', error: `invalid redirect location ${location}` };
  }
  next.hash = '';
  if (next.protocol !== 'http:' && next.protocol !== 'https:')
    return { reason: 'bad-url', error: `redirect to unsupported scheme ${next.protocol}` };
  if (visited.has(next.href)) {
    redirects.push(next.href);
    return { reason: 'redirect-loop', error: `redirect loop back to ${next.href}` };
  }
  if (redirects.length >= maxRedirects) {
    return { reason: 'too-many-redirects', error: `more than ${maxRedirects} redirects` };
  }
  redirects.push(next.href);
  visited.add(next.href);
  return { next };
}

/** Create the one HTTP client Gazette uses to reach the web. */
export function createFetcher(options: FetcherOptions = {}): Fetcher {
  const opts: ResolvedOptions = {
    userAgent: options.userAgent ?? DEFAULT_USER_AGENT,
    connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
    headersTimeoutMs: options.headersTimeoutMs ?? 15_000,
    totalTimeoutMs: options.totalTimeoutMs ?? 30_000,
    maxBodyBytes: options.maxBodyBytes ?? 5 * 1024 * 1024,
    maxDecompressedBytes: options.maxDecompressedBytes ?? 20 * 1024 * 1024,
    contentTypes: options.contentTypes === undefined ? DEFAULT_CONTENT_TYPES : options.contentTypes,
    allowMissingContentType: options.allowMissingContentType ?? true,
    maxRedirects: options.maxRedirects ?? 5,
    headers: options.headers ?? {},
  };
  const guard = createNetworkGuard(options.allow ?? []);
  const agent = createGuardedAgent(guard, { ...opts, connectionsPerOrigin: options.connectionsPerOrigin });
  return {
    fetch: (url, fetchOptions = {}) => fetchUrl(agent, opts, url, fetchOptions),
    userAgent: opts.userAgent,
    guard,
    close: () => agent.close(),
  };
}

/** One fetch: every redirect hop through the guarded agent, under the total time limit. */
async function fetchUrl(
  agent: Agent,
  opts: ResolvedOptions,
  url: string,
  fetchOptions: FetchOptions,
): Promise<FetchOutcome> {
  const started = performance.now();
  const redirects: string[] = [];
  let current: URL | null = null;
  let status: number | null = null;
  let headers: Record<string, string> = {};
  let headersMs: number | null = null;
  let wireBytes = 0;
  const contentTypes = fetchOptions.contentTypes === undefined ? opts.contentTypes : fetchOptions.contentTypes;

  const outcome = (reason: ReasonCode, extra: Partial<FetchOutcome> = {}): FetchOutcome => ({
    ok: reason === 'ok' || reason === 'not-modified',
    reason,
    url,
    finalUrl: current?.href ?? url,
    status,
    headers,
    body: null,
    bytes: 0,
    wireBytes,
    redirects,
    timings: { totalMs: Math.round(performance.now() - started), headersMs },
    notModified: reason === 'not-modified',
    ...extra,
  });

  try {
    current = new URL(url);
  } catch {
    return outcome('bad-url', { error: 'invalid URL' });
  }
  if (current.protocol !== 'http:' && current.protocol !== 'https:')
    return outcome('bad-url', { error: `unsupported scheme ${current.protocol}` });
  current.hash = '';

  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new FetchFailure('timeout-total', `fetch exceeded ${opts.totalTimeoutMs} ms`));
  }, opts.totalTimeoutMs);
  const onAbort = (): void => controller.abort(new FetchFailure('aborted', 'fetch aborted by caller'));
  if (fetchOptions.signal?.aborted) onAbort();
  fetchOptions.signal?.addEventListener('abort', onAbort, { once: true });

  const requestHeaders: Record<string, string> = {
    'user-agent': opts.userAgent,
    accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
    'accept-encoding': 'gzip, deflate, br',
    ...opts.headers,
    ...fetchOptions.headers,
  };
  if (fetchOptions.etag) requestHeaders['if-none-match'] = fetchOptions.etag;
  if (fetchOptions.lastModified) requestHeaders['if-modified-since'] = fetchOptions.lastModified;

  const visited = new Set<string>([current.href]);
  try {
    for (;;) {
      const hopStarted = performance.now();
      const response = await agent.request({
        origin: current.origin,
        path: `${current.pathname}${current.search}`,
        method: 'GET',
        headers: requestHeaders,
        signal: controller.signal,
        headersTimeout: opts.headersTimeoutMs,
        bodyTimeout: opts.totalTimeoutMs,
      });
      headersMs = Math.round(performance.now() - hopStarted);
      status = response.statusCode;
      headers = flattenHeaders(response.headers);
      wireBytes = 0;

      const location = headers['location'];
      if (REDIRECT_STATUSES.has(status) && location) {
        await response.body.dump();
        const hop = redirectHop(location, current, visited, redirects, opts.maxRedirects);
        if ('reason' in hop) return outcome(hop.reason, { error: hop.error });
        current = hop.next;
        continue;
      }

      if (status === 304) {
        await response.body.dump();
        return outcome('not-modified');
      }
      if (status < 200 || status >= 300) {
        await response.body.dump();
        const retryAfterMs = status === 429 || status === 503 ? parseRetryAfter(headers['retry-after']) : undefined;
        return outcome(reasonForStatus(status), retryAfterMs !== undefined ? { retryAfterMs } : {});
      }

      const type = mediaType(headers['content-type']);
      if (contentTypes !== null) {
        const allowed = type === null ? opts.allowMissingContentType : contentTypes.includes(type);
        if (!allowed) {
          discard(response.body);
          return outcome('content-type', { error: `content type ${type ?? '(none)'} not allowed` });
        }
      }
      const declared = Number(headers['content-length']);
      if (fetchOptions.truncateAt === undefined && Number.isFinite(declared) && declared > opts.maxBodyBytes) {
        discard(response.body);
        return outcome('too-large', { error: `content-length ${declared} exceeds ${opts.maxBodyBytes} bytes` });
      }
      const read = await readBody(
        response.body,
        headers['content-encoding'],
        controller.signal,
        fetchOptions.truncateAt,
        opts,
      );
      wireBytes = read.wireBytes;
      return outcome('ok', {
        body: read.body,
        bytes: read.body.length,
        ...(read.truncated ? { truncated: true } : {}),
      });
    }
  } catch (error) {
    if (timedOut) return outcome('timeout-total', { error: message(error) });
    if (fetchOptions.signal?.aborted) return outcome('aborted', { error: message(error) });
    return outcome(classifyError(error), { error: message(error) });
  } finally {
    clearTimeout(timer);
    fetchOptions.signal?.removeEventListener('abort', onAbort);
  }
}
