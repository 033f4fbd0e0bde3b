import type { Client } from '@elastic/elasticsearch';
import { RetryableError, type RedisConnection } from '@gazette/jobs';
import { articleRecordSchema, type ArticleRecord } from '@gazette/article';
import {
  BulkWriter,
  SERVING_SEGMENTS,
  aliasTargets,
  createArticleIndex,
  newIndexName,
  switchAlias,
} from '@gazette/search';
import { Cursor, type ProgressListener } from './cursor.ts';
import { RedisLease, type LeaseHolder } from './lease.ts';

export interface ReindexOptions {
  es: Client;
  redis: RedisConnection;
  prefix: string;
  /** The articles alias readers and the indexer use. */
  alias: string;
  /** Delete the indices the alias pointed at once it has switched. */
  deleteOld?: boolean;
  /** Documents per page read and per bulk request. */
  batchSize?: number;
  /**
   * Before the alias switches, the new index is force-merged down to at most this many segments
   * per shard: bulk indexing leaves many, and every search (related-article lookups most of all)
   * does its work once per segment. Default `SERVING_SEGMENTS` (1: the fewest term lookups per
   * search); 0 leaves the index as the copy left it. Elasticsearch does not merge a segment over
   * 5 GB again, so a shard far larger than that, which keeps receiving updates and deletes, is
   * better merged to a few.
   */
  mergeSegments?: number;
  signal?: AbortSignal;
  onProgress?: ProgressListener;
  /**
   * The alias's reindex lease, when the caller took it beforehand (`lockReindex`) to refuse a
   * second run up front; the reindex releases it when it ends. Without it the reindex takes it.
   */
  lock?: ReindexLock;
  /** Time to live of the lease the reindex takes (renewed every third of it). Default 30 s. */
  lockTtlMs?: number;
}

/** Refused: a reindex of the same alias is running (in this process or another). Retry once it has finished. */
export class ReindexRunningError extends RetryableError {
  constructor(
    readonly alias: string,
    readonly holder: LeaseHolder | null,
  ) {
    super(
      'reindex-running',
      `a reindex of ${alias} is already running` +
        (holder ? ` (started ${holder.since} by pid ${holder.pid} on ${holder.host})` : '') +
        '; try again once it has finished',
    );
  }
}

/** The lease that keeps a second reindex of an alias from running beside the first. */
export interface ReindexLock {
  readonly alias: string;
  readonly lease: RedisLease;
}

const DEFAULT_LOCK_TTL_MS = 30_000;

/**
 * Takes the reindex lease of an alias, or throws `ReindexRunningError` (reason `reindex-running`)
 * when another reindex holds it. The lease is renewed while its holder runs and expires within its
 * time to live after the holder dies, so a crashed run blocks the next one for seconds, not for good.
 */
export async function lockReindex(
  redis: RedisConnection,
  prefix: string,
  alias: string,
  ttlMs = DEFAULT_LOCK_TTL_MS,
): Promise<ReindexLock> {
  const taken = await RedisLease.acquire(redis, reindexLockKey(prefix, alias), ttlMs);
  if ('holder' in taken) throw new ReindexRunningError(alias, taken.holder);
  return { alias, lease: taken.lease };
}

/** The Redis key of an alias's reindex lease. */
export const reindexLockKey = (prefix: string, alias: string): string => `${prefix}:lock:reindex:${alias}`;

export interface ReindexResult {
  alias: string;
  from: string[];
  to: string;
  copied: number;
  /** Documents written to the old index while the copy ran, copied afterwards. */
  caughtUp: number;
  deleted: string[];
  /** Segments of the new index's primaries when the alias switched (null when this run did not switch it). */
  segments: number | null;
  resumed: boolean;
  interrupted: boolean;
}

interface ReindexState {
  from: string[];
  to: string;
  phase: 'copy' | 'switched';
  /** `search_after` position (the article id) of the copy. */
  after: string | null;
  copied: number;
  /** When the copy started: later writes to the old index are caught up. */
  startedAt: string;
}

const CLOCK_MARGIN_MS = 60_000;
const marginBefore = (at: Date) => new Date(at.getTime() - CLOCK_MARGIN_MS).toISOString();

const RECORD_FIELDS = Object.keys(articleRecordSchema.shape);

function toRecord(source: Record<string, unknown>): ArticleRecord | null {
  const picked: Record<string, unknown> = {};
  for (const key of RECORD_FIELDS) if (key in source) picked[key] = source[key];
  const parsed = articleRecordSchema.safeParse(picked);
  return parsed.success ? parsed.data : null;
}

/**
 * Rebuilds the articles index without downtime: a new index of the current
 * mapping version is created beside the live one, every record is copied
 * into it through the same bulk writer the indexer uses (derived fields are
 * computed afresh), documents written meanwhile are caught up, then the
 * alias is switched in one atomic request, and finally the old index may be
 * deleted. Searches go through the alias, so they are answered throughout.
 * Progress is kept in Redis: an interrupted reindex resumes where it stopped.
 * One reindex per alias at a time: a second is refused with `ReindexRunningError`.
 */
export async function reindex(options: ReindexOptions): Promise<ReindexResult> {
  const lock = options.lock ?? (await lockReindex(options.redis, options.prefix, options.alias, options.lockTtlMs));
  if (lock.alias !== options.alias) throw new Error(`the lock is for ${lock.alias}, not ${options.alias}`);
  try {
    return await reindexLocked(options, lock);
  } finally {
    await lock.lease.release();
  }
}

async function reindexLocked(options: ReindexOptions, lock: ReindexLock): Promise<ReindexResult> {
  const { es, alias } = options;
  // A lost lease stops the copy like an interrupt: another run may own the rebuild now.
  const signal = options.signal ? AbortSignal.any([options.signal, lock.lease.lost]) : lock.lease.lost;
  const batchSize = options.batchSize ?? 500;
  const cursor = new Cursor<ReindexState>(options.redis, `${options.prefix}:cursor:reindex:${alias}`);
  let state = await cursor.load();
  const resumed = state !== null;
  if (!state) {
    const from = await aliasTargets(es, alias);
    if (from.length === 0) throw new Error(`alias ${alias} does not exist: nothing to reindex`);
    // Index names go by the second: a reindex right after another one takes the next free second
    // (runs of one alias never overlap, so nobody takes it meanwhile).
    let at = Date.now();
    let to = newIndexName(alias, new Date(at));
    while (await es.indices.exists({ index: to })) {
      at += 1000;
      to = newIndexName(alias, new Date(at));
    }
    await createArticleIndex(es, to);
    // Later writes are caught up by their indexedAt; the margin covers clock skew between writers.
    state = { from, to, phase: 'copy', after: null, copied: 0, startedAt: marginBefore(new Date()) };
    await cursor.save(state);
    // Make everything written so far visible to the copy.
    await es.indices.refresh({ index: from });
  }
  const result: ReindexResult = {
    alias,
    from: state.from,
    to: state.to,
    copied: state.copied,
    caughtUp: 0,
    deleted: [],
    segments: null,
    resumed,
    interrupted: false,
  };
  const total = (await es.count({ index: state.from })).count;
  const writer = new BulkWriter({ client: es, index: state.to, maxBatch: batchSize, flushIntervalMs: 50 });

  const copy = async (query: object, after: string | null, onPage: (last: string, n: number) => Promise<void>) => {
    let position = after;
    while (!signal.aborted) {
      const res = await es.search<Record<string, unknown>>({
        index: state.from,
        size: batchSize,
        sort: [{ id: 'asc' }],
        query,
        ...(position ? { search_after: [position] } : {}),
      });
      const hits = res.hits.hits;
      if (hits.length === 0) return true;
      const records = hits.map((h) => toRecord(h._source ?? {})).filter((r): r is ArticleRecord => r !== null);
      await Promise.all(records.map((r) => writer.write(r)));
      position = String(hits[hits.length - 1]!.sort?.[0] ?? '');
      await onPage(position, records.length);
    }
    return false;
  };

  try {
    if (state.phase === 'copy') {
      const done = await copy({ match_all: {} }, state.after, async (last, n) => {
        state.after = last;
        state.copied += n;
        result.copied = state.copied;
        await cursor.save(state);
        options.onProgress?.({ done: state.copied, total, phase: 'copying' });
      });
      if (!done) {
        result.interrupted = true;
        return result;
      }
      // Catch up what the indexer wrote to the old index meanwhile, then switch.
      const catchUpFrom = marginBefore(new Date());
      await es.indices.refresh({ index: state.from });
      await copy({ range: { indexedAt: { gte: state.startedAt } } }, null, async (_last, n) => {
        result.caughtUp += n;
      });
      await es.indices.refresh({ index: state.to });
      const mergeTo = options.mergeSegments ?? SERVING_SEGMENTS;
      if (mergeTo > 0) {
        // Waits for the merge (minutes on millions of documents); searches still read the old index.
        await es.indices.forcemerge({ index: state.to, max_num_segments: mergeTo }, { requestTimeout: 3_600_000 });
        await es.indices.refresh({ index: state.to });
      }
      if (signal.aborted) {
        result.interrupted = true;
        return result;
      }
      const stats = await es.indices.stats({ index: state.to, metric: 'segments' });
      result.segments = stats._all.primaries?.segments?.count ?? null;
      await switchAlias(es, alias, state.to);
      state.phase = 'switched';
      state.startedAt = catchUpFrom;
      await cursor.save(state);
      options.onProgress?.({ done: total, total, phase: 'switched' });
    }
    // Writes that reached the old index between the catch-up and the switch.
    await es.indices.refresh({ index: state.from });
    const caughtUp = await copy({ range: { indexedAt: { gte: state.startedAt } } }, null, async (_last, n) => {
      result.caughtUp += n;
    });
    if (!caughtUp) {
      // The cursor stays: the next run redoes this catch-up.
      result.interrupted = true;
      return result;
    }
    await writer.close();
    await es.indices.refresh({ index: state.to });
    if (options.deleteOld) {
      const old = state.from.filter((i) => i !== state.to);
      if (old.length > 0) await es.indices.delete({ index: old, ignore_unavailable: true });
      result.deleted = old;
    }
    await cursor.clear();
    return result;
  } finally {
    await writer.close();
  }
}
