import { createHash } from 'node:crypto';
import type { ArticleRecord } from '@gazette/article';
import type { RedisConnection } from '@gazette/jobs';

/** One version of an article as Gazette saw it: a fetch whose record differed from the one before. */
export interface Revision {
  /** 1 for the first version seen, counting up. */
  version: number;
  title: string;
  contentHash: string;
  wordCount: number;
  publishedAt: string | null;
  modifiedAt: string | null;
  /** When the fetch that produced this version happened. */
  fetchedAt: string;
  /** Where that fetch is archived: `file:offset:length`. */
  archive: string;
  parserVersion: string;
  /** Digest of every field of the record but the fetch time: two fetches with the same digest are one version. */
  digest: string;
}

/** An article whose page went away: removed from search, kept here with why and when. */
export interface GoneArticle {
  id: string;
  url: string;
  state: 'gone';
  /** When the removal was seen (the fetch that answered 404/410, or the page that stopped being this article). */
  goneAt: string;
  /** HTTP status of that fetch (404, 410, or the redirect target's 200). */
  status: number;
  /** `http-404`, `http-410`, `moved` (the URL now leads to another article), `now-<not-article reason>`. */
  reason: string;
  /** The last record that was indexed, when the index still had it. */
  record: ArticleRecord | null;
}

/**
 * Every field of a record but when it was fetched and when it says it was modified (a new comment
 * moves a CMS's modification time, not the article): what tells one version from another.
 */
export function recordDigest(record: ArticleRecord): string {
  const { fetchedAt: _fetchedAt, modifiedAt: _modifiedAt, ...rest } = record;
  return createHash('sha256').update(JSON.stringify(rest)).digest('hex').slice(0, 32);
}

/** Most versions kept per article (the oldest first one is always kept). */
const MAX_REVISIONS = 100;

/**
 * Appends a version unless the latest one has the same digest, numbering it after the latest, and
 * drops the second-oldest when the list is over its length: one atomic step, so two parses of the
 * same article at once (two URLs of one article) neither number two versions alike nor add the same
 * one twice. KEYS[1] revisions list · ARGV[1] digest · ARGV[2] revision JSON (its version is set
 * here) · ARGV[3] most versions kept. Returns {1, new entry} or {0, latest entry}.
 */
const NOTE_VERSION_SCRIPT = `
local lastRaw = redis.call('LINDEX', KEYS[1], -1)
local version = 1
if lastRaw then
  local last = cjson.decode(lastRaw)
  if last.digest == ARGV[1] then return {0, lastRaw} end
  version = (tonumber(last.version) or 0) + 1
end
local revision = cjson.decode(ARGV[2])
revision.version = version
local entry = cjson.encode(revision)
if redis.call('RPUSH', KEYS[1], entry) > tonumber(ARGV[3]) then
  local second = redis.call('LINDEX', KEYS[1], 1)
  if second then redis.call('LREM', KEYS[1], 1, second) end
end
return {1, entry}
`;

interface HistoryCommands {
  gazetteNoteVersion(key: string, digest: string, revision: string, max: number): Promise<[number, string]>;
}

/**
 * Versions and removals of articles, in Redis next to the page ledger: `<prefix>:revisions:<id>`
 * (a list of {@link Revision}, oldest first) and `<prefix>:gone` (article id → {@link GoneArticle}).
 * The text of every version stays in the raw archive; a revision names its archived copy.
 */
export class ArticleHistory {
  private readonly prefix: string;
  constructor(
    private readonly redis: RedisConnection,
    prefix: string,
  ) {
    this.prefix = prefix;
    if (!('gazetteNoteVersion' in redis))
      redis.defineCommand('gazetteNoteVersion', { numberOfKeys: 1, lua: NOTE_VERSION_SCRIPT });
  }

  private revisionsKey(id: string): string {
    return `${this.prefix}:revisions:${id}`;
  }

  private get goneKey(): string {
    return `${this.prefix}:gone`;
  }

  /** The versions of article `id`, oldest first (empty when none was recorded). */
  async revisions(id: string): Promise<Revision[]> {
    const raw = await this.redis.lrange(this.revisionsKey(id), 0, -1);
    return raw.map((r) => JSON.parse(r) as Revision);
  }

  /**
   * Records `record`, fetched and archived at `archive`, as a new version of its article unless it
   * is the same as the latest one. Returns the version and whether it is new.
   */
  async noteVersion(record: ArticleRecord, archive: string): Promise<{ revision: Revision; isNew: boolean }> {
    const digest = recordDigest(record);
    const revision: Revision = {
      version: 0,
      title: record.title,
      contentHash: record.contentHash,
      wordCount: record.wordCount,
      publishedAt: record.publishedAt,
      modifiedAt: record.modifiedAt,
      fetchedAt: record.fetchedAt,
      archive,
      parserVersion: record.parserVersion,
      digest,
    };
    const [isNew, raw] = await (this.redis as unknown as HistoryCommands).gazetteNoteVersion(
      this.revisionsKey(record.id),
      digest,
      JSON.stringify(revision),
      MAX_REVISIONS,
    );
    return { revision: JSON.parse(raw) as Revision, isNew: isNew === 1 };
  }

  /** The latest version of article `id`, if any. */
  async latest(id: string): Promise<Revision | undefined> {
    const raw = await this.redis.lindex(this.revisionsKey(id), -1);
    return raw ? (JSON.parse(raw) as Revision) : undefined;
  }

  async gone(id: string): Promise<GoneArticle | null> {
    const raw = await this.redis.hget(this.goneKey, id);
    return raw ? (JSON.parse(raw) as GoneArticle) : null;
  }

  async markGone(entry: GoneArticle): Promise<void> {
    await this.redis.hset(this.goneKey, entry.id, JSON.stringify(entry));
  }

  /** The article came back (its page answers with it again): no longer gone. */
  async unmarkGone(id: string): Promise<void> {
    await this.redis.hdel(this.goneKey, id);
  }

  /** Every gone article, most recent removal first. */
  async allGone(): Promise<GoneArticle[]> {
    const all = Object.values(await this.redis.hgetall(this.goneKey)).map((r) => JSON.parse(r) as GoneArticle);
    return all.sort((a, b) => (a.goneAt < b.goneAt ? 1 : a.goneAt > b.goneAt ? -1 : 0));
  }
}
