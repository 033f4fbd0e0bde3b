import { z } from 'zod';
import { allowEntryProblem } from '@gazette/fetch';
import { archiveEnvShape, commonEnvShape, parseEnv } from '@gazette/runtime';

const list = z
  .string()
  .default('')
  .transform((s) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  );

export const crawlerConfigSchema = z.object({
  ...commonEnvShape,
  ...archiveEnvShape,
  CRAWLER_CONCURRENCY: z.coerce.number().int().positive().default(32),
  CRAWLER_USER_AGENT: z.string().default('GazetteBot/0.1 (+https://github.com/gazette)'),
  /** Hosts, addresses or CIDRs the network guard lets through although they are not public (e.g. 127.0.0.1). */
  CRAWLER_ALLOW_HOSTS: list.superRefine((entries, ctx) => {
    for (const entry of entries) {
      const problem = allowEntryProblem(entry);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }
  }),
  /** Minimum time between two requests to one host, across all crawler processes; 0 switches politeness off. */
  CRAWLER_POLITENESS_MS: z.coerce.number().int().nonnegative().default(1_000),
  CRAWLER_HOST_CONCURRENCY: z.coerce.number().int().positive().default(2),
  /** Upper bound on a robots.txt Crawl-delay, in seconds. */
  CRAWLER_MAX_CRAWL_DELAY_S: z.coerce.number().nonnegative().default(30),
  CRAWLER_ROBOTS_TTL_S: z.coerce
    .number()
    .positive()
    .default(24 * 3600),
  CRAWLER_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
  CRAWLER_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(5 * 1024 * 1024),
  /** Longest Retry-After (429/503) honoured by parking the host; a longer one gives the URL up. */
  CRAWLER_MAX_RETRY_AFTER_S: z.coerce
    .number()
    .int()
    .positive()
    .default(24 * 3600),
  CRAWLER_METRICS_PORT: z.coerce.number().int().nonnegative().default(9101),
  /** Source runs (fired schedules, "run now") handled at once; 0: this crawler runs none. */
  CRAWLER_SCHEDULE_CONCURRENCY: z.coerce.number().int().nonnegative().default(2),
  /** Below this much free space on the archive's file system the crawler stops taking jobs (0: only failed writes stop it). */
  CRAWLER_ARCHIVE_MIN_FREE_MB: z.coerce.number().nonnegative().default(64),
});

export type CrawlerConfig = z.infer<typeof crawlerConfigSchema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): CrawlerConfig {
  return parseEnv(crawlerConfigSchema, env);
}
