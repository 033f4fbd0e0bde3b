/**
 * What a completed index job keeps, on the real Redis: who it was, not the record (which lives in
 * Elasticsearch once indexed); its id still turns away a second add. A failed one keeps the whole
 * record and its reason, and replays.
 */
import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import { recordFromImport, type ArticleRecord } from '@gazette/article';
import { createLogger } from '@gazette/logger';
import { catalog } from './catalog.ts';
import { PermanentError } from '@gazette/errors';
import { Producer, createWorker } from './queues.ts';
import { createRedis } from './redis.ts';

const prefix = `completed-data-test-${randomBytes(4).toString('hex')}`;
const redis = createRedis(process.env.REDIS_URL!);
const context = { connection: redis, prefix };
const logger = createLogger({ name: 'completed-data-test', level: 'silent' });

function record(slug: string): ArticleRecord {
  return recordFromImport({
    url: `https://news.example/${slug}`,
    title: `The ${slug} story`,
    body: `The harbour reopened today. ${'Ships waited outside the harbour for days. '.repeat(200)}`,
  });
}

afterAll(async () => {
  const queue = new Queue(catalog.index.name, { connection: redis, prefix });
  await queue.obliterate({ force: true });
  await queue.close();
  await redis.quit();
});

describe('completed index jobs', () => {
  it('keep the article id and URL, not the record; a failed one keeps its record and reason, and replays', async () => {
    const good = record('good');
    const bad = record('bad');
    const index = new Producer('index', context);
    const refuse = new Set([bad.id]);
    const worker = createWorker(
      'index',
      async (payload) => {
        if (refuse.has(payload.record.id)) throw new PermanentError('invalid-record', 'refused by the test');
        return { id: payload.record.id };
      },
      { context, logger, concurrency: 2 },
    );
    try {
      await index.add({ record: good, runId: 'run-1' }, { jobId: 'good' });
      await index.add({ record: bad }, { jobId: 'bad' });
      await expect
        .poll(async () => (await index.queue.getJob('good'))?.data, { timeout: 20_000 })
        .toEqual({
          record: { id: good.id, url: good.url },
          runId: 'run-1',
          completedDataOnly: true,
        });
      expect(await index.queue.getJobState('good')).toBe('completed');
      expect(Buffer.byteLength(JSON.stringify((await index.queue.getJob('good'))!.data))).toBeLessThan(200);
      // The id still stands: the same job added again is not run again.
      await index.add({ record: good, runId: 'run-1' }, { jobId: 'good' });
      expect(await index.queue.getJobCounts('waiting', 'completed')).toMatchObject({ waiting: 0, completed: 1 });

      await expect.poll(() => index.queue.getJobState('bad'), { timeout: 20_000 }).toBe('failed');
      const failed = (await index.queue.getJob('bad'))!;
      expect(failed.data).toEqual({ record: bad });
      expect(failed.failedReason).toMatch(/^\[invalid-record\] /);
      // Replayed once the cause is gone: runs on its whole record.
      refuse.clear();
      await failed.retry('failed');
      await expect.poll(() => index.queue.getJobState('bad'), { timeout: 20_000 }).toBe('completed');
      expect(await (await index.queue.getJob('bad'))!.returnvalue).toEqual({ id: bad.id });
    } finally {
      await worker.close();
      await index.close();
    }
  });
});
