import { z } from 'zod';
import { allowEntryProblem } from './guard.ts';

/** A comma-separated list setting. */
const list = z
  .string()
  .default('')
  .transform((s) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  );

/**
 * The fetching settings (`CRAWLER_*`) of every process that fetches pages: the crawler and the
 * renderer read the same names with the same defaults and checks, so one environment configures both.
 */
export const fetchEnvShape = {
  CRAWLER_USER_AGENT: z.string().default('GazetteBot/0.1 (+https://github.com/gazette)'),
  /** Hosts, addresses or CIDRs the network guard lets through although they are not public (e.g. 127.0.0.1). */
  CRAWLER_ALLOW_HOSTS: list.superRefine((entries, ctx) => {
    for (const entry of entries) {
      const problem = allowEntryProblem(entry);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }
  }),
  /** Minimum time between two requests to one host, across all processes; 0 switches politeness off. */
  CRAWLER_POLITENESS_MS: z.coerce.number().int().nonnegative().default(1_000),
  CRAWLER_HOST_CONCURRENCY: z.coerce.number().int().positive().default(2),
  /** Upper bound on a robots.txt Crawl-delay, in seconds. */
  CRAWLER_MAX_CRAWL_DELAY_S: z.coerce.number().nonnegative().default(30),
  CRAWLER_ROBOTS_TTL_S: z.coerce
    .number()
    .positive()
    .default(24 * 3600),
  /** Whole-fetch timeout of one request (for the renderer: each request the browser makes). */
  CRAWLER_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
  CRAWLER_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(5 * 1024 * 1024),
};
