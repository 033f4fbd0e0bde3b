/**
 * Dead letters and replay on the real Redis: a job that exhausts its retries
 * keeps payload, reason and attempt history; once the cause is fixed,
 * `replayFailed` re-runs exactly the matching jobs and they succeed.
 */
import { randomBytes } from 'node:crypto';
import type { Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor, deleteKeysWithPrefix } from '@gazette/devstack';
import {
  PermanentError,
  Producer,
  RetryableError,
  createRedis,
  createWorker,
  listFailed,
  openQueue,
  queueStats,
  replayFailed,
} from '@gazette/jobs';
import { createLogger } from '@gazette/logger';

const prefix = `{replay-test-${randomBytes(4).toString('hex')}}`;
const redis = createRedis(process.env.REDIS_URL!);
const context = { connection: redis, prefix };
const crawl = new Producer('crawl', context);
const queue = openQueue(context, 'crawl');
const broken = `${prefix}:broken-hosts`;
let worker: Worker;

beforeAll(async () => {
  // The "cause": a host marked broken fails with a retryable error, a gone page fails permanently.
  await redis.sadd(broken, 'down.example');
  worker = createWorker(
    'crawl',
    async (payload) => {
      const host = new URL(payload.url).hostname;
      if (await redis.sismember(broken, host)) throw new RetryableError('http-503', `${host} answered 503`);
      if (payload.url.endsWith('/gone')) throw new PermanentError('http-410', 'gone');
      return { ok: true };
    },
    { context, logger: createLogger({ name: 'replay-test', level: 'silent' }), concurrency: 4 },
  );
});

afterAll(async () => {
  await worker.close();
  await Promise.all([crawl.close(), queue.close()]);
  await deleteKeysWithPrefix(redis, `${prefix}:`);
  await redis.quit();
});

describe('dead letters and replay', () => {
  it('keeps a failed job with payload, error and attempt history, and replays it once the cause is fixed', async () => {
    const retryFast = { attempts: 3, backoff: { type: 'gazette', delay: 20 } };
    const down = await Promise.all(
      [1, 2, 3].map((n) => crawl.add({ url: `https://down.example/story-${n}`, depth: 0 }, retryFast)),
    );
    const gone = await crawl.add({ url: 'https://ok.example/gone', depth: 0 }, retryFast);
    await waitFor(async () => (await queue.getFailedCount()) === 4, { timeoutMs: 30_000, what: 'four dead letters' });

    const dead = await listFailed(context, 'crawl', { reason: 'http-503' });
    expect(dead.map((j) => j.id).sort()).toEqual(down.map((j) => String(j.id)).sort());
    const first = dead.find((j) => j.id === String(down[0]!.id))!;
    expect(first.data).toMatchObject({ url: 'https://down.example/story-1', depth: 0 });
    expect(first.reason).toBe('http-503');
    expect(first.failedReason).toContain('down.example answered 503');
    expect(first.attemptsMade).toBe(3);
    expect(first.stacktrace).toHaveLength(3);
    expect(first.attempts).toHaveLength(3);
    expect(first.attempts[0]).toMatch(/^attempt 1 failed at .*: \[http-503\] down\.example answered 503$/);
    expect((await listFailed(context, 'crawl', { reason: 'http-*' })).length).toBe(4);

    // Filters: nothing failed in the future; a limit takes the most recent failures.
    expect((await replayFailed(context, 'crawl', { since: new Date(Date.now() + 60_000) })).matched).toBe(0);
    expect((await replayFailed(context, 'crawl', { reason: 'http-503', limit: 2, dryRun: true })).matched).toBe(2);

    // Fix the cause, replay exactly the 503s.
    await redis.srem(broken, 'down.example');
    const replay = await replayFailed(context, 'crawl', { reason: 'http-503' });
    expect(replay).toMatchObject({ matched: 3, replayed: 3 });
    await waitFor(
      async () => {
        const states = await Promise.all(down.map((j) => queue.getJobState(String(j.id))));
        return states.every((s) => s === 'completed');
      },
      { timeoutMs: 30_000, what: 'the replayed jobs to complete' },
    );
    // The permanent failure was not replayed; a second replay finds nothing to do.
    expect(await queue.getJobState(String(gone.id))).toBe('failed');
    expect((await replayFailed(context, 'crawl', { reason: 'http-503' })).replayed).toBe(0);
    const [stats] = await queueStats(context);
    expect(stats).toMatchObject({ queue: 'crawl', failed: 1, completed: 3 });
  });
});
