export { commonEnvShape, elasticsearchEnvShape, archiveEnvShape, parseEnv, ConfigError } from './env.ts';
export { startOpsServer, type OpsServerOptions } from './ops-server.ts';
export { handleShutdown, type ShutdownOptions } from './lifecycle.ts';
export { instrumentWorker } from './worker-metrics.ts';
export { collectQueueMetrics } from './queue-metrics.ts';
