/**
 * Error taxonomy shared by every worker. A processor throws one of these; the
 * worker wrapper maps it onto BullMQ: permanent → UnrecoverableError (no retry,
 * job lands in the failed set with its reason), retryable → normal retry with
 * the queue's backoff, or a delay the error asks for (Retry-After, politeness).
 */
import { UNEXPECTED_REASON } from './reason.ts';

export type ErrorOptions = { cause?: unknown };

export abstract class GazetteError extends Error {
  /** Short machine-readable reason, e.g. `http-404`, `timeout`, `es-unavailable`. */
  readonly reason: string;
  abstract readonly retryable: boolean;
  constructor(reason: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.reason = reason;
  }
}

/** The input is bad and retrying will not help (404, not HTML, invalid record). */
export class PermanentError extends GazetteError {
  readonly retryable = false;
}

/** A transient failure (timeout, 503, Elasticsearch down); retry later. */
export class RetryableError extends GazetteError {
  readonly retryable = true;
  /** When set, retry no sooner than this many milliseconds from now. */
  readonly retryAfterMs: number | undefined;
  constructor(reason: string, message: string, options?: ErrorOptions & { retryAfterMs?: number }) {
    super(reason, message, options);
    this.retryAfterMs = options?.retryAfterMs;
  }
}

/** The payload failed validation at the queue boundary. Never retried. */
export class InvalidPayloadError extends PermanentError {
  constructor(queue: string, issues: string, options?: ErrorOptions) {
    super('invalid-payload', `invalid ${queue} job payload: ${issues}`, options);
  }
}

/** Reason code for any thrown value. */
export function reasonOf(error: unknown): string {
  if (error instanceof GazetteError) return error.reason;
  if (error instanceof Error && error.name === 'UnrecoverableError') return 'unrecoverable';
  return UNEXPECTED_REASON;
}
