import { randomUUID } from 'node:crypto';
import { createRedis, scanKeys, unlinkKeys, type RedisConnection } from '@gazette/jobs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFetcher, type Fetcher } from './fetcher.ts';
import { RobotsCache } from './robots.ts';
import { startHostileServer, type HostileServer } from './testing/hostile-server.ts';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `test:fetch:robots:${randomUUID()}:`;
let redis: RedisConnection;
let server: HostileServer;
let fetcher: Fetcher;

beforeAll(async () => {
  redis = createRedis(redisUrl);
  server = await startHostileServer();
  fetcher = createFetcher({ allow: ['127.0.0.1'] });
});

afterAll(async () => {
  await scanKeys(redis, `${prefix}*`, async (keys) => {
    await unlinkKeys(redis, keys);
  });
  await redis.quit();
  await fetcher.close();
  await server.close();
});

describe('RobotsCache shared through Redis', () => {
  it('fetches robots.txt once for all processes, with a TTL', async () => {
    const one = new RobotsCache({ fetcher, redis, prefix, ttlMs: 60_000 });
    const two = new RobotsCache({ fetcher, redis, prefix, ttlMs: 60_000 });
    expect(await one.check(`${server.origin}/private/x`)).toMatchObject({
      allowed: false,
      reason: 'robots-disallowed',
    });
    expect(await two.check(`${server.origin}/private/x`)).toMatchObject({
      allowed: false,
      reason: 'robots-disallowed',
    });
    expect(await two.check(`${server.origin}/2025/07/26/ok`)).toMatchObject({ allowed: true, crawlDelayMs: 2_000 });
    expect(server.requests.filter((r) => r === 'GET /robots.txt')).toHaveLength(1);
    const ttl = await redis.pttl(`${prefix}${server.origin}`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('caches an unavailable robots.txt for the short TTL only', async () => {
    const other = await startHostileServer();
    try {
      other.route('/robots.txt', (_req, res) => {
        res.writeHead(500);
        res.end();
      });
      const cache = new RobotsCache({ fetcher, redis, prefix, ttlMs: 60_000, unavailableTtlMs: 5_000 });
      expect(await cache.check(`${other.origin}/x`)).toEqual({ allowed: false, reason: 'robots-unavailable' });
      expect(await redis.pttl(`${prefix}${other.origin}`)).toBeLessThanOrEqual(5_000);
      await cache.invalidate(other.origin);
      expect(await redis.exists(`${prefix}${other.origin}`)).toBe(0);
    } finally {
      await other.close();
    }
  });
});
