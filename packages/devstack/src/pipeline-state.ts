import { Queue } from 'bullmq';
import type { RedisConnection } from '@gazette/jobs';
import { catalog, queueNames, type QueueName } from '@gazette/jobs';

export interface QueueCount {
  /** Jobs waiting, delayed, prioritized or held by a pause: work still to do. */
  pending: number;
  active: number;
  completed: number;
  failed: number;
  /** The queue is paused: its pending jobs stay put until it is resumed. */
  paused: boolean;
}

export type QueueCounts = Record<QueueName, QueueCount>;

/** Counts of every Gazette queue under one prefix. */
export async function queueCounts(connection: RedisConnection, prefix: string): Promise<QueueCounts> {
  const out = {} as QueueCounts;
  for (const name of queueNames) {
    const queue = new Queue(catalog[name].name, { connection, prefix });
    try {
      const c = await queue.getJobCounts(
        'waiting',
        'active',
        'delayed',
        'prioritized',
        'waiting-children',
        'completed',
        'failed',
      );
      // A pause by BullMQ 6 leaves the jobs in `wait`; one by an older BullMQ moved them to a list of
      // their own, where they stay until the queue is resumed (the type no longer names that state).
      const legacyPaused = await connection.llen(queue.keys.paused!);
      out[name] = {
        pending:
          (c.waiting ?? 0) + legacyPaused + (c.delayed ?? 0) + (c.prioritized ?? 0) + (c['waiting-children'] ?? 0),
        active: c.active ?? 0,
        completed: c.completed ?? 0,
        failed: c.failed ?? 0,
        paused: await queue.isPaused(),
      };
    } finally {
      await queue.close();
    }
  }
  return out;
}

/** The queues a crawl flows through (the schedule queue always holds its next fire, so it never idles). */
const PIPELINE: QueueName[] = ['crawl', 'render', 'parse', 'index', 'retire'];

/**
 * True when no pipeline queue has a job waiting, delayed, held by a pause or running. A paused
 * queue with jobs is not idle: its work is only postponed.
 */
export function isIdle(counts: QueueCounts): boolean {
  return PIPELINE.every((n) => counts[n].pending === 0 && counts[n].active === 0);
}

/** The pipeline queues that are paused while holding jobs (why a wait for idle does not end). */
export function pausedWithWork(counts: QueueCounts): QueueName[] {
  return PIPELINE.filter((n) => counts[n].paused && counts[n].pending > 0);
}
