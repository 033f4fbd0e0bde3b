/**
 * A reason code travels with a failed job inside its failure message, as
 * `[reason] message` (BullMQ keeps only the message). This module is the one
 * place that writes and reads that form.
 */

/** The code given to a failure that carries none. */
export const UNEXPECTED_REASON = 'unexpected';

const REASON_PREFIX = /^\[([\w.-]+)\] ?/;

/** `[reason] message`: the failure message a worker records. */
export function formatReason(reason: string, message: string): string {
  return `[${reason}] ${message}`;
}

/** The reason code a failure message starts with (`[http-404] ...` -> `http-404`), or `unexpected`. */
export function parseReason(text: string | undefined): string {
  return REASON_PREFIX.exec(text ?? '')?.[1] ?? UNEXPECTED_REASON;
}
