export { WarcArchive, type WarcArchiveOptions, type ScanFilter } from './warc-archive.ts';
export { ArchiveError, type ArchiveErrorReason, type ArchiveRef, type RawPage } from './raw-page.ts';
export { type SkippedRange } from './member-scan.ts';
