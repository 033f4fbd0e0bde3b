export { WarcArchive, type WarcArchiveOptions, type ScanFilter } from './warc-archive.ts';
export { S3Archive, type S3ArchiveOptions } from './s3-archive.ts';
export { openArchive, describeArchive, type ArchiveSettings } from './open-archive.ts';
export type { RawArchive } from './raw-archive.ts';
export { ArchiveError, type ArchiveErrorReason, type ArchiveRef, type RawPage } from './raw-page.ts';
export { type SkippedRange } from './member-scan.ts';
