/**
 * Fault: Redis restarts mid-crawl (its own instance, append-only file on). The services' connections
 * reconnect by themselves; queues, job schedulers and the seen-set come back from the append-only
 * file, and the pipeline finishes with every article indexed exactly once.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SeenSet, normalizeUrl } from '@gazette/frontier';
import { PipelineHarness, waitFor } from '../support/pipeline-harness.ts';
import { startLocalRedis, type LocalRedis } from '../support/local-services.ts';

const PAGES = 300;
let redis: LocalRedis;
let redisDir: string;
let h: PipelineHarness;

beforeAll(async () => {
  redisDir = await mkdtemp(join(tmpdir(), 'gazette-faults-redis-'));
  redis = await startLocalRedis(redisDir);
  h = new PipelineHarness({
    name: 'redis',
    redisUrl: redis.url,
    esUrl: process.env.ELASTICSEARCH_URL!,
    pages: PAGES,
    siteDelayMs: 40,
  });
  await h.setUp();
});
afterAll(async () => {
  await h?.tearDown();
  await redis?.stop();
  await rm(redisDir, { recursive: true, force: true });
});

describe('Redis restart mid-crawl', () => {
  it('keeps queues, schedules and the seen-set, and the pipeline finishes', async () => {
    const schedules = h.queue('schedule');
    await schedules.upsertJobScheduler(
      'source-nightly',
      { pattern: '0 3 1 1 *', tz: 'UTC' },
      { name: 'schedule', data: { sourceId: 'nightly' } },
    );
    await Promise.all([h.start('crawler', { CRAWLER_CONCURRENCY: '4' }), h.start('parser'), h.start('indexer')]);
    // The listing's links reach the crawl queue through the seen-set.
    await h.crawlListing();
    await waitFor(
      async () => {
        const c = await h.counts();
        return c.crawl.completed >= 60 && c.index.completed >= 20 && c.crawl.pending > 100;
      },
      { timeoutMs: 60_000, what: 'the crawl to be under way' },
    );

    const before = await h.counts();
    await redis.restart();

    // What was in Redis is still there.
    const seen = new SeenSet({ redis: h.redis, prefix: `${h.prefix}:seen:` });
    expect(await seen.addIfNew(h.site.articleUrls.map((u) => normalizeUrl(u)))).toEqual(
      h.site.articleUrls.map(() => false),
    );
    const after = await h.counts();
    expect(after.crawl.completed).toBeGreaterThanOrEqual(before.crawl.completed);
    expect(after.crawl.pending + after.crawl.active + after.crawl.completed).toBe(PAGES + 1);
    expect((await schedules.getJobSchedulers()).map((s) => s.key)).toEqual(['source-nightly']);

    // The same processes carry on: no restart, no lost job.
    await h.waitUntilSettled(h.site.articleUrls, 120_000);
    for (const s of h.services.values()) expect(s.child.exitCode, `${s.name} still running`).toBeNull();
    const counts = await h.counts();
    expect(counts.crawl.completed).toBe(PAGES + 1);
    expect(counts.crawl.failed + counts.parse.failed + counts.index.failed).toBe(0);
    const { indexed } = await h.assertAccounting(h.site.articleUrls);
    expect(indexed).toBe(PAGES);
  });
});
