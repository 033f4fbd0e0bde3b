/**
 * How a source run accounts for jobs that fail for good, on the real Redis with real BullMQ workers:
 * a run whose schedule job died with its workers (stalled until its attempts were spent, so
 * discovery never recorded an end) is failed with the job's reason, not running forever; and a
 * dead letter of a run, replayed, is counted once by its new outcome.
 */
import { randomBytes } from 'node:crypto';
import type { Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoArticles, serveDemoSite, type DemoSite } from '@gazette/demo-site';
import { deleteKeysWithPrefix, waitFor } from '@gazette/devstack';
import { createFetcher, type Fetcher } from '@gazette/fetch';
import { SeenSet, parseSource } from '@gazette/frontier';
import {
  PermanentError,
  Producer,
  createRedis,
  createWorker,
  replayFailed,
  type QueueContext,
  type RedisConnection,
} from '@gazette/jobs';
import { createLogger } from '@gazette/logger';
import { RunTally, SourceRegistry, SourceStore } from '@gazette/sources';
import { RunAccounting } from './run-accounting.ts';
import { runSource, sourceRunFailure } from './source-step.ts';

const logger = createLogger({ name: 'run-failures-test', level: 'silent' });
// Short locks so a dead worker's job is found stalled within a second or two; one stall is final.
const FAST = { lockDuration: 1_000, stalledInterval: 300, maxStalledCount: 0 };
const prefix = `{run-failures-${randomBytes(4).toString('hex')}}`;
let redis: RedisConnection;
let context: QueueContext;
let registry: SourceRegistry;
let site: DemoSite;
const fetcher = createFetcher({ allow: ['127.0.0.1'] });
const closers: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  redis = createRedis(process.env.REDIS_URL!);
  context = { connection: redis, prefix };
  registry = new SourceRegistry(context);
  site = await serveDemoSite();
});
afterAll(async () => {
  for (const close of closers.reverse()) await close().catch(() => undefined);
  await Promise.all([registry.close(), fetcher.close(), site.close()]);
  await deleteKeysWithPrefix(redis, `${prefix}:`);
  await redis.quit();
});

/** The schedule worker as the crawler wires it (`recordFailure`: with its final-failure handler). */
function scheduleWorker(connection: RedisConnection, discoveryFetcher: Fetcher, recordFailure: boolean): Worker {
  const ctx = { connection, prefix };
  const store = new SourceStore(connection, prefix);
  const crawl = new Producer('crawl', ctx);
  closers.push(() => crawl.close());
  return createWorker(
    'schedule',
    (payload, { job, log }) =>
      runSource(payload, String(job.id), {
        store,
        crawl,
        seen: new SeenSet({ redis: connection, prefix: `${prefix}:seen:` }),
        fetcher: discoveryFetcher,
        log,
        tally: new RunTally(connection, prefix),
      }),
    {
      context: ctx,
      logger,
      concurrency: 1,
      worker: FAST,
      ...(recordFailure ? { onFinalFailure: sourceRunFailure(store) } : {}),
    },
  );
}

describe('run accounting of jobs that fail for good', () => {
  // With the crawler's handler the run record says it failed; without it (a handler that could not
  // write, a job pruned from the failed set) the view still tells it from the schedule job.
  it.each([
    { recordFailure: true, sourceId: 'hangs-recorded' },
    { recordFailure: false, sourceId: 'hangs-unrecorded' },
  ])(
    'shows a run whose schedule job stalled until it failed as failed, with the reason, and runs it again (handler: $recordFailure)',
    async ({ recordFailure, sourceId }) => {
      await registry.create({
        source: parseSource({ id: sourceId, name: 'Hangs', feeds: [`${site.url}/feed/`], maxDepth: 0 }),
        schedule: null,
      });
      // Discovery that never ends: the process running it dies mid-discovery.
      const hanging: Fetcher = {
        userAgent: fetcher.userAgent,
        guard: fetcher.guard,
        fetch: () => new Promise<never>(() => undefined),
        close: async () => undefined,
      };
      const schedule = new Producer('schedule', context);
      closers.push(() => schedule.close());
      const job = await schedule.add({ sourceId, manual: true }, { attempts: 1 });
      const jobId = String(job.id);

      // 1. A worker takes the job, records the run and dies holding it (no lock renewal, no more writes).
      const doomedConnection = redis.duplicate();
      const doomed = scheduleWorker(doomedConnection, hanging, recordFailure);
      const [started] = await waitFor(
        async () => {
          const runs = await registry.runs(sourceId);
          return runs.length > 0 ? runs : null;
        },
        { timeoutMs: 10_000, what: 'the run to start' },
      );
      expect(started).toMatchObject({ jobId, state: 'running' });
      await doomed.close(true);
      doomedConnection.disconnect();

      // 2. Another worker finds it stalled; with its one attempt spent it fails for good, before
      //    discovery (and its failure handling) runs again.
      const survivorConnection = redis.duplicate();
      const survivor = scheduleWorker(survivorConnection, hanging, recordFailure);
      closers.push(async () => {
        await survivor.close(true);
        survivorConnection.disconnect();
      });
      await waitFor(async () => (await schedule.queue.getJobState(jobId)) === 'failed', {
        timeoutMs: 20_000,
        what: 'the stalled schedule job to fail',
      });
      await survivor.close();
      const failedJob = await schedule.queue.getJob(jobId);
      expect(failedJob?.failedReason).toMatch(/^\[stalled\] /);

      // Discovery never recorded an end: the handler recorded the failure, or the view tells it.
      const recorded = await registry.store.run(sourceId, started!.runId);
      expect(recorded?.error).toBe(recordFailure ? failedJob!.failedReason : undefined);
      const [run] = await registry.runs(sourceId);
      expect(run).toMatchObject({ runId: started!.runId, state: 'failed', error: failedJob!.failedReason });
      expect(run?.discoveredAt).toBeUndefined();
      expect(Date.parse(run!.finishedAt!)).toBeGreaterThanOrEqual(job.timestamp);
      expect(Date.parse(run!.finishedAt!)).toBeLessThanOrEqual(failedJob!.finishedOn!);
      expect((await registry.get(sourceId))?.lastRun).toMatchObject({ runId: started!.runId, state: 'failed' });

      // 3. Replayed, the same run is running again.
      expect((await replayFailed(context, 'schedule')).replayed).toBe(1);
      expect((await registry.runs(sourceId))[0]).toMatchObject({ runId: started!.runId, state: 'running' });
      expect((await registry.runs(sourceId))[0]?.error).toBeUndefined();
      // Gone from the queue (pruned) before discovery ran again: failed, never running forever.
      await schedule.queue.remove(jobId);
      expect((await registry.runs(sourceId))[0]).toMatchObject({ runId: started!.runId, state: 'failed' });
    },
  );

  it('counts a replayed dead letter of a run once, by its new outcome', async () => {
    await registry.create({
      source: parseSource({ id: 'replayed', name: 'Replayed', feeds: [`${site.url}/feed/`], maxDepth: 0 }),
      schedule: null,
    });
    const runs = new RunAccounting(redis, prefix);
    const crawl = new Producer('crawl', context, { beforeAdd: runs.beforeAdd('crawl') });
    closers.push(() => crawl.close());
    const ran = await runSource({ sourceId: 'replayed', manual: true }, 'replayed-1', {
      store: registry.store,
      crawl,
      seen: new SeenSet({ redis, prefix: `${prefix}:seen-replayed:` }),
      fetcher,
      log: logger,
      tally: runs.tally,
    });
    expect(ran).toMatchObject({ outcome: 'ran', queued: demoArticles.length });
    if (ran.outcome !== 'ran') return;
    const n = demoArticles.length;

    // A crawl worker wired as the crawler's: the first page fails for good, the others are fetched.
    const [victim] = await crawl.queue.getWaiting(0, 0);
    const broken = new Set([victim!.data.url]);
    const crawlWorker = () => {
      const worker = createWorker(
        'crawl',
        async (payload) => {
          if (broken.has(payload.url)) throw new PermanentError('http-500', `${payload.url}: server error`);
          const result = { outcome: 'article' as const };
          await runs.completed('crawl', payload, result);
          return result;
        },
        { context, logger, concurrency: 2, onFinalFailure: runs.finalFailure('crawl') },
      );
      closers.push(() => worker.close());
      return worker;
    };
    const first = crawlWorker();
    const settled = () =>
      waitFor(async () => ((await runs.tally.totals(ran.runId)).open === 0 ? true : null), {
        timeoutMs: 20_000,
        what: 'every job of the run to settle',
      });
    await settled();
    expect(await runs.tally.totals(ran.runId)).toMatchObject({ queued: n, fetched: n - 1, failed: { 'http-500': 1 } });
    expect((await registry.runs('replayed'))[0]).toMatchObject({ runId: ran.runId, state: 'finished' });
    await first.close();

    // The page is fixed and its dead letter replayed: open in its run again, its failure taken back.
    broken.clear();
    const replay = await replayFailed(context, 'crawl', { beforeReplay: runs.beforeReplay });
    expect(replay.replayed).toBe(1);
    let totals = await runs.tally.totals(ran.runId);
    expect(totals).toMatchObject({ queued: n, fetched: n - 1, open: 1 });
    expect(totals.failed).toEqual({});
    expect(totals.finishedAt).toBeUndefined();
    expect((await registry.runs('replayed'))[0]).toMatchObject({ runId: ran.runId, state: 'running' });

    // It succeeds: counted once, as fetched, and the run is finished again.
    crawlWorker();
    await settled();
    totals = await runs.tally.totals(ran.runId);
    expect(totals).toMatchObject({ queued: n, fetched: n, open: 0 });
    expect(totals.failed).toEqual({});
    expect((await registry.runs('replayed'))[0]).toMatchObject({ runId: ran.runId, state: 'finished' });

    // A dead letter removed while it was being replayed: its failure is counted again, nothing left open.
    const missing = `${site.url}/never-there/`;
    broken.add(missing);
    await crawl.add({ ...victim!.data, url: missing });
    await settled();
    expect((await runs.tally.totals(ran.runId)).failed).toEqual({ 'http-500': 1 });
    const removedMeanwhile = await replayFailed(context, 'crawl', {
      beforeReplay: async (name, job) => {
        const undo = await runs.beforeReplay(name, job);
        await job.remove();
        return undo;
      },
    });
    expect(removedMeanwhile).toMatchObject({ matched: 1, replayed: 0 });
    totals = await runs.tally.totals(ran.runId);
    expect(totals).toMatchObject({ queued: n + 1, fetched: n, open: 0, failed: { 'http-500': 1 } });
    expect((await registry.runs('replayed'))[0]).toMatchObject({ runId: ran.runId, state: 'finished' });
  });
});
