export {
  catalog,
  queueNames,
  crawlJobSchema,
  crawlScopeSchema,
  parseJobSchema,
  indexJobSchema,
  scheduleJobSchema,
  archiveRefSchema,
  urlHintsSchema,
  type QueueName,
  type PayloadOf,
  type InputOf,
  type CrawlJob,
  type CrawlScope,
  type ParseJob,
  type IndexJob,
  type ScheduleJob,
  type ArchiveRef,
  type UrlHints,
  type QueueDefinition,
} from './catalog.ts';
export { GazetteError, PermanentError, RetryableError, InvalidPayloadError, reasonOf } from './errors.ts';
export {
  Producer,
  createWorker,
  gazetteBackoff,
  validatePayload,
  type QueueContext,
  type Processor,
  type ProcessorContext,
  type CreateWorkerOptions,
} from './queues.ts';
export { createRedis, redactRedisUrl } from './redis.ts';
