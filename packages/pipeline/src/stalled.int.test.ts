/**
 * Jobs whose workers die under them (no lock renewal) more often than maxStalledCount: BullMQ would
 * fail them with a bare "job stalled more than allowable limit". Here they are retried with the
 * `stalled` reason (an attempt spent, the stall count starting over), and once no attempt is left
 * they fail with that reason code and the page ledger says so.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedisConnection } from '@gazette/jobs';
import type { Worker } from 'bullmq';
import { deleteKeysWithPrefix, waitFor } from '@gazette/devstack';
import { Producer, createRedis, createWorker, type QueueContext } from '@gazette/jobs';
import { createLogger } from '@gazette/logger';
import { PageLedger } from './page-ledger.ts';
import { ledgerFinalFailure } from './final-failure.ts';

const logger = createLogger({ name: 'test', level: 'silent' });
// Short locks so a dead worker's job is found stalled within a second or two.
const FAST = { lockDuration: 1_000, stalledInterval: 300, maxStalledCount: 0 };
let redis: RedisConnection;
let context: QueueContext;
const workers: Worker[] = [];

beforeAll(() => {
  redis = createRedis(process.env.REDIS_URL!);
  context = { connection: redis, prefix: `stalled-${randomBytes(4).toString('hex')}` };
});
afterAll(async () => {
  await Promise.all(workers.map((w) => w.close(true).catch(() => undefined)));
  await deleteKeysWithPrefix(redis, `${context.prefix}:`);
  await redis.quit();
});

function job(n: number) {
  const url = `https://news.example/stalled-${n}`;
  return {
    url,
    finalUrl: url,
    fetchedAt: new Date().toISOString(),
    archive: { file: 'a.warc.gz', offset: 0, length: 1 },
  };
}

/** A worker that takes jobs and never finishes them, then is stopped without releasing them (as SIGKILL does). */
async function dieHolding(jobId: string, parse: Producer<'parse'>): Promise<void> {
  const connection = redis.duplicate();
  const doomed = createWorker('parse', () => new Promise<never>(() => undefined), {
    context: { ...context, connection },
    logger,
    concurrency: 1,
    worker: { ...FAST, autorun: true },
  });
  await waitFor(async () => (await parse.queue.getJobState(jobId)) === 'active', {
    timeoutMs: 10_000,
    what: 'the job to be taken',
  });
  await doomed.close(true);
  connection.disconnect();
}

describe('stalled jobs', () => {
  it('retries a job that stalled too often, spending one attempt, and records a final stall in the ledger', async () => {
    const parse = new Producer('parse', context);
    const ledger = new PageLedger(redis, context.prefix);
    // 1. Two attempts: the first lost to a dead worker, the second runs.
    const retried = await parse.add(job(1), { attempts: 2, backoff: { type: 'gazette', delay: 100 } });
    await dieHolding(String(retried.id), parse);
    const ran: string[] = [];
    const finalFailures: string[] = [];
    const startSurvivor = () => {
      const w = createWorker(
        'parse',
        async (payload) => {
          ran.push(payload.url);
          return 'ok';
        },
        {
          context: { ...context, connection: redis.duplicate() },
          logger,
          concurrency: 1,
          worker: FAST,
          onFinalFailure: async (data, reason) => {
            finalFailures.push(reason);
            await ledgerFinalFailure(ledger, 'parse')(data, reason);
          },
        },
      );
      workers.push(w);
      return w;
    };
    const survivor = startSurvivor();
    await waitFor(async () => (await parse.queue.getJobState(String(retried.id))) === 'completed', {
      timeoutMs: 20_000,
      what: 'the stalled job to be retried and completed',
    });
    const done = await parse.queue.getJob(String(retried.id));
    // BullMQ counts the completed run too: one attempt lost to the stalls, one that ran.
    expect(done?.attemptsMade).toBe(2);
    expect(ran).toEqual([job(1).url]);
    expect((await parse.queue.getJobLogs(String(retried.id))).logs.join('\n')).toMatch(/\[stalled\]/);

    // 2. One attempt: the stall is final, with its reason code, in the failed set and the ledger.
    await survivor.close();
    const final = await parse.add(job(2), { attempts: 1 });
    await dieHolding(String(final.id), parse);
    startSurvivor();
    await waitFor(async () => (await parse.queue.getJobState(String(final.id))) === 'failed', {
      timeoutMs: 20_000,
      what: 'the stalled job to fail',
    });
    const failed = await parse.queue.getJob(String(final.id));
    expect(failed?.failedReason).toMatch(/^\[stalled\] /);
    expect(finalFailures).toEqual(['stalled']);
    expect(await ledger.get(job(2).url)).toMatchObject({ state: 'parse-failed', reason: 'stalled' });
    expect(ran).toEqual([job(1).url]);
    await parse.close();
  });
});
