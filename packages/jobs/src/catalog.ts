import { z } from 'zod';
import { articleRecordSchema } from '@gazette/article';
import type { DefaultJobOptions } from 'bullmq';

/** Fallback facts about a URL learnt where it was found (feed, sitemap, link). */
export const urlHintsSchema = z
  .object({
    title: z.string().optional(),
    publishedAt: z.string().optional(),
    /** `known`: an article of the source found on an earlier run, checked again for changes. */
    from: z.enum(['seed', 'link', 'feed', 'sitemap', 'api', 'replay', 'known']).optional(),
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

/** Whether pages are rendered in a browser: `never`, `always`, or `auto` (when the plain page is an empty shell). */
export const renderModeSchema = z.enum(['never', 'always', 'auto']);

/** A regular expression given as text (link rules): one that does not compile is refused where it is given. */
export const regexSourceSchema = z.string().refine(
  (source) => {
    try {
      new RegExp(source);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'not a valid regular expression' },
);

/** Which links found on a page are followed (and how the pages are fetched). */
export const crawlScopeSchema = z
  .object({
    /** Links are followed while the page's depth is below this (0: fetch only the given URL). */
    maxDepth: z.number().int().min(0).max(20).default(0),
    /** Only follow links to the same site (registrable host, `www.` ignored). */
    sameSite: z.boolean().default(true),
    /** Regular expressions; when given, a link must match one. */
    allow: z.array(regexSourceSchema).default([]),
    /** Regular expressions; a link matching one is never followed. */
    deny: z.array(regexSourceSchema).default([]),
    /** One crawl run: links are fetched at most once per run, whatever the global seen-set says. */
    runId: z.string().max(64).optional(),
    /** Render pages in a browser (the render queue); absent means `never`. */
    render: renderModeSchema.optional(),
    /** The source's minimum time between two request starts on one host (the crawler's own floor still applies). */
    minIntervalMs: z.number().int().min(0).optional(),
    /** The source's limit of concurrent requests on one host (never above the crawler's own). */
    maxConcurrency: z.number().int().min(1).max(32).optional(),
  })
  .strict();

/** Only what the crawler fetches: a `file:`, `javascript:` or `gopher:` URL fails at the queue boundary. */
const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http or https URL' });

export const crawlJobSchema = z
  .object({
    url: httpUrl,
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
    /** The source run that caused this job (its totals count the outcome). */
    runId: z.string().max(64).optional(),
  })
  .strict();

/** A page to render in a browser: a crawl job, plus its plain response when it was already fetched. */
export const renderJobSchema = crawlJobSchema
  .extend({
    /** The plain response, already archived (`render: auto`); the browser is served this copy. */
    original: z
      .object({ archive: archiveRefSchema, finalUrl: z.string().url(), fetchedAt: z.string() })
      .strict()
      .optional(),
    /** Why the page is rendered: `always`, or the shell verdict (`little-text`, `empty-root`, ...). */
    why: z.string().max(64).optional(),
  })
  .strict();

export const indexJobSchema = z
  .object({
    record: articleRecordSchema,
    /** Index or alias to write into; defaults to the indexer's configured alias. */
    target: z.string().optional(),
    /** The source run that caused this job (its totals count the outcome). */
    runId: z.string().max(64).optional(),
  })
  .strict();

/** An indexed article whose page went away (404/410) or stopped being that article: out of search, kept as gone. */
export const retireJobSchema = z
  .object({
    articleId: z.string().regex(/^[0-9a-f]{32}$/),
    /** The page's URL as crawled. */
    url: z.string().url(),
    /** HTTP status of the fetch that showed it (404, 410, or 200 for a page that is now something else). */
    status: z.number().int().min(100).max(599),
    /** `http-404`, `http-410`, `moved`, `now-<not-article reason>`. */
    reason: z.string().min(1).max(64),
    /** When the fetch happened (ISO 8601). */
    at: z.string(),
  })
  .strict();

/** A fired source schedule (or an operator's "run now"): discover the source's URLs and queue crawls. */
export const scheduleJobSchema = z
  .object({
    sourceId: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/),
    /** Set for an operator's "run now" rather than a fired schedule. */
    manual: z.boolean().optional(),
    /** Refetch every URL found, seen or not, without conditional headers. */
    force: z.boolean().optional(),
  })
  .strict();

export type CrawlJob = z.input<typeof crawlJobSchema>;
export type CrawlScope = z.infer<typeof crawlScopeSchema>;
export type ParseJob = z.input<typeof parseJobSchema>;
export type IndexJob = z.input<typeof indexJobSchema>;
export type RenderJob = z.input<typeof renderJobSchema>;
export type RenderMode = z.infer<typeof renderModeSchema>;
export type ScheduleJob = z.input<typeof scheduleJobSchema>;
export type RetireJob = z.input<typeof retireJobSchema>;
export type ArchiveRef = z.infer<typeof archiveRefSchema>;
export type UrlHints = z.infer<typeof urlHintsSchema>;

/**
 * How a queue recovers the jobs of a worker that died (SIGKILL, OOM, lost host). Its jobs stay active
 * under a lock nobody renews; the lock expires after `lockDuration` and the next stalled check of any
 * worker of the queue (every `stalledInterval`) puts them back in waiting. A live worker renews its
 * locks every half `lockDuration`, so a long job is never taken for stalled unless its process stops
 * renewing (a busy event loop counts: `lockDuration` must exceed the longest stretch of CPU a job
 * may hold). A job found stalled more than `maxStalledCount` times in a row is, with
 * `stalledRetryable`, retried like any retryable failure (reason `stalled`: one attempt spent, then
 * backoff, the stall count starting over), so a crash-looping worker costs the jobs it held one
 * attempt per `maxStalledCount + 1` crashes, and a job that itself kills its worker every time still
 * ends failed with reason `stalled` once its attempts are spent. Without it the job fails at once.
 */
export interface StalledRecovery {
  lockDuration: number;
  stalledInterval: number;
  maxStalledCount: number;
  /** The step is idempotent: a job that stalled too often is retried, not failed. */
  stalledRetryable: boolean;
}

export interface QueueDefinition<S extends z.ZodType> {
  readonly name: string;
  readonly schema: S;
  /** Retry, backoff and retention policy applied to every job of this queue. */
  readonly jobOptions: DefaultJobOptions;
  readonly recovery: StalledRecovery;
  /**
   * What a completed job keeps of its payload while it sits in the completed window
   * (`removeOnComplete`), when not all of it: the job id stays (a second add of the same id is
   * still a no-op) and the payload shrinks to this. Failed jobs always keep their whole payload,
   * so a dead letter replays.
   */
  readonly completedData?: (data: z.infer<S>) => unknown;
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
    // A fetch is I/O (its event loop stays free to renew locks): a dead crawler's jobs are back within
    // ~20 s. Re-running a crawl is harmless (a second archived copy at most; links go through the
    // seen-set), so stalls are retried.
    recovery: { lockDuration: 15_000, stalledInterval: 5_000, maxStalledCount: 2, stalledRetryable: true },
  }),
  parse: defineQueue({
    name: 'parse',
    schema: parseJobSchema,
    jobOptions: { attempts: 3, backoff: { type: 'exponential', delay: 1_000 }, ...retention },
    // Extraction is CPU-bound: a 5 MB page may hold the event loop for seconds, so the lock is longer
    // than elsewhere and a busy parser is never taken for dead. Index job ids come from the archived
    // copy and parser version, so a re-run adds nothing twice: stalls are retried.
    recovery: { lockDuration: 30_000, stalledInterval: 5_000, maxStalledCount: 2, stalledRetryable: true },
  }),
  index: defineQueue({
    name: 'index',
    schema: indexJobSchema,
    // Elasticsearch may be away for minutes: 12 attempts from 1 s doubling, capped by the worker, spans ~30 min.
    jobOptions: { attempts: 12, backoff: { type: 'exponential', delay: 1_000, jitter: 0.2 }, ...retention },
    // An indexer holds hundreds of jobs until their bulk request is acknowledged, so one crash stalls
    // all of them although none is at fault; the document id is the article's, so a re-run overwrites:
    // stalls are retried, and 12 attempts outlast a long crash loop.
    recovery: { lockDuration: 15_000, stalledInterval: 5_000, maxStalledCount: 2, stalledRetryable: true },
    // Once indexed, the record lives in Elasticsearch (and the page in the archive): a completed job
    // keeps who it was, not the ~10 KB record, which would make the completed window ~90% of Redis.
    completedData: (data) => ({
      record: { id: data.record.id, url: data.record.url },
      ...(data.target ? { target: data.target } : {}),
      ...(data.runId ? { runId: data.runId } : {}),
      completedDataOnly: true,
    }),
  }),
  schedule: defineQueue({
    name: 'schedule',
    schema: scheduleJobSchema,
    // A run that fails (e.g. the feed is down) is retried a few times; the next fire comes anyway.
    jobOptions: { attempts: 3, backoff: { type: 'exponential', delay: 5_000 }, ...retention },
    // A run fetches feeds and sitemaps (I/O) and queues crawls through the seen-set: idempotent.
    recovery: { lockDuration: 30_000, stalledInterval: 10_000, maxStalledCount: 1, stalledRetryable: true },
  }),
  render: defineQueue({
    name: 'render',
    schema: renderJobSchema,
    // A page that hangs or crashes the browser fails on its first attempt; a lost browser is retried.
    jobOptions: { attempts: 3, backoff: { type: 'exponential', delay: 5_000, jitter: 0.5 }, ...retention },
    // A page may take up to the render timeout while the browser holds the event loop busy: a long lock.
    // A worker killed mid-render leaves nothing half-done (the archive append is the last step): retried once.
    recovery: { lockDuration: 60_000, stalledInterval: 15_000, maxStalledCount: 1, stalledRetryable: true },
  }),
  retire: defineQueue({
    name: 'retire',
    schema: retireJobSchema,
    // Elasticsearch may be away: retried like the index queue, from 1 s doubling.
    jobOptions: { attempts: 12, backoff: { type: 'exponential', delay: 1_000, jitter: 0.2 }, ...retention },
    // Moves one document from the index to the gone records: a re-run finds it moved and only rewrites the record.
    recovery: { lockDuration: 15_000, stalledInterval: 5_000, maxStalledCount: 2, stalledRetryable: true },
  }),
} as const;

export type QueueName = keyof typeof catalog;
export type PayloadOf<Q extends QueueName> = z.infer<(typeof catalog)[Q]['schema']>;
export type InputOf<Q extends QueueName> = z.input<(typeof catalog)[Q]['schema']>;
export const queueNames = Object.keys(catalog) as QueueName[];
