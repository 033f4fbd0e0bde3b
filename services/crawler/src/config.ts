import { z } from 'zod';
import { fetchEnvShape } from '@gazette/fetch';
import { archiveEnvShape, commonEnvShape, parseEnv } from '@gazette/runtime';

export const crawlerConfigSchema = z.object({
  ...commonEnvShape,
  ...archiveEnvShape,
  CRAWLER_CONCURRENCY: z.coerce.number().int().positive().default(32),
  ...fetchEnvShape,
  /** Longest Retry-After (429/503) honoured by parking the host; a longer one gives the URL up. */
  CRAWLER_MAX_RETRY_AFTER_S: z.coerce
    .number()
    .int()
    .positive()
    .default(24 * 3600),
  CRAWLER_METRICS_PORT: z.coerce.number().int().nonnegative().default(9101),
  /** Sites with their own `site` label in the per-site metrics; later ones are counted as `other`. */
  CRAWLER_METRICS_SITES: z.coerce.number().int().min(1).max(1000).default(50),
  /** Source runs (fired schedules, "run now") handled at once; 0: this crawler runs none. */
  CRAWLER_SCHEDULE_CONCURRENCY: z.coerce.number().int().nonnegative().default(2),
  /** Below this much free space on the archive's file system the crawler stops taking jobs (0: only failed writes stop it). */
  CRAWLER_ARCHIVE_MIN_FREE_MB: z.coerce.number().nonnegative().default(64),
});

export type CrawlerConfig = z.infer<typeof crawlerConfigSchema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): CrawlerConfig {
  return parseEnv(crawlerConfigSchema, env);
}
