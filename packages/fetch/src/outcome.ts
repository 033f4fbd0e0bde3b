import { PermanentError, RetryableError } from '@gazette/errors';

/** Every way a fetch can end. `ok` and `not-modified` are successes. */
export const reasonCodes = [
  'ok',
  'not-modified',
  'http-404',
  'http-410',
  'http-429',
  'http-4xx',
  'http-5xx',
  'http-other',
  'timeout-connect',
  'timeout-headers',
  'timeout-total',
  'too-large',
  'headers-too-large',
  'decompression-bomb',
  'bad-encoding',
  'content-type',
  'redirect-loop',
  'too-many-redirects',
  'bad-url',
  'blocked-address',
  'dns',
  'robots-disallowed',
  'robots-unavailable',
  'aborted',
  'network',
] as const;

export type ReasonCode = (typeof reasonCodes)[number];

export interface FetchOutcome {
  /** True for 2xx (`ok`) and 304 (`not-modified`). */
  ok: boolean;
  reason: ReasonCode;
  /** The URL asked for. */
  url: string;
  /** The URL of the last hop (after redirects). */
  finalUrl: string;
  /** HTTP status of the last response, null when none arrived. */
  status: number | null;
  /** Response headers of the last hop, names lower-cased, repeated headers joined with `, `. */
  headers: Record<string, string>;
  /** Decoded body (content-encoding removed, charset untouched); null unless `ok` with a body. */
  body: Buffer | null;
  /** Length of `body` (decoded bytes). */
  bytes: number;
  /** Bytes received on the wire for the last hop's body (before content decoding). */
  wireBytes: number;
  /** Every URL redirected to, in order (the final URL is the last one). */
  redirects: string[];
  timings: { totalMs: number; headersMs: number | null };
  notModified: boolean;
  /** Set when the body was cut at the caller's `truncateAt`. */
  truncated?: boolean;
  /** For 429/503: how long the server asked us to wait (Retry-After). */
  retryAfterMs?: number;
  error?: string;
}

const permanent = new Set<ReasonCode>([
  'http-404',
  'http-410',
  'http-4xx',
  'http-other',
  'too-large',
  'headers-too-large',
  'decompression-bomb',
  'bad-encoding',
  'content-type',
  'redirect-loop',
  'too-many-redirects',
  'bad-url',
  'blocked-address',
  'robots-disallowed',
]);

/** Is a non-ok reason worth retrying later? */
export function isRetryableReason(reason: ReasonCode): boolean {
  return reason !== 'ok' && reason !== 'not-modified' && !permanent.has(reason);
}

/**
 * Map a failed outcome onto Gazette's error taxonomy: permanent (404, 410,
 * other 4xx, content type, size, blocked, redirect trouble) or retryable
 * (timeouts, 5xx, 429 with its Retry-After, DNS, network).
 */
export function outcomeToError(outcome: FetchOutcome): PermanentError | RetryableError {
  if (outcome.ok) throw new TypeError(`outcomeToError: outcome for ${outcome.url} is ok (${outcome.reason})`);
  const status = outcome.status !== null ? ` (HTTP ${outcome.status})` : '';
  const message = `fetch ${outcome.url} failed: ${outcome.reason}${status}${outcome.error ? `: ${outcome.error}` : ''}`;
  if (!isRetryableReason(outcome.reason)) return new PermanentError(outcome.reason, message);
  return new RetryableError(
    outcome.reason,
    message,
    outcome.retryAfterMs !== undefined ? { retryAfterMs: outcome.retryAfterMs } : {},
  );
}

/** Parse a Retry-After header (delta seconds or HTTP date) into milliseconds from `now`. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}
