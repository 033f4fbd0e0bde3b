import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/** The last thing that happened to a URL. */
export type PageState =
  | 'fetched'
  | 'not-modified'
  | 'listing'
  | 'not-article'
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
  at: string;
}

/**
 * Per-URL state in Redis, shared by every process: what happened last, why,
 * and the validators for the next conditional GET. One hash per deployment,
 * field = sha1 of the URL.
 */
export class PageLedger {
  private readonly key: string;
  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.key = `${prefix}:pages`;
  }

  private field(url: string): string {
    return createHash('sha1').update(url).digest('base64url');
  }

  async get(url: string): Promise<PageEntry | null> {
    const raw = await this.redis.hget(this.key, this.field(url));
    return raw ? (JSON.parse(raw) as PageEntry) : null;
  }

  /** Records a new state, keeping validators and article id from before unless replaced. */
  async record(url: string, update: Omit<PageEntry, 'url' | 'at'>): Promise<void> {
    const previous = await this.get(url);
    const entry: PageEntry = {
      url,
      etag: previous?.etag,
      lastModified: previous?.lastModified,
      articleId: previous?.articleId,
      ...update,
      at: new Date().toISOString(),
    };
    if (!update.reason) delete entry.reason;
    await this.redis.hset(this.key, this.field(url), JSON.stringify(entry));
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
