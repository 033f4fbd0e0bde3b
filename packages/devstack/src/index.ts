export {
  startService,
  REPO_ROOT,
  type ServiceName,
  type ServiceProcess,
  type StartServiceOptions,
} from './service-process.ts';
export { waitFor } from './wait.ts';
export { queueCounts, isIdle, pausedWithWork, type QueueCount, type QueueCounts } from './pipeline-state.ts';
export {
  serveGeneratedSite,
  generatedArticle,
  renderGeneratedArticle,
  GENERATED_SITE_NAME,
  type GeneratedSite,
  type GeneratedArticle,
  type ArticleOverride,
} from './generated-site.ts';
export { deleteKeysWithPrefix } from './redis-keys.ts';
export { DEFAULT_MAX_OLD_SPACE_MB, withHeapCeiling } from './node-options.ts';
export { mountSmallDisk, type SmallDisk } from './small-disk.ts';
export {
  startLocalS3,
  startRedisCluster,
  startEsCluster,
  type LocalS3,
  type LocalRedisCluster,
  type LocalEsCluster,
} from './clusters.ts';
export { entryArgs, compiledPath } from './entry.ts';
