export {
  commonEnvShape,
  elasticsearchEnvShape,
  archiveEnvShape,
  parseEnv,
  backingServiceUrls,
  ConfigError,
} from './env.ts';
export {
  checkReadiness,
  redisCheck,
  startOpsServer,
  type OpsServerOptions,
  type Readiness,
  type ReadinessCheck,
} from './ops-server.ts';
export { handleShutdown, type ShutdownOptions } from './lifecycle.ts';
export { instrumentWorker, isFinalFailure } from './worker-metrics.ts';
export { summariseWorker, defaultOutcome, serviceLogger } from './worker-summary.ts';
export { collectQueueMetrics } from './queue-metrics.ts';
export { parseInstant, instantSchema, orderedRange, InstantError } from './time.ts';
export { BoundedLabel, fetchLabels, statusClass } from './bounded-label.ts';
