/**
 * The per-second outcome line on the real Redis with a real BullMQ worker: outcomes come from the
 * jobs' results, retried attempts count as retrying, last attempts as failed, with reasons.
 */
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '@gazette/logger';
import { summariseWorker } from './worker-summary.ts';

const prefix = `{worker-summary-${randomBytes(4).toString('hex')}}`;
const connection = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: null });
const queue = new Queue('pages', { connection, prefix });
const lines: Array<{ msg: string; outcomes: Record<string, number> }> = [];
const logger = createLogger({
  name: 'test',
  destination: new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(l));
      done();
    },
  }),
});
const worker = new Worker(
  'pages',
  async (job) => {
    if (job.data.fail) throw new Error('[http-5xx] the server is down');
    return { outcome: job.data.outcome };
  },
  { connection, prefix, concurrency: 4 },
);
const summary = summariseWorker(worker, logger, { what: 'crawl', intervalMs: 60_000 });

afterAll(async () => {
  summary.stop();
  await worker.close();
  await queue.obliterate({ force: true });
  await queue.close();
  await connection.quit();
});

describe('summariseWorker', () => {
  it('counts outcomes, retries and final failures with their reasons into one line', async () => {
    await queue.addBulk([
      ...['fetched', 'fetched', 'fetched', 'not-modified'].map((outcome) => ({ name: 'p', data: { outcome } })),
      { name: 'p', data: { fail: true }, opts: { attempts: 2 } },
    ]);
    await expect.poll(() => queue.getFailedCount(), { timeout: 20_000 }).toBe(1);
    await expect.poll(() => queue.getCompletedCount(), { timeout: 20_000 }).toBe(4);
    const line = summary.flush();
    expect(line).toMatch(
      /^crawl: 3 fetched, 1 not-modified, 1 retrying \(http-5xx\), 1 failed \(http-5xx\) in the last \d+ s$/,
    );
    expect(lines.at(-1)).toMatchObject({ msg: line, outcomes: { fetched: 3, 'not-modified': 1, failed: 1 } });
  });
});
