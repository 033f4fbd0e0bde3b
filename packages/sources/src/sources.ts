import { CronExpressionParser } from 'cron-parser';
import { scanKeys, unlinkKeys, type RedisConnection } from '@gazette/jobs';
import { z } from 'zod';
import { sourceSchema, type Source } from '@gazette/frontier';

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function validCron(pattern: string): boolean {
  try {
    CronExpressionParser.parse(pattern);
    return true;
  } catch {
    return false;
  }
}

/** When a source runs: a cron expression (5 or 6 fields, seconds first) or a fixed interval, in a time zone. */
export const scheduleSchema = z
  .object({
    cron: z.string().refine(validCron, 'not a valid cron expression').optional(),
    /** Interval in milliseconds (at least one second). */
    everyMs: z.number().int().min(1_000).optional(),
    /** IANA time zone the cron expression is read in. */
    tz: z.string().refine(validTimeZone, 'not a known IANA time zone').default('UTC'),
  })
  .strict()
  .refine((s) => (s.cron === undefined) !== (s.everyMs === undefined), {
    message: 'give exactly one of cron and everyMs',
  });

export type Schedule = z.infer<typeof scheduleSchema>;
export type ScheduleInput = z.input<typeof scheduleSchema>;

/** What is stored per source. */
export interface SourceEntry {
  source: Source;
  /** null: the source runs only when asked ("run now"). */
  schedule: Schedule | null;
  paused: boolean;
  createdAt: string;
  updatedAt: string;
}

/** What started a run: a fired schedule, an operator's "run now", or "run now" refetching everything. */
export type RunTrigger = 'schedule' | 'manual' | 'forced';

/** Why a fire did not run: the source is paused, or it brought nothing new lately (polling backoff). */
export type SkipReason = 'paused' | 'backoff';

/** The outcome of one run of a source (fired schedule or run now), as its discovery recorded it. */
export interface SourceRun {
  runId: string;
  sourceId: string;
  /** The schedule job running it (the run id is derived from it). */
  jobId?: string;
  trigger: RunTrigger;
  startedAt: string;
  /** When discovery ended and its crawls were queued (the run goes on until its jobs settle). */
  discoveredAt?: string;
  /** Set only when discovery failed, or for a skipped fire: the run's end is otherwise its last job's. */
  finishedAt?: string;
  /** A fire that did not run, and why. */
  skipped?: SkipReason;
  /** URLs found on seeds, feeds and sitemaps. */
  discovered?: number;
  /** Crawl jobs queued (seeds always, other URLs when new). */
  queued?: number;
  /** Of those, the source's known articles fetched again for changes (`revisitDays`). */
  revisited?: number;
  /** Feeds, sitemaps or seeds that failed, with their reason. */
  problems?: Array<{ url: string; what: string; reason: string }>;
  error?: string;
  /** Process that ran it (host:pid). */
  worker?: string;
}

/**
 * Polling backoff of a source whose feeds and sitemaps keep bringing nothing
 * new: after n quiet runs in a row, the next 2^n − 1 scheduled fires (at most
 * {@link MAX_SKIPPED_FIRES}) are skipped, so a source that rarely changes is
 * polled at 2×, 4×, 8× its interval. A run that finds new URLs resets it;
 * "run now" always runs.
 */
export interface PollBackoff {
  quietRuns: number;
  skipsLeft: number;
}

export const MAX_SKIPPED_FIRES = 7;

/** The backoff after a run that found `fresh` new feed or sitemap URLs. */
export function nextBackoff(previous: PollBackoff | null, fresh: number): PollBackoff {
  if (fresh > 0) return { quietRuns: 0, skipsLeft: 0 };
  const quietRuns = (previous?.quietRuns ?? 0) + 1;
  return { quietRuns, skipsLeft: Math.min(2 ** quietRuns - 1, MAX_SKIPPED_FIRES) };
}

export class SourceExistsError extends Error {
  override name = 'SourceExistsError';
}

export class SourceNotFoundError extends Error {
  override name = 'SourceNotFoundError';
}

const RUN_HISTORY = 50;

/**
 * Sources and their schedules, stored durably in Redis (one hash of JSON per
 * deployment), each validated with the frontier's source schema on the way in
 * and out. Also keeps the recent runs of every source.
 */
export class SourceStore {
  private readonly key: string;
  private readonly runsKey: string;
  private readonly backoffKey: string;
  constructor(
    private readonly redis: RedisConnection,
    private readonly prefix: string,
  ) {
    this.key = `${prefix}:sources`;
    this.runsKey = `${prefix}:source-runs`;
    this.backoffKey = `${prefix}:source-backoff`;
  }

  private decode(raw: string): SourceEntry {
    const parsed = JSON.parse(raw) as SourceEntry;
    return {
      ...parsed,
      source: sourceSchema.parse(parsed.source),
      schedule: parsed.schedule ? scheduleSchema.parse(parsed.schedule) : null,
    };
  }

  async list(): Promise<SourceEntry[]> {
    const all = await this.redis.hvals(this.key);
    return all.map((raw) => this.decode(raw)).sort((a, b) => a.source.id.localeCompare(b.source.id));
  }

  async get(id: string): Promise<SourceEntry | null> {
    const raw = await this.redis.hget(this.key, id);
    return raw ? this.decode(raw) : null;
  }

  /** Stores a new source; fails when the id is taken. */
  async create(entry: Omit<SourceEntry, 'createdAt' | 'updatedAt'>): Promise<SourceEntry> {
    const now = new Date().toISOString();
    const full: SourceEntry = { ...entry, createdAt: now, updatedAt: now };
    const created = await this.redis.hsetnx(this.key, entry.source.id, JSON.stringify(full));
    if (!created) throw new SourceExistsError(`a source with id ${entry.source.id} already exists`);
    return full;
  }

  /** Replaces a stored source (same id). */
  async put(entry: SourceEntry): Promise<SourceEntry> {
    const full = { ...entry, updatedAt: new Date().toISOString() };
    await this.redis.hset(this.key, entry.source.id, JSON.stringify(full));
    return full;
  }

  async remove(id: string): Promise<boolean> {
    const [removed] = await Promise.all([
      this.redis.hdel(this.key, id),
      this.redis.hdel(this.runsKey, id),
      this.redis.hdel(this.backoffKey, id),
      this.redis.del(`${this.runsKey}:${id}`),
    ]);
    return removed > 0;
  }

  /**
   * Records (or updates) a run; the newest run of each source (by start time) is kept apart for
   * quick listing, so an older run that ends after a newer one started does not hide it.
   */
  async recordRun(run: SourceRun): Promise<void> {
    const json = JSON.stringify(run);
    const history = `${this.runsKey}:${run.sourceId}`;
    await this.redis
      .multi()
      .hset(`${history}:by-id`, run.runId, json)
      .zadd(`${history}:order`, Date.parse(run.startedAt), run.runId)
      .exec();
    const [newest] = await this.redis.zrevrange(`${history}:order`, 0, 0);
    if (newest === run.runId) await this.redis.hset(this.runsKey, run.sourceId, json);
    // Keep the history bounded.
    const excess = await this.redis.zrange(`${history}:order`, 0, -RUN_HISTORY - 1);
    if (excess.length > 0) {
      await this.redis
        .multi()
        .zrem(`${history}:order`, ...excess)
        .hdel(`${history}:by-id`, ...excess)
        .exec();
    }
  }

  /** One recorded run of a source. */
  async run(sourceId: string, runId: string): Promise<SourceRun | null> {
    const raw = await this.redis.hget(`${this.runsKey}:${sourceId}:by-id`, runId);
    return raw ? (JSON.parse(raw) as SourceRun) : null;
  }

  async backoff(id: string): Promise<PollBackoff | null> {
    const raw = await this.redis.hget(this.backoffKey, id);
    return raw ? (JSON.parse(raw) as PollBackoff) : null;
  }

  async setBackoff(id: string, backoff: PollBackoff): Promise<void> {
    await this.redis.hset(this.backoffKey, id, JSON.stringify(backoff));
  }

  async lastRun(id: string): Promise<SourceRun | null> {
    const raw = await this.redis.hget(this.runsKey, id);
    return raw ? (JSON.parse(raw) as SourceRun) : null;
  }

  async lastRuns(): Promise<Record<string, SourceRun>> {
    const all = await this.redis.hgetall(this.runsKey);
    return Object.fromEntries(Object.entries(all).map(([id, raw]) => [id, JSON.parse(raw) as SourceRun]));
  }

  /** Recent runs of a source, newest first. */
  async runs(id: string, limit = RUN_HISTORY): Promise<SourceRun[]> {
    const history = `${this.runsKey}:${id}`;
    const ids = await this.redis.zrevrange(`${history}:order`, 0, limit - 1);
    if (ids.length === 0) return [];
    const raws = await this.redis.hmget(`${history}:by-id`, ...ids);
    return raws.filter((r): r is string => r !== null).map((r) => JSON.parse(r) as SourceRun);
  }

  /** Deletes every key of this store (tests). */
  async clear(): Promise<void> {
    await scanKeys(this.redis, `${this.prefix}:source*`, async (keys) => {
      await unlinkKeys(this.redis, keys);
    });
  }
}
