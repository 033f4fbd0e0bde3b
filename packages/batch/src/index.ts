export { Cursor, type ProgressListener } from './cursor.ts';
export { reparse, type ReparseOptions, type ReparseResult } from './reparse.ts';
export {
  reindex,
  lockReindex,
  reindexLockKey,
  ReindexRunningError,
  type ReindexLock,
  type ReindexOptions,
  type ReindexResult,
} from './reindex.ts';
export { RedisLease, type LeaseHolder } from './lease.ts';
export { importJsonl, type ImportOptions, type ImportResult } from './import-jsonl.ts';
export {
  verifyArchive,
  type ArchiveVerifyOptions,
  type ArchiveVerifyResult,
  type BadReference,
} from './archive-verify.ts';
