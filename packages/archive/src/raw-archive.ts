import type { ArchiveRef, RawPage } from './raw-page.ts';
import type { ScanFilter } from './warc-archive.ts';

/**
 * Where raw pages are kept: WARC/1.1 records, one gzip member each, addressed by
 * `{ file, offset, length }`. The local folder ({@link WarcArchive}) and an S3 bucket
 * ({@link S3Archive}) both implement it; crawler, parser, api and re-parse only see this.
 */
export interface RawArchive {
  /** Stores a page; resolves once the record is durable, with its reference. */
  append(page: RawPage): Promise<ArchiveRef>;
  /** Reads one record back. Fails with an `ArchiveError` (`not-found`, `corrupt`, `io`). */
  read(ref: ArchiveRef): Promise<RawPage>;
  /** Every archived response matching the filter, oldest file first. */
  scan(filter?: ScanFilter): AsyncGenerator<{ ref: ArchiveRef; page: RawPage }>;
  /** Free bytes where records are written, when the backend can tell (a local disk). */
  freeBytes?(): Promise<number | undefined>;
  /** Fails with an `ArchiveError` when a record cannot be written now (a probe write). */
  checkWritable?(): Promise<void>;
  /** Finishes pending appends and releases what is held open. */
  close(): Promise<void>;
}
