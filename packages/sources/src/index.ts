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
  type RunTrigger,
  type SkipReason,
} from './sources.ts';
export { RunTally, decodeTotals, type RunTotals, type RunCounter } from './run-tally.ts';
export {
  SourceRegistry,
  newSourceSchema,
  sourcePatchSchema,
  type NewSource,
  type SourcePatch,
  type SourceView,
  type RunView,
  type RunState,
  runView,
} from './scheduler.ts';
export { SOURCE_ID_PATTERN } from '@gazette/frontier';
