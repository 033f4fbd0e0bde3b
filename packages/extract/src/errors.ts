/** Why an input could not be turned into any result. */
export type ExtractionErrorReason = 'not-html' | 'binary' | 'too-large' | 'empty' | 'charset' | (string & {});

/** A typed, explained failure for input that yields no result at all (not even `not-article`). */
export class ExtractionError extends Error {
  override name = 'ExtractionError';
  readonly reason: ExtractionErrorReason;

  constructor(reason: ExtractionErrorReason, message: string) {
    super(message);
    this.reason = reason;
  }
}
