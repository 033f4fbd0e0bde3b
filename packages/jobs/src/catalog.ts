import { z } from 'zod';
import { articleRecordSchema } from '@gazette/article';
import type { DefaultJobOptions } from 'bullmq';

/** Fallback facts about a URL learnt where it was found (feed, sitemap, link). */
export const urlHintsSchema = z
  .object({
    title: z.string().optional(),
    publishedAt: z.string().optional(),
    from: z.enum(['seed', 'link', 'feed', 'sitemap', 'api', 'replay']).optional(),
  })
  .strict();

export const archiveRefSchema = z
  .object({
    /** WARC file name inside the archive directory. */
    file: z.string().regex(/^[\w.-]+\.warc\.gz$/),
    offset: z.number().int().nonnegative(),
    length: z.number().int().positive(),
  })
  .strict();

/** Which links found on a page are followed. */
export const crawlScopeSchema = z
  .object({
    /** Links are followed while the page's depth is below this (0: fetch only the given URL). */
    maxDepth: z.number().int().min(0).max(20).default(0),
    /** Only follow links to the same site (registrable host, `www.` ignored). */
    sameSite: z.boolean().default(true),
    /** Regular expressions; when given, a link must match one. */
    allow: z.array(z.string()).default([]),
    /** Regular expressions; a link matching one is never followed. */
    deny: z.array(z.string()).default([]),
    /** One crawl run: links are fetched at most once per run, whatever the global seen-set says. */
    runId: z.string().max(64).optional(),
    /** The source's minimum time between two request starts on one host (the crawler's own floor still applies). */
    minIntervalMs: z.number().int().min(0).optional(),
    /** The source's limit of concurrent requests on one host (never above the crawler's own). */
    maxConcurrency: z.number().int().min(1).max(32).optional(),
  })
  .strict();

export const crawlJobSchema = z
  .object({
    url: z.string().url(),
    sourceId: z.string().optional(),
    depth: z.number().int().nonnegative().default(0),
    scope: crawlScopeSchema.optional(),
    hints: urlHintsSchema.optional(),
    /** Fetch even when the URL was seen before, without conditional headers. */
    force: z.boolean().optional(),
  })
  .strict();

export const parseJobSchema = z
  .object({
    url: z.string().url(),
    finalUrl: z.string().url(),
    fetchedAt: z.string(),
    archive: archiveRefSchema,
    sourceId: z.string().optional(),
    depth: z.number().int().nonnegative().default(0),
    hints: urlHintsSchema.optional(),
    /** Set by re-parse: the record is rebuilt from the archive. */
    reparse: z.boolean().optional(),
  })
  .strict();

export const indexJobSchema = z
  .object({
    record: articleRecordSchema,
    /** Index or alias to write into; defaults to the indexer's configured alias. */
    target: z.string().optional(),
  })
  .strict();

/** A fired source schedule (or an operator's "run now"): discover the source's URLs and queue crawls. */
export const scheduleJobSchema = z
  .object({
    sourceId: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/),
    /** Set for an operator's "run now" rather than a fired schedule. */
    manual: z.boolean().optional(),
  })
  .strict();

export type CrawlJob = z.input<typeof crawlJobSchema>;
export type CrawlScope = z.infer<typeof crawlScopeSchema>;
export type ParseJob = z.input<typeof parseJobSchema>;
export type IndexJob = z.input<typeof indexJobSchema>;
export type ScheduleJob = z.input<typeof scheduleJobSchema>;
export type ArchiveRef = z.infer<typeof archiveRefSchema>;
export type UrlHints = z.infer<typeof urlHintsSchema>;

export interface QueueDefinition<S extends z.ZodType> {
  readonly name: string;
  readonly schema: S;
  /** Retry, backoff and retention policy applied to every job of this queue. */
  readonly jobOptions: DefaultJobOptions;
}

function defineQueue<S extends z.ZodType>(def: QueueDefinition<S>): QueueDefinition<S> {
  return def;
}

const retention = {
  // Completed jobs are evidence, not state: keep a bounded window.
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  // Failed jobs are the dead-letter set: keep them until replayed or pruned.
  removeOnFail: false,
} satisfies DefaultJobOptions;

/** The job catalog: every queue Gazette has, used by producers and consumers alike. */
export const catalog = {
  crawl: defineQueue({
    name: 'crawl',
    schema: crawlJobSchema,
    jobOptions: { attempts: 5, backoff: { type: 'exponential', delay: 2_000, jitter: 0.5 }, ...retention },
  }),
  parse: defineQueue({
    name: 'parse',
    schema: parseJobSchema,
    jobOptions: { attempts: 3, backoff: { type: 'exponential', delay: 1_000 }, ...retention },
  }),
  index: defineQueue({
    name: 'index',
    schema: indexJobSchema,
    // Elasticsearch may be away for minutes: 12 attempts from 1 s doubling, capped by the worker, spans ~30 min.
    jobOptions: { attempts: 12, backoff: { type: 'exponential', delay: 1_000, jitter: 0.2 }, ...retention },
  }),
  schedule: defineQueue({
    name: 'schedule',
    schema: scheduleJobSchema,
    // A run that fails (e.g. the feed is down) is retried a few times; the next fire comes anyway.
    jobOptions: { attempts: 3, backoff: { type: 'exponential', delay: 5_000 }, ...retention },
  }),
} as const;

export type QueueName = keyof typeof catalog;
export type PayloadOf<Q extends QueueName> = z.infer<(typeof catalog)[Q]['schema']>;
export type InputOf<Q extends QueueName> = z.input<(typeof catalog)[Q]['schema']>;
export const queueNames = Object.keys(catalog) as QueueName[];
