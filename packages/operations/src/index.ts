export {
  SourceStore,
  SourceExistsError,
  SourceNotFoundError,
  scheduleSchema,
  nextBackoff,
  MAX_SKIPPED_FIRES,
  type PollBackoff,
  type Schedule,
  type ScheduleInput,
  type SourceEntry,
  type SourceRun,
} from './sources.ts';
export {
  SourceRegistry,
  newSourceSchema,
  sourcePatchSchema,
  type NewSource,
  type SourcePatch,
  type SourceView,
} from './scheduler.ts';
export { runSource, type RunSourceDeps, type RunSourceResult } from './run-source.ts';
export {
  openQueue,
  openQueues,
  statsOf,
  queueStats,
  reasonCodeOf,
  failedJobs,
  listFailed,
  failuresByReason,
  replayFailed,
  type QueueStats,
  type FailedJob,
  type FailedFilter,
  type ReplayResult,
} from './queues.ts';
export { Cursor, type ProgressListener } from './cursor.ts';
export { reparse, type ReparseOptions, type ReparseResult } from './reparse.ts';
export { reindex, type ReindexOptions, type ReindexResult } from './reindex.ts';
export { importJsonl, type ImportOptions, type ImportResult } from './import-jsonl.ts';
export { articlesPerMinute } from './overview.ts';
export {
  verifyArchive,
  type ArchiveVerifyOptions,
  type ArchiveVerifyResult,
  type BadReference,
} from './archive-verify.ts';
