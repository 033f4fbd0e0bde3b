/**
 * Fault: Redis is SIGKILLed (its own instance, append-only file on, fsync on every write) at the two moments where a write
 * could be acknowledged yet lost, or two writes disagree: right after an enqueue was acknowledged,
 * and right after a listing page's links reached the seen-set. Redis restarts on its append-only
 * file; every acknowledged job is still there, no URL is marked seen without its crawl job (links are
 * queued under ids of their URL before the seen-set learns them), and every article is indexed once.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PipelineHarness } from '../support/pipeline-harness.ts';
import { startLocalRedis, type LocalRedis } from '../support/local-services.ts';

const PAGES = 60;
const FIRST = 20;
let redis: LocalRedis;
let redisDir: string;
let h: PipelineHarness;

beforeAll(async () => {
  redisDir = await mkdtemp(join(tmpdir(), 'gazette-faults-rkill-'));
  // Every acknowledged write on disk before the answer: what "acknowledged, then killed" needs.
  redis = await startLocalRedis(redisDir, { appendfsync: 'always' });
  h = new PipelineHarness({
    name: 'rkill',
    redisUrl: redis.url,
    esUrl: process.env.ELASTICSEARCH_URL!,
    pages: PAGES,
    siteDelayMs: 20,
  });
  await h.setUp();
});
afterAll(async () => {
  await h?.tearDown();
  await redis?.stop();
  await rm(redisDir, { recursive: true, force: true });
});

async function total(): Promise<number> {
  const c = (await h.counts()).crawl;
  return c.pending + c.active + c.completed + c.failed;
}

describe('Redis SIGKILLed right after acknowledged writes', () => {
  it('keeps every acknowledged job and never marks a link seen without its crawl job', async () => {
    await Promise.all([h.start('crawler', { CRAWLER_CONCURRENCY: '4' }), h.start('parser'), h.start('indexer')]);

    // 1. Right after an enqueue is acknowledged.
    await h.enqueue(h.site.articleUrls.slice(0, FIRST));
    await redis.crash();
    expect(await total()).toBe(FIRST);

    // 2. Right after the listing page's first seen-set write (the links' jobs were added before it).
    // The watcher (and the monitor connection it opens with the same options) never reconnects: a
    // MONITOR connection that reconnects across the crash gets replies it never asked for.
    // Its error listener is attached before it connects: lines that arrive in the same read as
    // MONITOR's OK come before ioredis enters monitoring mode and are reported as errors (by
    // `redis.monitor()` as a rejection); they are traffic from before the listing job, not needed here.
    const watcher = new Redis(redis.url, { retryStrategy: () => null, maxRetriesPerRequest: 0, lazyConnect: true });
    watcher.on('error', () => undefined);
    const monitor = watcher.duplicate({ monitor: true, lazyConnect: false });
    monitor.on('error', () => undefined);
    // (Not `events.once`, which rejects on the first 'error'.)
    await new Promise((resolve) => monitor.once('monitoring', resolve));
    const seenWrite = new Promise<void>((resolve) => {
      monitor.on('monitor', (_time: string, args: string[]) => {
        if (args[0]?.toLowerCase() === 'sadd' && args[1]?.startsWith(`${h.prefix}:seen:`)) resolve();
      });
    });
    await h.crawlListing();
    await seenWrite;
    monitor.disconnect();
    watcher.disconnect();
    await redis.crash();
    const crashedAt = Date.now();

    // Every URL the seen-set knows has its crawl job (or the listing job is still to run again).
    await h.waitUntilSettled(h.site.articleUrls, 120_000);
    const recoveryMs = Date.now() - crashedAt;
    for (const s of h.services.values()) expect(s.child.exitCode, `${s.name} still running`).toBeNull();
    const counts = await h.counts();
    expect(counts.crawl.failed + counts.parse.failed + counts.index.failed).toBe(0);
    const { indexed, failed } = await h.assertAccounting(h.site.articleUrls);
    expect(indexed).toBe(PAGES);
    console.log(
      `Redis SIGKILL after an acknowledged enqueue and after a seen-set write (${PAGES} pages): settled ${recoveryMs} ms ` +
        `after the second kill; accepted ${PAGES} = indexed ${indexed} + failed ${failed}`,
    );
  }, 240_000);
});
