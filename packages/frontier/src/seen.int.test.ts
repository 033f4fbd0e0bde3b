import { randomUUID } from 'node:crypto';
import { createRedis, type RedisConnection } from '@gazette/jobs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SeenSet } from './seen.ts';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
let redis: RedisConnection;
let other: RedisConnection;
const prefixes: string[] = [];

function prefix(): string {
  const p = `test:frontier:seen:${randomUUID()}:`;
  prefixes.push(p);
  return p;
}

beforeAll(() => {
  redis = createRedis(redisUrl);
  other = createRedis(redisUrl);
});

afterAll(async () => {
  for (const p of prefixes) await new SeenSet({ redis, prefix: p }).clear();
  await redis.quit();
  await other.quit();
});

describe('SeenSet', () => {
  it('reports each URL new exactly once, also within a batch and across processes', async () => {
    const p = prefix();
    const a = new SeenSet({ redis, prefix: p, capacity: 10_000 });
    const b = new SeenSet({ redis: other, prefix: p, capacity: 10_000 });
    expect(await a.addIfNew(['https://n.test/1', 'https://n.test/2', 'https://n.test/1'])).toEqual([true, true, false]);
    expect(await b.addIfNew(['https://n.test/2', 'https://n.test/3'])).toEqual([false, true]);
    expect(await a.has(['https://n.test/3', 'https://n.test/4'])).toEqual([true, false]);
    await a.remove(['https://n.test/3']);
    expect(await b.addIfNew(['https://n.test/3'])).toEqual([true]);
    expect(await a.addIfNew([])).toEqual([]);
  });

  it('keeps concurrent adders consistent: every URL is new for exactly one of them', async () => {
    const p = prefix();
    const urls = Array.from({ length: 2_000 }, (_, i) => `https://n.test/story-${i}`);
    const a = new SeenSet({ redis, prefix: p, capacity: 10_000 });
    const b = new SeenSet({ redis: other, prefix: p, capacity: 10_000 });
    const [ra, rb] = await Promise.all([a.addIfNew(urls), b.addIfNew([...urls].reverse())]);
    const rbForward = [...rb].reverse();
    for (let i = 0; i < urls.length; i++) expect(Number(ra[i]) + Number(rbForward[i])).toBe(1);
  });

  it('stores buckets as intsets (8-byte members, 4 in compact mode)', async () => {
    for (const compact of [false, true]) {
      const p = prefix();
      const set = new SeenSet({ redis, prefix: p, capacity: 4_000, compact });
      await set.addIfNew(Array.from({ length: 1_000 }, (_, i) => `https://n.test/${i}`));
      const key = set.locate('https://n.test/0').key;
      expect(await redis.object('ENCODING', key)).toBe('intset');
      expect(set.bucketBits).toBe(4);
    }
  });

  it('clears only its own prefix', async () => {
    const p1 = prefix();
    const p2 = prefix();
    const s1 = new SeenSet({ redis, prefix: p1 });
    const s2 = new SeenSet({ redis, prefix: p2 });
    await s1.addIfNew(['https://n.test/x']);
    await s2.addIfNew(['https://n.test/x']);
    await s1.clear();
    expect(await s1.has(['https://n.test/x'])).toEqual([false]);
    expect(await s2.has(['https://n.test/x'])).toEqual([true]);
  });
});
