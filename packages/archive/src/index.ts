export { WarcArchive, type WarcArchiveOptions, type ScanFilter } from './warc-archive.ts';
export { ArchiveError, type ArchiveRef, type RawPage } from './raw-page.ts';
