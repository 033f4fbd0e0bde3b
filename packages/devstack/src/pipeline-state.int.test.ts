/**
 * The pipeline's idle test on the real Redis: a queue that holds jobs is not idle, paused or not.
 */
import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import { catalog, createRedis } from '@gazette/jobs';
import { deleteKeysWithPrefix } from './redis-keys.ts';
import { isIdle, pausedWithWork, queueCounts } from './pipeline-state.ts';

const redis = createRedis(process.env.REDIS_URL!);
const prefixes: string[] = [];
const freshPrefix = () => {
  const prefix = `pipeline-state-test-${randomBytes(4).toString('hex')}`;
  prefixes.push(prefix);
  return prefix;
};

afterAll(async () => {
  for (const prefix of prefixes) await deleteKeysWithPrefix(redis, `${prefix}:`);
  await redis.quit();
});

describe('queueCounts and isIdle', () => {
  it('takes a paused queue with a waiting job for pending work, and idles once it is resumed and drained', async () => {
    const prefix = freshPrefix();
    expect(isIdle(await queueCounts(redis, prefix))).toBe(true);
    const parse = new Queue(catalog.parse.name, { connection: redis, prefix });
    try {
      await parse.pause();
      await parse.add('parse', { any: 'payload' }, { jobId: 'held' });
      const held = await queueCounts(redis, prefix);
      expect(held.parse).toMatchObject({ pending: 1, active: 0, paused: true });
      expect(isIdle(held)).toBe(false);
      expect(pausedWithWork(held)).toEqual(['parse']);

      await parse.resume();
      await parse.remove('held');
      const drained = await queueCounts(redis, prefix);
      expect(drained.parse).toMatchObject({ pending: 0, paused: false });
      expect(isIdle(drained)).toBe(true);
    } finally {
      await parse.close();
    }
  });

  it('counts the jobs a queue paused under the older BullMQ layout holds in its paused list', async () => {
    // Before BullMQ 6 a pause moved the waiting jobs into `<queue>:paused`; Redis data written then
    // keeps them there until the queue is resumed, which moves them back to `wait`.
    const prefix = freshPrefix();
    const index = new Queue(catalog.index.name, { connection: redis, prefix });
    try {
      await index.pause();
      await redis.rpush(`${prefix}:${catalog.index.name}:paused`, 'legacy-1', 'legacy-2');
      const held = await queueCounts(redis, prefix);
      expect(held.index).toMatchObject({ pending: 2, paused: true });
      expect(isIdle(held)).toBe(false);

      await index.resume();
      const resumed = await queueCounts(redis, prefix);
      expect(resumed.index).toMatchObject({ pending: 2, paused: false });
      expect(await redis.llen(`${prefix}:${catalog.index.name}:wait`)).toBe(2);
    } finally {
      await index.close();
    }
  });
});
