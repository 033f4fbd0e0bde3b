import type { RedisConnection } from '@gazette/jobs';

/** What became of a run's URLs, counted as each job the run caused settled. */
export interface RunTotals {
  /** URLs found on seeds, feeds and sitemaps. */
  discovered: number;
  /** Crawl jobs the run queued (discovery and followed links). */
  queued: number;
  /** Pages fetched (or rendered) and archived. */
  fetched: number;
  /** Pages the server answered 304 Not Modified for. */
  notModified: number;
  /** Links that answered 404 or 410 (recorded as gone, not failed). */
  gone: number;
  /** Pages judged listings (links followed, nothing parsed). */
  listing: number;
  /** Pages the parser judged not to be articles. */
  notArticle: number;
  /** Articles parsed and handed to the indexer. */
  parsed: number;
  /** Articles Elasticsearch acknowledged. */
  indexed: number;
  /** Jobs that failed for good, by reason code. */
  failed: Record<string, number>;
  /** Jobs of the run not settled yet (0: the run is over). */
  open: number;
  /** When the last of its jobs settled. */
  lastSettledAt?: string;
  /** When the run was over: the last of its jobs settled with none left open. */
  finishedAt?: string;
}

/** The counters a settled job may add to, besides `failed:<reason>`. */
export type RunCounter = Exclude<keyof RunTotals, 'failed' | 'open' | 'lastSettledAt' | 'finishedAt'>;

const COUNTERS: RunCounter[] = [
  'discovered',
  'queued',
  'fetched',
  'notModified',
  'gone',
  'listing',
  'notArticle',
  'parsed',
  'indexed',
];

/** Run keys live two weeks after their last change. */
const TTL_SECONDS = 14 * 24 * 3600;

/**
 * Settles one job of a run: removes it from the run's open set and, only when it was open (a job
 * re-run after a crash, or a second delivery, counts once), adds to its counters; a failure's reason
 * is kept per member, so a replay can take it back. The run is over when the set is empty.
 * KEYS: open set, totals hash, failures hash. ARGV: member, now, ttl, counter fields...
 */
const SETTLE = `
if redis.call('SREM', KEYS[1], ARGV[1]) == 0 then return -1 end
for i = 4, #ARGV do
  redis.call('HINCRBY', KEYS[2], ARGV[i], 1)
  if string.sub(ARGV[i], 1, 7) == 'failed:' then redis.call('HSET', KEYS[3], ARGV[1], string.sub(ARGV[i], 8)) end
end
local left = redis.call('SCARD', KEYS[1])
redis.call('HSET', KEYS[2], 'lastSettledAt', ARGV[2])
if left == 0 then redis.call('HSET', KEYS[2], 'finishedAt', ARGV[2]) end
for i = 1, 3 do redis.call('EXPIRE', KEYS[i], ARGV[3]) end
return left
`;

/**
 * Opens again a member that settled as failed (its job is replayed): it goes back to the open set
 * and its `failed:<reason>` count is taken back, so the replay's outcome is what counts. A member
 * without a recorded failure (still open, completed, or already reopened) is left alone.
 * KEYS: open set, totals hash, failures hash. ARGV: member, ttl. Returns the reason taken back, or false.
 */
const REOPEN = `
local reason = redis.call('HGET', KEYS[3], ARGV[1])
if not reason then return false end
if redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return false end
redis.call('HDEL', KEYS[3], ARGV[1])
local field = 'failed:' .. reason
if redis.call('HINCRBY', KEYS[2], field, -1) <= 0 then redis.call('HDEL', KEYS[2], field) end
redis.call('HDEL', KEYS[2], 'finishedAt')
for i = 1, 3 do redis.call('EXPIRE', KEYS[i], ARGV[2]) end
return reason
`;

/**
 * Opens members of a run, adding the number newly opened to a counter (when one is named).
 * KEYS: open set, totals hash. ARGV: ttl, counter field or '', members...
 */
const OPEN = `
local added = 0
for i = 3, #ARGV do added = added + redis.call('SADD', KEYS[1], ARGV[i]) end
if added > 0 then
  redis.call('HDEL', KEYS[2], 'finishedAt')
  if ARGV[2] ~= '' then redis.call('HINCRBY', KEYS[2], ARGV[2], added) end
end
redis.call('EXPIRE', KEYS[1], ARGV[1])
redis.call('EXPIRE', KEYS[2], ARGV[1])
return added
`;

/**
 * Per-run accounting in Redis. Every job a run causes (crawl, render, parse, index) is opened under
 * a member name (queue and URL) before it is added, and settled once it completed or failed for
 * good, adding to the run's counters; a failed member is opened again when its job is replayed.
 * Each run has three keys under the deployment's prefix (on a
 * Redis Cluster the prefix carries a hash tag, so all share a slot and every update is one
 * script on one slot); they expire two weeks after their last change.
 */
export class RunTally {
  constructor(
    private readonly redis: RedisConnection,
    private readonly prefix: string,
  ) {}

  private keys(runId: string): [string, string, string] {
    const run = `${this.prefix}:run:${runId}`;
    return [`${run}:open`, `${run}:totals`, `${run}:failures`];
  }

  /**
   * Marks jobs of the run as open (idempotent per member: a job added again is counted once), adding
   * the number newly opened to `counter`; a finished run that gets more jobs is open again.
   */
  async open(runId: string, members: string[], counter?: RunCounter): Promise<number> {
    if (members.length === 0) return 0;
    const [open, totals] = this.keys(runId);
    return Number(await this.redis.eval(OPEN, 2, open, totals, TTL_SECONDS, counter ?? '', ...members));
  }

  /**
   * Settles one open job, adding to the given counters (a `failed:<reason>` field counts a failure).
   * Returns the jobs left open, or -1 when the member was not open (already settled: nothing counted).
   */
  async settle(runId: string, member: string, counters: string[]): Promise<number> {
    const left = await this.redis.eval(
      SETTLE,
      3,
      ...this.keys(runId),
      member,
      new Date().toISOString(),
      TTL_SECONDS,
      ...counters,
    );
    return Number(left);
  }

  /**
   * Opens again a member that settled as failed, because its job is replayed: its failure is no
   * longer counted and the run is running until the replayed job settles. Returns the reason taken
   * back, or undefined when the member had no failure counted (nothing changed).
   */
  async reopen(runId: string, member: string): Promise<string | undefined> {
    const reason = await this.redis.eval(REOPEN, 3, ...this.keys(runId), member, TTL_SECONDS);
    return typeof reason === 'string' ? reason : undefined;
  }

  /** Adds to counters outside any job (discovery's figures). */
  async add(runId: string, counts: Partial<Record<RunCounter, number>>): Promise<void> {
    const [, totals] = this.keys(runId);
    const multi = this.redis.multi();
    for (const [field, n] of Object.entries(counts)) if (n) multi.hincrby(totals, field, n);
    multi.expire(totals, TTL_SECONDS);
    await multi.exec();
  }

  /** The totals of one run (all zero for an unknown run). */
  async totals(runId: string): Promise<RunTotals> {
    const [openKey, totalsKey] = this.keys(runId);
    const [hash, open] = await Promise.all([this.redis.hgetall(totalsKey), this.redis.scard(openKey)]);
    return decodeTotals(hash, open);
  }

  /** Totals of several runs, by run id. */
  async totalsOf(runIds: string[]): Promise<Map<string, RunTotals>> {
    const unique = [...new Set(runIds)];
    const all = await Promise.all(unique.map((id) => this.totals(id)));
    return new Map(unique.map((id, i) => [id, all[i]!]));
  }
}

export function decodeTotals(hash: Record<string, string>, open: number): RunTotals {
  const totals: RunTotals = {
    discovered: 0,
    queued: 0,
    fetched: 0,
    notModified: 0,
    gone: 0,
    listing: 0,
    notArticle: 0,
    parsed: 0,
    indexed: 0,
    failed: {},
    open,
  };
  for (const counter of COUNTERS) totals[counter] = Number(hash[counter] ?? 0);
  for (const [field, value] of Object.entries(hash)) {
    if (field.startsWith('failed:')) totals.failed[field.slice('failed:'.length)] = Number(value);
  }
  if (hash.lastSettledAt) totals.lastSettledAt = hash.lastSettledAt;
  if (hash.finishedAt && open === 0) totals.finishedAt = hash.finishedAt;
  return totals;
}
