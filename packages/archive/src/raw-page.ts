/** A fetched HTTP response as the crawler saw it, body already de-compressed. */
export interface RawPage {
  /** URL the crawler was asked to fetch. */
  url: string;
  /** URL after redirects. */
  finalUrl: string;
  status: number;
  /** Response headers, names lower-cased. Transfer and content encodings are dropped: the body is stored decoded. */
  headers: Record<string, string>;
  body: Uint8Array;
  /** ISO 8601 UTC. */
  fetchedAt: string;
  /** Total fetch time in milliseconds. */
  fetchMs: number;
  /** Intermediate URLs of a redirect chain, in order (excluding url and finalUrl). */
  redirects: string[];
  /**
   * Set on a page rendered in a browser: the body is the DOM after scripts ran, stored as a WARC
   * `conversion` record that points at the archived response it was built from.
   */
  rendering?: { from: ArchiveRef; engine: string };
}

/** Where one record lives: a WARC file of the archive and the byte range of its gzip member. */
export interface ArchiveRef {
  file: string;
  offset: number;
  length: number;
}

/**
 * Why an archive operation failed: `full` (no space left: ENOSPC, a quota, a short write) and `io`
 * (any other read or write error) are transient; `not-found` and `corrupt` are about one record.
 */
export type ArchiveErrorReason = 'not-found' | 'corrupt' | 'io' | 'full';

export class ArchiveError extends Error {
  override name = 'ArchiveError';
  constructor(
    readonly reason: ArchiveErrorReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
