/**
 * Job metrics on the real Redis with a real BullMQ worker: jobs are counted once by their final
 * outcome, however many attempts they took, and every attempt is counted apart.
 */
import { randomBytes } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { afterAll, describe, expect, it } from 'vitest';
import { instrumentWorker } from './worker-metrics.ts';

const prefix = `{worker-metrics-${randomBytes(4).toString('hex')}}`;
const connection = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: null });
const queue = new Queue('work', { connection, prefix });
const registry = new Registry();
const worker = new Worker(
  'work',
  async (job) => {
    if (job.data.fail) throw new Error('[http-503] the server is down');
    return 'ok';
  },
  { connection, prefix, concurrency: 4 },
);
instrumentWorker(worker, registry);

afterAll(async () => {
  await worker.close();
  await queue.obliterate({ force: true });
  await queue.close();
  await connection.quit();
});

async function value(name: string, labels: Record<string, string>): Promise<number> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  const values = (metric?.values ?? []) as Array<{ labels: Record<string, string>; value: number }>;
  return values
    .filter((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))
    .reduce((sum, v) => sum + v.value, 0);
}

describe('worker metrics', () => {
  it('count jobs by final outcome and attempts apart, and observe queue lag', async () => {
    await queue.addBulk([
      ...[1, 2, 3].map((n) => ({ name: 'w', data: { fail: true, n }, opts: { attempts: 3 } })),
      { name: 'w', data: { fail: false }, opts: { attempts: 3 } },
    ]);
    const failed = { queue: 'work', outcome: 'failed', reason: 'http-503' };
    await expect.poll(() => value('gazette_jobs_total', failed), { timeout: 20_000 }).toBe(3);
    await expect.poll(() => value('gazette_job_attempts_total', failed), { timeout: 20_000 }).toBe(9);
    expect(await value('gazette_jobs_total', { queue: 'work', outcome: 'completed' })).toBe(1);
    expect(await value('gazette_job_attempts_total', { queue: 'work', outcome: 'completed' })).toBe(1);
    expect(await queue.getFailedCount()).toBe(3);
    const metrics = await registry.metrics();
    expect(metrics).toMatch(/gazette_job_wait_seconds_count\{queue="work"\} (1[0-9]|[4-9])/);
  });
});
