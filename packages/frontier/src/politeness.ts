import { randomUUID } from 'node:crypto';
import type { RedisConnection } from '@gazette/jobs';

/**
 * Per-host politeness shared by every crawler process: a minimum interval
 * between request starts and a cap on concurrent requests, decided
 * atomically in one Lua script against Redis' clock.
 *
 * Keys per host: `<prefix>next:{<host>}` (string, ms timestamp before which no
 * request may start) and `<prefix>leases:{<host>}` (sorted set of lease ids
 * scored by expiry). Expired leases are dropped on every acquire, so a
 * crashed worker frees its slot after `leaseMs`. Both keys expire on their own
 * once the host is idle.
 */

const ACQUIRE = `
local nextKey = KEYS[1]
local leasesKey = KEYS[2]
local interval = tonumber(ARGV[1])
local maxConcurrency = tonumber(ARGV[2])
local leaseMs = tonumber(ARGV[3])
local leaseId = ARGV[4]
local busyRetryMs = tonumber(ARGV[5])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)

redis.call('ZREMRANGEBYSCORE', leasesKey, '-inf', now)
local nextAt = tonumber(redis.call('GET', nextKey) or '0')
local active = redis.call('ZCARD', leasesKey)

if active >= maxConcurrency then
  local earliest = redis.call('ZRANGE', leasesKey, 0, 0, 'WITHSCORES')
  local retryAt = now + busyRetryMs
  if earliest[2] and tonumber(earliest[2]) < retryAt then retryAt = tonumber(earliest[2]) end
  if nextAt > retryAt then retryAt = nextAt end
  return {0, retryAt, now, active}
end
if nextAt > now then
  return {0, nextAt, now, active}
end

redis.call('ZADD', leasesKey, now + leaseMs, leaseId)
redis.call('PEXPIRE', leasesKey, leaseMs + 1000)
redis.call('SET', nextKey, now + interval, 'PX', interval + 1000)
return {1, now + leaseMs, now, active + 1}
`;

const PARK = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local untilAt = now + tonumber(ARGV[1])
local nextAt = tonumber(redis.call('GET', KEYS[1]) or '0')
if nextAt < untilAt then redis.call('SET', KEYS[1], untilAt, 'PX', tonumber(ARGV[1]) + 1000) end
return untilAt
`;

const RELEASE = `
return redis.call('ZREM', KEYS[1], ARGV[1])
`;

export interface HostPolitenessOptions {
  redis: RedisConnection;
  /** Key prefix; tests use their own. Default `gazette:polite:`. */
  prefix?: string;
  /** Default minimum interval between request starts on one host. Default 1 s. */
  minIntervalMs?: number;
  /** Default cap on concurrent requests to one host. Default 2. */
  maxConcurrency?: number;
  /** A lease not released within this time is dropped (crashed worker). Default 60 s. */
  leaseMs?: number;
  /** When the host is at its concurrency cap, suggest retrying after at most this long. Default 1 s. */
  busyRetryMs?: number;
  /** Random delay (up to this many ms) added to retryAt so delayed jobs don't wake in lockstep. Default 250 ms. */
  jitterMs?: number;
}

export interface AcquireOptions {
  /** Per-source interval, raised by the host's robots Crawl-delay: pass `max(source, crawlDelay)`. */
  minIntervalMs?: number;
  maxConcurrency?: number;
}

export type Acquired =
  | { granted: true; host: string; leaseId: string; release(): Promise<void> }
  | {
      granted: false;
      host: string;
      /** Local-clock epoch ms to retry at; hand it to `job.moveToDelayed(retryAt, token)`. */
      retryAt: number;
      /** Same, relative to now. */
      delayMs: number;
      why: 'interval' | 'concurrency';
    };

export class HostPoliteness {
  readonly prefix: string;
  private readonly redis: RedisConnection;
  private readonly defaults: Required<Omit<HostPolitenessOptions, 'redis' | 'prefix'>>;

  constructor(options: HostPolitenessOptions) {
    this.redis = options.redis;
    this.prefix = options.prefix ?? 'gazette:polite:';
    this.defaults = {
      minIntervalMs: options.minIntervalMs ?? 1_000,
      maxConcurrency: options.maxConcurrency ?? 2,
      leaseMs: options.leaseMs ?? 60_000,
      busyRetryMs: options.busyRetryMs ?? 1_000,
      jitterMs: options.jitterMs ?? 250,
    };
    if (!('gazettePoliteAcquire' in this.redis)) {
      this.redis.defineCommand('gazettePoliteAcquire', { numberOfKeys: 2, lua: ACQUIRE });
      this.redis.defineCommand('gazettePoliteRelease', { numberOfKeys: 1, lua: RELEASE });
      this.redis.defineCommand('gazettePolitePark', { numberOfKeys: 1, lua: PARK });
    }
  }

  private keys(host: string): [string, string] {
    // The host in braces is the keys' hash tag: on a Redis Cluster both keys of the script share a
    // slot (unless the prefix holds a hash tag of its own, which then keeps every key in one slot).
    const h = host.toLowerCase();
    return [`${this.prefix}next:{${h}}`, `${this.prefix}leases:{${h}}`];
  }

  /** Try to take a slot on `host` now. Never waits: a refusal says when to come back. */
  async acquire(host: string, options: AcquireOptions = {}): Promise<Acquired> {
    const interval = Math.max(0, Math.round(options.minIntervalMs ?? this.defaults.minIntervalMs));
    const maxConcurrency = Math.max(1, Math.floor(options.maxConcurrency ?? this.defaults.maxConcurrency));
    const leaseId = randomUUID();
    const [nextKey, leasesKey] = this.keys(host);
    const run = (this.redis as unknown as Record<string, (...args: unknown[]) => Promise<number[]>>)[
      'gazettePoliteAcquire'
    ]!;
    const [granted, at, now, active] = await run.call(
      this.redis,
      nextKey,
      leasesKey,
      interval,
      maxConcurrency,
      this.defaults.leaseMs,
      leaseId,
      this.defaults.busyRetryMs,
    );
    if (granted === 1) {
      let released = false;
      return {
        granted: true,
        host,
        leaseId,
        release: async () => {
          if (released) return;
          released = true;
          await this.releaseLease(host, leaseId);
        },
      };
    }
    const jitter = this.defaults.jitterMs > 0 ? Math.floor(Math.random() * this.defaults.jitterMs) : 0;
    const delayMs = Math.max(0, (at ?? 0) - (now ?? 0)) + jitter;
    return {
      granted: false,
      host,
      retryAt: Date.now() + delayMs,
      delayMs,
      why: (active ?? 0) >= maxConcurrency ? 'concurrency' : 'interval',
    };
  }

  /**
   * Park a host: no request may start on it for `ms` (a server's long Retry-After), across
   * every crawler process. Never shortens a park already in place.
   */
  async park(host: string, ms: number): Promise<void> {
    const [nextKey] = this.keys(host);
    const run = (this.redis as unknown as Record<string, (...args: unknown[]) => Promise<number>>)[
      'gazettePolitePark'
    ]!;
    await run.call(this.redis, nextKey, Math.max(1, Math.round(ms)));
  }

  /** Release a lease by id (what `release()` of a grant calls). Idempotent. */
  async releaseLease(host: string, leaseId: string): Promise<void> {
    const [, leasesKey] = this.keys(host);
    const run = (this.redis as unknown as Record<string, (...args: unknown[]) => Promise<number>>)[
      'gazettePoliteRelease'
    ]!;
    await run.call(this.redis, leasesKey, leaseId);
  }

  /** Current number of live leases on a host (for metrics and tests). */
  async active(host: string): Promise<number> {
    const [, leasesKey] = this.keys(host);
    const [seconds, micros] = await this.redis.time();
    const now = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
    return this.redis.zcount(leasesKey, `(${now}`, '+inf');
  }
}
