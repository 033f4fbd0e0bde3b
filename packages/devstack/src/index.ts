export {
  startService,
  REPO_ROOT,
  type ServiceName,
  type ServiceProcess,
  type StartServiceOptions,
} from './service-process.ts';
export { waitFor } from './wait.ts';
export { queueCounts, isIdle, type QueueCounts } from './pipeline-state.ts';
