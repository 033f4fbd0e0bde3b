import { isIP } from 'node:net';
import { Transform, Writable, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  createBrotliDecompress,
  createGunzip,
  createInflate,
  createInflateRaw,
  type Inflate,
  type InflateRaw,
} from 'node:zlib';
import { Agent, buildConnector, type Dispatcher } from 'undici';
import { BlockedAddressError, createNetworkGuard, guardedLookup, type NetworkGuard } from './guard.ts';
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

class FetchFailure extends Error {
  constructor(
    readonly reason: ReasonCode,
    message: string,
  ) {
    super(message);
  }
}

/** Ends a read on purpose once the caller's truncation point is reached. */
class Truncated extends Error {}

/** Counts bytes through a stream and fails once a cap is passed. */
class ByteLimit extends Transform {
  count = 0;
  constructor(
    private readonly max: number,
    private readonly reason: ReasonCode,
  ) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, callback: TransformCallback): void {
    this.count += chunk.length;
    if (this.count > this.max) callback(new FetchFailure(this.reason, `body exceeds ${this.max} bytes`));
    else callback(null, chunk);
  }
}

/** `Content-Encoding: deflate` is zlib-wrapped per the RFC, raw deflate in practice too: sniff the first byte. */
class AutoInflate extends Transform {
  private inner: Inflate | InflateRaw | null = null;
  override _transform(chunk: Buffer, _enc: BufferEncoding, callback: TransformCallback): void {
    if (!this.inner) {
      this.inner = (chunk[0]! & 0x0f) === 0x08 ? createInflate() : createInflateRaw();
      this.inner.on('data', (d: Buffer) => this.push(d));
      this.inner.on('error', (e) => this.destroy(e));
    }
    this.inner.write(chunk, () => callback());
  }
  override _flush(callback: TransformCallback): void {
    if (!this.inner) return callback();
    this.inner.once('end', () => callback());
    this.inner.end();
  }
  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.inner?.destroy();
    callback(error);
  }
}

function decoderFor(encoding: string): Transform | null {
  switch (encoding) {
    case 'gzip':
    case 'x-gzip':
      return createGunzip();
    case 'deflate':
      return new AutoInflate();
    case 'br':
      return createBrotliDecompress();
    default:
      return null;
  }
}

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

function reasonForStatus(status: number): ReasonCode {
  if (status === 404) return 'http-404';
  if (status === 410) return 'http-410';
  if (status === 429) return 'http-429';
  if (status >= 400 && status < 500) return 'http-4xx';
  if (status >= 500 && status < 600) return 'http-5xx';
  return 'http-other';
}

function codeOf(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string')
    return error.code;
  return undefined;
}

function errorChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let e: unknown = error;
  while (e !== undefined && e !== null && chain.length < 5) {
    chain.push(e);
    e = e instanceof Error ? e.cause : undefined;
    if (e === undefined && chain.at(-1) instanceof AggregateError) e = (chain.at(-1) as AggregateError).errors[0];
  }
  return chain;
}

function classifyError(error: unknown): ReasonCode {
  for (const e of errorChain(error)) {
    if (e instanceof FetchFailure) return e.reason;
    if (e instanceof BlockedAddressError) return 'blocked-address';
    const code = codeOf(e);
    switch (code) {
      case 'GAZETTE_BLOCKED_ADDRESS':
        return 'blocked-address';
      case 'UND_ERR_CONNECT_TIMEOUT':
      case 'ETIMEDOUT':
        return 'timeout-connect';
      case 'UND_ERR_HEADERS_TIMEOUT':
        return 'timeout-headers';
      case 'UND_ERR_BODY_TIMEOUT':
        return 'timeout-total';
      case 'UND_ERR_HEADERS_OVERFLOW':
      case 'HPE_HEADER_OVERFLOW':
        return 'headers-too-large';
      case 'ENOTFOUND':
      case 'EAI_AGAIN':
      case 'ENODATA':
      case 'EAI_NONAME':
        return 'dns';
      case 'Z_DATA_ERROR':
      case 'Z_BUF_ERROR':
      case 'ERR__ERROR_FORMAT_PADDING_1':
      case 'ERR_PADDING_1':
        return 'bad-encoding';
    }
    if (typeof code === 'string' && code.startsWith('ERR_BROTLI')) return 'bad-encoding';
  }
  return 'network';
}

/** Drop a response body without reading it (closes that connection). */
function discard(body: Dispatcher.ResponseData['body']): void {
  body.on('error', () => {});
  body.destroy();
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
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
  const baseConnect = buildConnector({ timeout: opts.connectTimeoutMs, lookup: guardedLookup(guard) });
  // Hostnames are checked inside `lookup` (after resolution, on the addresses the socket
  // will use); IP literals skip lookup in net.connect, so they are checked here.
  const connect: buildConnector.connector = (connectOptions, callback) => {
    const host = connectOptions.hostname;
    if (isIP(host) !== 0 && !guard.allows(host, host)) {
      callback(new BlockedAddressError(host, host), null);
      return;
    }
    baseConnect(connectOptions, callback);
  };
  const agent = new Agent({
    connect,
    headersTimeout: opts.headersTimeoutMs,
    bodyTimeout: opts.totalTimeoutMs,
    ...(options.connectionsPerOrigin !== undefined ? { connections: options.connectionsPerOrigin } : {}),
  });

  async function readBody(
    body: Dispatcher.ResponseData['body'],
    contentEncoding: string | undefined,
    signal: AbortSignal,
    truncateAt: number | undefined,
  ): Promise<{ body: Buffer; wireBytes: number; truncated: boolean }> {
    const encodings = (contentEncoding ?? '')
      .toLowerCase()
      .split(',')
      .map((e) => e.trim())
      .filter((e) => e && e !== 'identity');
    const decoders: Transform[] = [];
    // Encodings are listed in the order they were applied: undo them last-first.
    for (const encoding of encodings.reverse()) {
      const decoder = decoderFor(encoding);
      if (!decoder) {
        discard(body);
        throw new FetchFailure('bad-encoding', `unsupported content-encoding ${encoding}`);
      }
      decoders.push(decoder);
    }
    const wire = new ByteLimit(opts.maxBodyBytes, 'too-large');
    const chunks: Buffer[] = [];
    let size = 0;
    let truncated = false;
    const sink = new Writable({
      write(chunk: Buffer, _enc, callback) {
        if (truncateAt !== undefined && size + chunk.length > truncateAt) {
          chunks.push(chunk.subarray(0, truncateAt - size));
          size = truncateAt;
          truncated = true;
          callback(new Truncated());
          return;
        }
        size += chunk.length;
        if (decoders.length > 0 && size > opts.maxDecompressedBytes) {
          callback(new FetchFailure('decompression-bomb', `decoded body exceeds ${opts.maxDecompressedBytes} bytes`));
          return;
        }
        chunks.push(chunk);
        callback();
      },
    });
    try {
      await pipeline([body as Readable, wire, ...decoders, sink], { signal });
    } catch (error) {
      if (!(error instanceof Truncated)) throw error;
    }
    return { body: Buffer.concat(chunks, size), wireBytes: wire.count, truncated };
  }

  async function fetchUrl(url: string, fetchOptions: FetchOptions = {}): Promise<FetchOutcome> {
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
          let next: URL;
          try {
            next = new URL(location, current);
          } catch {
            return outcome('bad-url', { error: `invalid redirect location ${location}` });
          }
          next.hash = '';
          if (next.protocol !== 'http:' && next.protocol !== 'https:')
            return outcome('bad-url', { error: `redirect to unsupported scheme ${next.protocol}` });
          if (visited.has(next.href)) {
            redirects.push(next.href);
            return outcome('redirect-loop', { error: `redirect loop back to ${next.href}` });
          }
          if (redirects.length >= opts.maxRedirects) {
            return outcome('too-many-redirects', { error: `more than ${opts.maxRedirects} redirects` });
          }
          redirects.push(next.href);
          visited.add(next.href);
          current = next;
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

  return {
    fetch: fetchUrl,
    userAgent: opts.userAgent,
    guard,
    close: () => agent.close(),
  };
}
