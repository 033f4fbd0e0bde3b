import { Queue } from 'bullmq';
import type { RedisConnection } from '@gazette/jobs';
import { catalog, queueNames, type QueueName } from '@gazette/jobs';

export type QueueCounts = Record<QueueName, { pending: number; active: number; completed: number; failed: number }>;

/** Counts of every Gazette queue under one prefix. */
export async function queueCounts(connection: RedisConnection, prefix: string): Promise<QueueCounts> {
  const out = {} as QueueCounts;
  for (const name of queueNames) {
    const queue = new Queue(catalog[name].name, { connection, prefix });
    const c = await queue.getJobCounts(
      'waiting',
      'active',
      'delayed',
      'prioritized',
      'waiting-children',
      'completed',
      'failed',
    );
    out[name] = {
      pending: (c.waiting ?? 0) + (c.delayed ?? 0) + (c.prioritized ?? 0) + (c['waiting-children'] ?? 0),
      active: c.active ?? 0,
      completed: c.completed ?? 0,
      failed: c.failed ?? 0,
    };
    await queue.close();
  }
  return out;
}

/** The queues a crawl flows through (the schedule queue always holds its next fire, so it never idles). */
const PIPELINE: QueueName[] = ['crawl', 'render', 'parse', 'index', 'retire'];

/** True when no pipeline queue has a job waiting, delayed or running. */
export function isIdle(counts: QueueCounts): boolean {
  return PIPELINE.every((n) => counts[n].pending === 0 && counts[n].active === 0);
}
