import { urlKey, type RedisConnection } from '@gazette/jobs';

/** The last thing that happened to a URL. */
export type PageState =
  | 'fetched'
  | 'not-modified'
  | 'listing'
  | 'not-article'
  /** A discovered link answered 404 or 410: an outcome, not a failure anyone can fix. */
  | 'gone'
  | 'parsed'
  | 'indexed'
  | 'fetch-failed'
  | 'parse-failed'
  | 'index-failed';

export interface PageEntry {
  url: string;
  state: PageState;
  /** Reason code for failures and non-articles. */
  reason?: string;
  /** Article id once parsed. */
  articleId?: string;
  /** HTTP validators for conditional re-fetch. */
  etag?: string;
  lastModified?: string;
  /** Where the last fetched copy is archived: `file:offset:length` (kept by later states). */
  archive?: string;
  /** sha256 of the last fetched body: the same bytes again are not archived or parsed again. */
  bodyHash?: string;
  /**
   * The crawl job (id and creation time) that fetched the last copy: that job, run again after its
   * process died, knows the later states are its own work and not an earlier visit's.
   */
  fetchedBy?: string;
  at: string;
}

/** Fields an update keeps from the entry before unless it names them (even as undefined). */
const KEPT_FIELDS = ['etag', 'lastModified', 'articleId', 'archive', 'bodyHash', 'fetchedBy'] as const;

/**
 * Writes an entry, carrying over the kept fields of the previous entry that
 * the update does not name, in one atomic step. With a guard state, an entry
 * already in that state for the same article is left as it is (returns 0).
 * KEYS[1] hash · ARGV[1] field · ARGV[2] entry JSON · ARGV[3] guard state or ''
 * · ARGV[4..] kept fields to carry over.
 */
const RECORD_SCRIPT = `
local entry = ARGV[2]
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if raw and (#ARGV > 3 or ARGV[3] ~= '') then
  local previous = cjson.decode(raw)
  local merged = cjson.decode(entry)
  if ARGV[3] ~= '' and previous.state == ARGV[3] and previous.articleId ~= nil and previous.articleId == merged.articleId then
    return 0
  end
  local changed = false
  for i = 4, #ARGV do
    local value = previous[ARGV[i]]
    if type(value) == 'string' then
      merged[ARGV[i]] = value
      changed = true
    end
  end
  if changed then entry = cjson.encode(merged) end
end
redis.call('HSET', KEYS[1], ARGV[1], entry)
return 1
`;

interface LedgerCommands {
  gazetteLedgerRecord(key: string, field: string, entry: string, guard: string, ...carry: string[]): Promise<number>;
}

/**
 * Per-URL state in Redis, shared by every process: what happened last, why,
 * and the validators for the next conditional GET. One hash per deployment,
 * field = sha1 of the URL. A new state is written in one round trip and
 * atomically (a Lua script merges it with the previous entry).
 */
export class PageLedger {
  private readonly key: string;
  private readonly outcomesKey: string;
  constructor(
    private readonly redis: RedisConnection,
    prefix: string,
  ) {
    this.key = `${prefix}:pages`;
    this.outcomesKey = `${prefix}:outcomes`;
    if (!('gazetteLedgerRecord' in redis))
      redis.defineCommand('gazetteLedgerRecord', { numberOfKeys: 1, lua: RECORD_SCRIPT });
  }

  private field(url: string): string {
    return urlKey(url);
  }

  async get(url: string): Promise<PageEntry | null> {
    const raw = await this.redis.hget(this.key, this.field(url));
    return raw ? (JSON.parse(raw) as PageEntry) : null;
  }

  /**
   * Records a new state, keeping validators and article id from before unless the update names them.
   * `unlessAlready`: leave an entry that is already in this state for the same article as it is (a
   * parse job run again after its process died must not take back its own index job's `indexed`).
   * Returns whether the entry was written.
   */
  async record(
    url: string,
    update: Omit<PageEntry, 'url' | 'at'>,
    options: { unlessAlready?: PageState } = {},
  ): Promise<boolean> {
    const entry: PageEntry = { url, ...update, at: new Date().toISOString() };
    if (!update.reason) delete entry.reason;
    const carry = KEPT_FIELDS.filter((name) => !(name in update));
    const written = await (this.redis as unknown as LedgerCommands).gazetteLedgerRecord(
      this.key,
      this.field(url),
      JSON.stringify(entry),
      options.unlessAlready ?? '',
      ...carry,
    );
    return written === 1;
  }

  /** Counts one recorded outcome that is not a failure (e.g. `crawl:gone:http-404`). */
  async countOutcome(name: string): Promise<void> {
    await this.redis.hincrby(this.outcomesKey, name, 1);
  }

  /** Recorded outcomes and how often each happened. */
  async outcomes(): Promise<Record<string, number>> {
    const raw = await this.redis.hgetall(this.outcomesKey);
    return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Number(v)]));
  }

  private knownKey(sourceId: string): string {
    return `${this.key}:known:${sourceId}`;
  }

  /** Remembers `url` as an article of source `sourceId` (first time seen as one kept). */
  async noteArticle(sourceId: string, url: string, at = Date.now()): Promise<void> {
    await this.redis.zadd(this.knownKey(sourceId), 'NX', at, url);
  }

  /** `url` is no longer an article of `sourceId` (it went away). */
  async forgetArticle(sourceId: string, url: string): Promise<void> {
    await this.redis.zrem(this.knownKey(sourceId), url);
  }

  /** Article URLs of `sourceId` first seen as articles at or after `since` (epoch ms), oldest first. */
  async articlesOf(sourceId: string, since = 0): Promise<string[]> {
    return this.redis.zrangebyscore(this.knownKey(sourceId), since, '+inf');
  }

  /** Counts of URLs per state. */
  async countByState(): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    const values = await this.redis.hvals(this.key);
    for (const raw of values) {
      const { state } = JSON.parse(raw) as PageEntry;
      counts[state] = (counts[state] ?? 0) + 1;
    }
    return counts;
  }
}
