/**
 * A source run against the demo news site's RSS feed on 127.0.0.1, on the real
 * Redis: new feed items are queued once, and a source whose feed keeps
 * bringing nothing new is polled less and less often (manual runs excepted).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoArticles, serveDemoSite, type DemoSite } from '@gazette/demo-site';
import { createFetcher } from '@gazette/fetch';
import { SeenSet, parseSource } from '@gazette/frontier';
import { Producer, createRedis } from '@gazette/jobs';
import { createLogger } from '@gazette/logger';
import { openQueue } from '@gazette/jobs';
import { SourceStore } from '@gazette/sources';
import { PageLedger, runSource } from './index.ts';
import { deleteKeysWithPrefix } from '@gazette/devstack';

const prefix = `{run-source-test-${randomBytes(4).toString('hex')}}`;
const redis = createRedis(process.env.REDIS_URL!);
const context = { connection: redis, prefix };
const crawl = new Producer('crawl', context);
const queue = openQueue(context, 'crawl');
const store = new SourceStore(redis, prefix);
const fetcher = createFetcher({ allow: ['127.0.0.1'] });
let site: DemoSite;
let fires = 0;

const deps = () => ({
  store,
  crawl,
  seen: new SeenSet({ redis, prefix: `${prefix}:seen:` }),
  fetcher,
  log: createLogger({ name: 'run-source-test', level: 'silent' }),
});
const fire = (manual = false) =>
  runSource({ sourceId: 'demo', ...(manual ? { manual } : {}) }, `fire-${++fires}`, deps());

beforeAll(async () => {
  site = await serveDemoSite();
  await store.create({
    source: parseSource({ id: 'demo', name: 'Demo', feeds: [`${site.url}/feed/`], maxDepth: 0 }),
    schedule: { everyMs: 60_000, tz: 'UTC' },
    paused: false,
  });
});

afterAll(async () => {
  await Promise.all([crawl.close(), queue.close(), fetcher.close(), site.close()]);
  await deleteKeysWithPrefix(redis, `${prefix}:`);
  await redis.quit();
});

describe('source runs', () => {
  it('queues each feed item once and backs off while the feed brings nothing new', async () => {
    const first = await fire();
    expect(first).toMatchObject({ outcome: 'ran', queued: demoArticles.length });
    expect(await queue.count()).toBe(demoArticles.length);

    // Nothing new: the run happens, then one fire is skipped.
    expect(await fire()).toMatchObject({ outcome: 'ran', queued: 0 });
    expect(await fire()).toEqual({ outcome: 'skipped', reason: 'backoff' });
    // Still nothing new: the next fires are skipped, but an operator's "run now" is never held back.
    expect(await fire()).toMatchObject({ outcome: 'ran', queued: 0 });
    expect(await fire(true)).toMatchObject({ outcome: 'ran', queued: 0 });
    const outcomes = [];
    for (let i = 0; i < 3; i++) outcomes.push((await fire()).outcome);
    expect(outcomes).toEqual(['skipped', 'skipped', 'skipped']);
    expect(await queue.count()).toBe(demoArticles.length);
  });

  it("carries the source's per-host politeness on its crawl jobs", async () => {
    const [job] = await queue.getWaiting(0, 0);
    expect(job?.data.scope).toMatchObject({ minIntervalMs: 1_000, maxConcurrency: 2, maxDepth: 0 });
  });

  it('marks feed items seen only after their crawl jobs are added, so a run that died in between queues them again', async () => {
    const urls = (await queue.getWaiting(0, -1)).map((job) => job.data.url).sort();
    expect(urls).toHaveLength(demoArticles.length);
    await store.create({
      source: parseSource({ id: 'demo-retry', name: 'Demo', feeds: [`${site.url}/feed/`], maxDepth: 0 }),
      schedule: { everyMs: 60_000, tz: 'UTC' },
      paused: false,
    });
    const seen = new SeenSet({ redis, prefix: `${prefix}:seen-retry:` });
    // Redis went away between the run's discovery and its crawl jobs.
    const lost = {
      addBulk: () => Promise.reject(new Error('Connection is closed.')),
    } as unknown as Producer<'crawl'>;
    await expect(runSource({ sourceId: 'demo-retry' }, 'fire-retry', { ...deps(), seen, crawl: lost })).rejects.toThrow(
      'Connection is closed.',
    );
    expect(await seen.has(urls)).toEqual(urls.map(() => false));

    // The schedule job's retry (same job id, same run) queues every item and only then marks it seen.
    const before = await queue.count();
    expect(await runSource({ sourceId: 'demo-retry' }, 'fire-retry', { ...deps(), seen })).toMatchObject({
      outcome: 'ran',
      queued: demoArticles.length,
    });
    expect(await queue.count()).toBe(before + demoArticles.length);
    expect(await seen.has(urls)).toEqual(urls.map(() => true));
  });

  it('records skipped fires as runs with their reason, and a forced run queues every item again', async () => {
    const runs = await store.runs('demo');
    expect(runs.filter((r) => r.skipped === 'backoff')).toHaveLength(4);
    expect(
      runs
        .filter((r) => !r.skipped)
        .map((r) => r.trigger)
        .sort(),
    ).toEqual(['manual', 'schedule', 'schedule', 'schedule']);
    const before = await queue.count();
    const forced = await runSource({ sourceId: 'demo', manual: true, force: true }, `fire-${++fires}`, deps());
    expect(forced).toMatchObject({ outcome: 'ran', queued: demoArticles.length });
    const added = (await queue.getWaiting(0, -1)).filter((j) => j.data.force === true && j.data.sourceId === 'demo');
    expect(added).toHaveLength(demoArticles.length);
    expect(await queue.count()).toBe(before + demoArticles.length);
    const runId = forced.outcome === 'ran' ? forced.runId : '';
    expect((await store.runs('demo')).find((r) => r.runId === runId)).toMatchObject({
      trigger: 'forced',
      queued: demoArticles.length,
    });
  });

  it("fetches the source's known articles again on every run, those first indexed within revisitDays", async () => {
    const ledger = new PageLedger(redis, prefix);
    for (const [id, revisitDays] of [
      ['demo-revisit', 14],
      ['demo-no-revisit', 0],
    ] as const) {
      await store.create({
        source: parseSource({
          id,
          name: 'Demo',
          seeds: [`${site.url}/`],
          maxDepth: 0,
          revisitDays,
          autodiscoverFeeds: false,
        }),
        schedule: null,
        paused: false,
      });
      await ledger.noteArticle(id, `${site.url}/recent-article`);
      await ledger.noteArticle(id, `${site.url}/old-article`, Date.now() - 30 * 24 * 3600_000);
    }
    const revisitsOf = async (sourceId: string, runId: string) => {
      const result = await runSource({ sourceId, manual: true }, runId, { ...deps(), ledger });
      const jobs = await queue.getWaiting(0, -1);
      const known = jobs.filter((j) => j.data.sourceId === sourceId && j.data.hints?.from === 'known');
      return { result, urls: known.map((j) => j.data.url) };
    };
    const first = await revisitsOf('demo-revisit', 'revisit-1');
    expect(first.urls).toEqual([`${site.url}/recent-article`]);
    expect(first.result).toMatchObject({ outcome: 'ran', queued: 2 });
    // The next run checks it again.
    expect((await revisitsOf('demo-revisit', 'revisit-2')).urls).toHaveLength(2);
    expect((await revisitsOf('demo-no-revisit', 'revisit-3')).urls).toEqual([]);
  });
});
