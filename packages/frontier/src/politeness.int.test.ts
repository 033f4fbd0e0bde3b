import { randomUUID } from 'node:crypto';
import { createRedis, type RedisConnection } from '@gazette/jobs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteKeysWithPrefix } from '@gazette/devstack';
import { HostPoliteness } from './politeness.ts';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
let redis: RedisConnection;
let other: RedisConnection;
const prefixes: string[] = [];

function prefix(): string {
  const p = `test:frontier:polite:${randomUUID()}:`;
  prefixes.push(p);
  return p;
}

beforeAll(() => {
  redis = createRedis(redisUrl);
  other = createRedis(redisUrl);
});

afterAll(async () => {
  for (const p of prefixes) await deleteKeysWithPrefix(redis, p);
  await redis.quit();
  await other.quit();
});

describe('HostPoliteness', () => {
  it('caps concurrency per host and frees a slot on release', async () => {
    const polite = new HostPoliteness({ redis, prefix: prefix(), minIntervalMs: 0, maxConcurrency: 2 });
    const a = await polite.acquire('news.test');
    const b = await polite.acquire('news.test');
    const c = await polite.acquire('news.test');
    expect(a.granted && b.granted).toBe(true);
    expect(c).toMatchObject({ granted: false, why: 'concurrency' });
    if (c.granted) throw new Error('unreachable');
    expect(c.retryAt).toBeGreaterThan(Date.now() - 1_000);
    expect(c.delayMs).toBeLessThanOrEqual(1_000 + 250);
    expect(await polite.active('news.test')).toBe(2);
    // Other hosts are independent.
    expect((await polite.acquire('other.test')).granted).toBe(true);
    if (a.granted) {
      await a.release();
      await a.release(); // idempotent
    }
    expect(await polite.active('news.test')).toBe(1);
    expect((await polite.acquire('news.test')).granted).toBe(true);
  });

  it('spaces request starts by the minimum interval and says when to come back', async () => {
    const polite = new HostPoliteness({ redis, prefix: prefix(), maxConcurrency: 10, jitterMs: 0 });
    const first = await polite.acquire('news.test', { minIntervalMs: 60_000 });
    expect(first.granted).toBe(true);
    const second = await polite.acquire('news.test', { minIntervalMs: 60_000 });
    expect(second).toMatchObject({ granted: false, why: 'interval' });
    if (second.granted) throw new Error('unreachable');
    expect(second.delayMs).toBeGreaterThan(50_000);
    expect(second.delayMs).toBeLessThanOrEqual(60_000);
    expect(second.retryAt - Date.now()).toBeGreaterThan(50_000);
  });

  it('grants exactly maxConcurrency slots to racing processes', async () => {
    const p = prefix();
    const one = new HostPoliteness({ redis, prefix: p, minIntervalMs: 0, maxConcurrency: 3 });
    const two = new HostPoliteness({ redis: other, prefix: p, minIntervalMs: 0, maxConcurrency: 3 });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? one : two).acquire('race.test')),
    );
    expect(results.filter((r) => r.granted)).toHaveLength(3);
  });

  it('drops the lease of a crashed worker once it expires', async () => {
    const p = prefix();
    const polite = new HostPoliteness({ redis, prefix: p, minIntervalMs: 0, maxConcurrency: 1, leaseMs: 60_000 });
    const crashed = await polite.acquire('news.test');
    if (!crashed.granted) throw new Error('expected a grant');
    expect((await polite.acquire('news.test')).granted).toBe(false);
    // Simulate the lease running out (the worker never released it) by moving its expiry into the past.
    await redis.zadd(`${p}leases:{news.test}`, 'XX', 1, crashed.leaseId);
    expect(await polite.active('news.test')).toBe(0);
    expect((await polite.acquire('news.test')).granted).toBe(true);
  });

  it('lets idle hosts expire from Redis', async () => {
    const p = prefix();
    const polite = new HostPoliteness({ redis, prefix: p, minIntervalMs: 500, leaseMs: 10_000 });
    const lease = await polite.acquire('news.test');
    expect(await redis.pttl(`${p}next:{news.test}`)).toBeGreaterThan(0);
    expect(await redis.pttl(`${p}leases:{news.test}`)).toBeGreaterThan(0);
    if (lease.granted) await lease.release();
  });
});
