import { createHash } from 'node:crypto';
import { Cluster } from 'ioredis';
import { scanKeys, unlinkKeys, type RedisConnection } from '@gazette/jobs';

/**
 * The set of URLs every process has already seen, in Redis.
 *
 * Each URL is hashed to 64 bits. The top `bucketBits` bits pick a bucket
 * (one Redis set), the member is the hash as a signed integer. Small sets of
 * integers are stored by Redis as an *intset* — a sorted array of fixed-width
 * integers — so a member costs 8 bytes (4 in `compact` mode, which keeps only
 * the low 32 bits: the bucket bits still count, so the identity is
 * `bucketBits + 32` bits wide). Buckets must stay under Redis'
 * `set-max-intset-entries` (512 by default) to keep that encoding, which is
 * why the bucket count is derived from the expected capacity.
 */
export interface SeenSetOptions {
  redis: RedisConnection;
  /** Key prefix; tests use their own. Default `gazette:seen:`. */
  prefix?: string;
  /** URLs the set is sized for (buckets stay intsets up to ~1.25× this). Default 20 million. */
  capacity?: number;
  /** 32-bit members (half the memory, false-positive rate ~ n / 2^(bucketBits+32)). Default false. */
  compact?: boolean;
}

/** Members per bucket aimed for at capacity: comfortably under the default 512 intset limit. */
const TARGET_PER_BUCKET = 400;

export class SeenSet {
  readonly prefix: string;
  readonly bucketBits: number;
  readonly compact: boolean;
  private readonly redis: RedisConnection;

  constructor(options: SeenSetOptions) {
    this.redis = options.redis;
    this.prefix = options.prefix ?? 'gazette:seen:';
    this.compact = options.compact ?? false;
    const capacity = options.capacity ?? 20_000_000;
    this.bucketBits = Math.min(24, Math.max(4, Math.ceil(Math.log2(capacity / TARGET_PER_BUCKET))));
  }

  /** Redis key and member for one URL. */
  locate(url: string): { key: string; member: string } {
    const digest = createHash('sha1').update(url).digest();
    const bucket = digest.readUInt32BE(0) >>> (32 - this.bucketBits);
    const member = this.compact ? String(digest.readInt32BE(4)) : digest.readBigInt64BE(0).toString();
    return { key: `${this.prefix}${bucket.toString(16)}`, member };
  }

  /**
   * Add URLs (callers pass normalised URLs); for each, true when it was not
   * seen before by anyone. A URL repeated within the batch is new only once.
   */
  async addIfNew(urls: readonly string[]): Promise<boolean[]> {
    const results = await this.each(urls, 'sadd');
    return results.map((added) => added === 1);
  }

  /** For each URL, whether it has been seen (without adding it). */
  async has(urls: readonly string[]): Promise<boolean[]> {
    const results = await this.each(urls, 'sismember');
    return results.map((found) => found === 1);
  }

  /** Forget URLs (e.g. to recrawl them). */
  async remove(urls: readonly string[]): Promise<void> {
    await this.each(urls, 'srem');
  }

  /**
   * One single-key command per URL, in order, in one round trip: a pipeline on one Redis; on a
   * cluster (where one pipeline may only touch one node) separate commands, which the cluster
   * client pipelines per node.
   */
  private async each(urls: readonly string[], command: 'sadd' | 'sismember' | 'srem'): Promise<number[]> {
    if (urls.length === 0) return [];
    const located = urls.map((url) => this.locate(url));
    if (this.redis instanceof Cluster) {
      const cluster = this.redis;
      return Promise.all(
        located.map(({ key, member }) =>
          command === 'sadd'
            ? cluster.sadd(key, member)
            : command === 'srem'
              ? cluster.srem(key, member)
              : cluster.sismember(key, member),
        ),
      );
    }
    const pipeline = this.redis.pipeline();
    for (const { key, member } of located) {
      if (command === 'sadd') pipeline.sadd(key, member);
      else if (command === 'srem') pipeline.srem(key, member);
      else pipeline.sismember(key, member);
    }
    const results = await pipeline.exec();
    if (!results) throw new Error('SeenSet: pipeline returned nothing');
    return results.map(([error, value]) => {
      if (error) throw error;
      return value as number;
    });
  }

  /** Delete every bucket under this prefix (SCAN + UNLINK; for tests and resets). */
  async clear(): Promise<void> {
    await scanKeys(this.redis, `${this.prefix}*`, async (keys) => {
      await unlinkKeys(this.redis, keys);
    });
  }
}
