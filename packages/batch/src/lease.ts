import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { RedisConnection } from '@gazette/jobs';

// Renew or release only while the key still holds this holder's value: an expired lease taken over
// by another run is never extended or deleted by the run that lost it.
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

/** Who holds a lease: kept as the key's value, shown to whoever is refused. */
export interface LeaseHolder {
  host: string;
  pid: number;
  since: string;
}

/**
 * An exclusive lease on a Redis key (SET NX PX with a random token), renewed every third of its
 * time to live while the holder runs. A holder that dies stops renewing, so the lease expires
 * within `ttlMs` and the next run may take it. `lost` aborts when a renewal finds the key gone or
 * held by someone else (the event loop was blocked past the time to live, or Redis lost the key).
 */
export class RedisLease {
  readonly #controller = new AbortController();
  readonly #timer: NodeJS.Timeout;
  #released = false;

  private constructor(
    private readonly redis: RedisConnection,
    readonly key: string,
    private readonly value: string,
    readonly ttlMs: number,
  ) {
    this.#timer = setInterval(() => void this.#renew(), Math.max(100, Math.floor(ttlMs / 3)));
    this.#timer.unref();
  }

  /** Takes the lease, or returns who holds it. */
  static async acquire(
    redis: RedisConnection,
    key: string,
    ttlMs: number,
  ): Promise<{ lease: RedisLease } | { holder: LeaseHolder | null }> {
    const holder: LeaseHolder = { host: hostname(), pid: process.pid, since: new Date().toISOString() };
    const value = JSON.stringify({ token: randomUUID(), ...holder });
    const taken = await redis.set(key, value, 'PX', ttlMs, 'NX');
    if (taken === 'OK') return { lease: new RedisLease(redis, key, value, ttlMs) };
    const current = await redis.get(key);
    return { holder: current ? parseHolder(current) : null };
  }

  /** Aborts when the lease was lost while held. */
  get lost(): AbortSignal {
    return this.#controller.signal;
  }

  async #renew(): Promise<void> {
    if (this.#released) return;
    try {
      const renewed = await this.redis.eval(RENEW, 1, this.key, this.value, this.ttlMs);
      if (renewed !== 1 && !this.#released) this.#lose(new Error(`lease ${this.key} was lost`));
    } catch {
      // Redis away for a moment: the next renewal tries again; the lease holds until its expiry.
    }
  }

  #lose(reason: Error): void {
    clearInterval(this.#timer);
    this.#controller.abort(reason);
  }

  /** Gives the lease up (a no-op when it already expired or was taken over). */
  async release(): Promise<void> {
    if (this.#released) return;
    this.#released = true;
    clearInterval(this.#timer);
    await this.redis.eval(RELEASE, 1, this.key, this.value);
  }
}

function parseHolder(raw: string): LeaseHolder | null {
  try {
    const v = JSON.parse(raw) as Partial<LeaseHolder>;
    return typeof v.host === 'string' && typeof v.pid === 'number' && typeof v.since === 'string'
      ? { host: v.host, pid: v.pid, since: v.since }
      : null;
  } catch {
    return null;
  }
}
