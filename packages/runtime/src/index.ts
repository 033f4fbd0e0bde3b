export { commonEnvShape, elasticsearchEnvShape, archiveEnvShape, parseEnv, ConfigError } from './env.ts';
export {
  checkReadiness,
  redisCheck,
  startOpsServer,
  type OpsServerOptions,
  type Readiness,
  type ReadinessCheck,
} from './ops-server.ts';
export { handleShutdown, type ShutdownOptions } from './lifecycle.ts';
export { instrumentWorker } from './worker-metrics.ts';
export { collectQueueMetrics } from './queue-metrics.ts';
