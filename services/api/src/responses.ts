import { z } from 'zod';
import { articleRecordSchema } from '@gazette/article';
import { sourceSchema } from '@gazette/frontier';
import { queueNames } from '@gazette/jobs';
import { scheduleSchema } from '@gazette/sources';

/**
 * The api's responses as zod schemas: the OpenAPI document is generated from them (see openapi.ts),
 * and the contract test validates every route's real responses against that document.
 */

const iso = z.string().describe('ISO 8601 date-time');
const queueName = z.enum(queueNames as [string, ...string[]]);

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
  })
  .describe('A problem document (application/problem+json) whose detail says what was wrong');

export const healthSchema = z.object({
  status: z.enum(['ok', 'degraded', 'ready', 'not-ready']),
  redis: z.boolean(),
  elasticsearch: z.boolean(),
});

export const crawlAcceptedSchema = z.object({
  accepted: z.number().int(),
  runId: z.string(),
  jobIds: z.array(z.string()),
});

// --- sources and runs ---

export const runTotalsSchema = z.object({
  discovered: z.number().int(),
  queued: z.number().int(),
  fetched: z.number().int(),
  notModified: z.number().int(),
  gone: z.number().int(),
  listing: z.number().int(),
  notArticle: z.number().int(),
  parsed: z.number().int(),
  indexed: z.number().int(),
  failed: z.record(z.string(), z.number().int()).describe('jobs failed for good, by reason code'),
  open: z.number().int().describe('jobs of the run not settled yet'),
  lastSettledAt: iso.optional(),
  finishedAt: iso.optional(),
});

export const runViewSchema = z.object({
  runId: z.string(),
  sourceId: z.string(),
  jobId: z.string().optional().describe('the schedule job that ran it'),
  trigger: z.enum(['schedule', 'manual', 'forced']),
  state: z.enum(['skipped', 'failed', 'running', 'finished']),
  startedAt: iso,
  discoveredAt: iso.optional(),
  finishedAt: iso.optional().describe('when the last of its jobs settled'),
  skipped: z.enum(['paused', 'backoff']).optional(),
  discovered: z.number().int().optional(),
  queued: z.number().int().optional(),
  problems: z.array(z.object({ url: z.string(), what: z.string(), reason: z.string() })).optional(),
  error: z
    .string()
    .optional()
    .describe("why discovery failed (its schedule job's reason when that job failed for good)"),
  worker: z.string().optional(),
  totals: runTotalsSchema,
});

export const sourceViewSchema = z.object({
  source: sourceSchema,
  schedule: scheduleSchema.nullable(),
  paused: z.boolean(),
  createdAt: iso,
  updatedAt: iso,
  nextRunAt: iso.nullable(),
  lastRun: runViewSchema.nullable(),
});

export const sourcesListSchema = z.object({ sources: z.array(sourceViewSchema) });
export const runsListSchema = z.object({ runs: z.array(runViewSchema) });
export const runQueuedSchema = z.object({
  jobId: z.string(),
  runId: z.string(),
  /** True when an earlier "run now" of the source (same force) was still queued or discovering: that run, not a new one. */
  alreadyQueued: z.boolean(),
});

// --- queues ---

export const queueStatsSchema = z.object({
  queue: queueName,
  waiting: z.number().int(),
  active: z.number().int(),
  delayed: z.number().int(),
  prioritized: z.number().int(),
  completed: z.number().int(),
  failed: z.number().int(),
  retrying: z.number().int().describe('delayed jobs waiting for a retry after a failed attempt (part of delayed)'),
  oldestWaitingSeconds: z.number().nullable(),
});

export const queuesSchema = z.object({ queues: z.array(queueStatsSchema) });

export const failedJobsSchema = z.object({
  queue: queueName,
  jobs: z.array(
    z.object({
      id: z.string(),
      queue: z.string(),
      data: z.unknown(),
      reason: z.string(),
      failedReason: z.string(),
      attemptsMade: z.number().int(),
      stacktrace: z.array(z.string()),
      attempts: z.array(z.string()),
      createdAt: iso,
      failedAt: iso.nullable(),
    }),
  ),
});

export const replayResultSchema = z.object({
  queue: queueName,
  matched: z.number().int(),
  replayed: z.number().int(),
  ids: z.array(z.string()),
});

// --- operations ---

export const operationSchema = z.object({
  id: z.string(),
  kind: z.enum(['reparse', 'reindex']),
  state: z.enum(['running', 'done', 'failed']),
  startedAt: iso,
  finishedAt: iso.optional(),
  progress: z
    .object({ done: z.number(), total: z.number().optional(), phase: z.string().optional() })
    .loose()
    .optional(),
  result: z.unknown().optional(),
  error: z.string().optional(),
});

// --- read side ---

const summaryShape = {
  id: z.string(),
  score: z.number().nullable(),
  title: z.string(),
  url: z.string(),
  canonicalUrl: z.string(),
  site: z.string(),
  publishedAt: z.string().nullable(),
  authors: z.array(z.string()),
  language: z.string().nullable(),
  dupGroup: z.string().optional(),
  highlight: z.object({ title: z.array(z.string()).optional(), body: z.array(z.string()).optional() }).optional(),
};

/** One article in a list (search hit, related article, copy). */
export const articleSummarySchema = z.object({
  ...summaryShape,
  duplicates: z.array(z.object(summaryShape)).optional(),
});

export const articleSchema = articleRecordSchema;

/** An article whose page went away: out of search, kept with its status, reason and date. */
export const goneSchema = z.object({
  id: z.string(),
  url: z.string(),
  state: z.literal('gone'),
  goneAt: z.string().describe('when the removal was seen'),
  status: z.number().int().describe('HTTP status of that fetch'),
  reason: z.string().describe('http-404, http-410, moved (now another article), now-<not-article reason>'),
});

/** A gone article with the last record the index had (`GET /articles/:id?includeGone=true`). */
export const goneArticleSchema = goneSchema.extend({ record: articleRecordSchema.nullable() });

export const duplicatesSchema = z.object({ id: z.string(), duplicates: z.array(articleSummarySchema) });

export const relatedSchema = z.object({
  id: z.string(),
  related: z.array(articleSummarySchema),
  duplicates: z.array(articleSummarySchema).optional(),
});

export const searchResultSchema = z.object({
  total: z.number().int(),
  totalRelation: z.enum(['eq', 'gte']).optional(),
  hits: z.array(articleSummarySchema),
  next: z.string().nullable().optional(),
  readAs: z
    .literal('words')
    .optional()
    .describe('present when q was not valid query syntax and was searched as plain words'),
});

export const storySchema = z.object({
  id: z.string(),
  firstReport: z.string().nullable(),
  articles: z.array(z.object({ ...summaryShape, first: z.boolean(), copies: z.array(articleSummarySchema) })),
});

// --- console ---

export const consoleSummarySchema = z.object({
  sources: z.array(sourceViewSchema),
  queues: z.array(queueStatsSchema),
  articlesPerMinute: z.array(z.object({ minute: iso, count: z.number().int() })),
  failures: z.array(z.object({ queue: queueName, reason: z.string(), count: z.number().int() })),
  recentArticles: z.array(
    z.object({ id: z.string(), url: z.string(), title: z.string(), site: z.string().nullable(), indexedAt: iso }),
  ),
  workers: z.array(
    z.object({
      queue: queueName,
      count: z.number().int(),
      workers: z.array(z.object({ addr: z.string(), ageSeconds: z.number() })),
    }),
  ),
  status: z.object({
    redis: z.boolean(),
    elasticsearch: z.boolean(),
    /** The articles index's health; null while Elasticsearch is down or the index does not exist yet. */
    elasticsearchHealth: z.enum(['green', 'yellow', 'red']).nullable(),
  }),
});

// --- shared shapes: components of the OpenAPI document, referenced ($ref) from the routes ---

/** Response shapes the document names once under `components.schemas` and every route refers to. */
export const components = z.registry<{ id: string }>();
components.add(problemSchema, { id: 'Problem' });
components.add(articleSchema, { id: 'Article' });
components.add(articleSummarySchema, { id: 'ArticleSummary' });
components.add(searchResultSchema, { id: 'SearchResult' });
components.add(runTotalsSchema, { id: 'RunTotals' });
components.add(runViewSchema, { id: 'Run' });
components.add(sourceViewSchema, { id: 'Source' });
components.add(queueStatsSchema, { id: 'QueueStats' });
components.add(goneSchema, { id: 'Gone' });
