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
