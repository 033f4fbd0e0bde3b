import { Queue, type Job } from 'bullmq';
import { parseReason } from '@gazette/errors';
import { catalog, queueNames, type QueueName } from './catalog.ts';
import type { QueueContext } from './queues.ts';

/** Opens one BullMQ queue of the catalog (for reading and admin, not for adding jobs). */
export function openQueue(context: QueueContext, name: QueueName): Queue {
  return new Queue(catalog[name].name, { connection: context.connection, prefix: context.prefix });
}

/** Opens every queue of the catalog. */
export function openQueues(context: QueueContext): Record<QueueName, Queue> {
  return Object.fromEntries(queueNames.map((n) => [n, openQueue(context, n)])) as Record<QueueName, Queue>;
}

export interface QueueStats {
  queue: QueueName;
  waiting: number;
  active: number;
  delayed: number;
  prioritized: number;
  completed: number;
  failed: number;
  /** Delayed jobs that already failed at least one attempt and wait for their retry (part of `delayed`). */
  retrying: number;
  /** Age in seconds of the oldest job waiting to be picked up; null when none waits. */
  oldestWaitingSeconds: number | null;
}

/** Depth per state and age of the oldest waiting job of one queue. */
export async function statsOf(queue: Queue, name: QueueName, now = Date.now()): Promise<QueueStats> {
  const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed');
  const [oldest] = await queue.getJobs(['waiting', 'prioritized'], 0, 0, true);
  const retrying = await retryingCount(queue, c.delayed ?? 0);
  return {
    queue: name,
    waiting: c.waiting ?? 0,
    active: c.active ?? 0,
    delayed: c.delayed ?? 0,
    prioritized: c.prioritized ?? 0,
    completed: c.completed ?? 0,
    failed: c.failed ?? 0,
    retrying,
    oldestWaitingSeconds: oldest ? Math.max(0, (now - oldest.timestamp) / 1000) : null,
  };
}

/** Delayed jobs scanned to tell retries from jobs scheduled for later; beyond it the count is a lower bound. */
export const RETRY_SCAN = 1_000;

/** How many of a queue's delayed jobs are retries (a failed attempt behind them), not jobs scheduled for later. */
async function retryingCount(queue: Queue, delayed: number): Promise<number> {
  if (delayed === 0) return 0;
  const jobs = await queue.getDelayed(0, RETRY_SCAN - 1);
  return jobs.filter((j) => j && j.attemptsMade > 0).length;
}

export interface QueueWorkers {
  queue: QueueName;
  /** Worker connections BullMQ sees on this queue (one per worker process and queue). */
  count: number;
  /** Their client addresses (`host:port`) and how long they have been connected, in seconds. */
  workers: Array<{ addr: string; ageSeconds: number }>;
}

/** The workers connected to every queue of the catalog (BullMQ `Queue.getWorkers()`). */
export async function queueWorkers(context: QueueContext): Promise<QueueWorkers[]> {
  const queues = openQueues(context);
  try {
    return await Promise.all(
      queueNames.map(async (name) => {
        const list = await queues[name].getWorkers();
        const workers = list.map((w) => ({ addr: String(w['addr'] ?? ''), ageSeconds: Number(w['age'] ?? 0) }));
        return { queue: name, count: workers.length, workers };
      }),
    );
  } finally {
    await Promise.all(Object.values(queues).map((q) => q.close()));
  }
}

/** Statistics of every queue of the catalog. */
export async function queueStats(context: QueueContext): Promise<QueueStats[]> {
  const queues = openQueues(context);
  try {
    return await Promise.all(queueNames.map((n) => statsOf(queues[n], n)));
  } finally {
    await Promise.all(Object.values(queues).map((q) => q.close()));
  }
}

/** The reason code in a failed job's reason (`[http-404] ...`), or `unexpected`. */
export function reasonCodeOf(failedReason: string | undefined): string {
  return parseReason(failedReason);
}

export interface FailedJob {
  id: string;
  queue: string;
  data: unknown;
  reason: string;
  failedReason: string;
  attemptsMade: number;
  /** One stack trace per failed attempt, oldest first. */
  stacktrace: string[];
  /** One line per failed attempt, with its time and reason. */
  attempts: string[];
  createdAt: string;
  failedAt: string | null;
}

export interface FailedFilter {
  /** Only jobs that failed at or after this instant. */
  since?: Date;
  /** Only jobs with this reason code (exact, or a prefix ending in `*`, e.g. `http-*`). */
  reason?: string;
  /** At most this many jobs. */
  limit?: number;
}

function reasonMatches(code: string, wanted: string | undefined): boolean {
  if (!wanted) return true;
  return wanted.endsWith('*') ? code.startsWith(wanted.slice(0, -1)) : code === wanted;
}

/** Failed jobs of one queue matching the filter, most recently failed first. */
export async function* failedJobs(queue: Queue, filter: FailedFilter = {}): AsyncGenerator<Job> {
  const page = 200;
  let taken = 0;
  const limit = filter.limit ?? Infinity;
  // The failed set is ordered by failure time; page through it newest first.
  for (let start = 0; taken < limit; start += page) {
    const jobs = await queue.getFailed(start, start + page - 1);
    if (jobs.length === 0) return;
    for (const job of jobs) {
      if (!job) continue;
      if (filter.since && (job.finishedOn ?? 0) < filter.since.getTime()) return;
      if (!reasonMatches(reasonCodeOf(job.failedReason), filter.reason)) continue;
      yield job;
      if (++taken >= limit) return;
    }
    if (jobs.length < page) return;
  }
}

/** Failed jobs with payload, reason and attempt history. */
export async function listFailed(
  context: QueueContext,
  name: QueueName,
  filter: FailedFilter = {},
): Promise<FailedJob[]> {
  const queue = openQueue(context, name);
  try {
    const out: FailedJob[] = [];
    for await (const job of failedJobs(queue, { ...filter, limit: filter.limit ?? 100 })) {
      const { logs } = await queue.getJobLogs(String(job.id), 0, 99, true);
      out.push({
        id: String(job.id),
        queue: name,
        data: job.data,
        reason: reasonCodeOf(job.failedReason),
        failedReason: job.failedReason,
        attemptsMade: job.attemptsMade,
        stacktrace: job.stacktrace ?? [],
        attempts: logs.filter((l) => l.startsWith('attempt ')),
        createdAt: new Date(job.timestamp).toISOString(),
        failedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
      });
    }
    return out;
  } finally {
    await queue.close();
  }
}

/** Failed jobs per reason code, over every queue (at most `scan` most recent failures per queue). */
export async function failuresByReason(
  context: QueueContext,
  scan = 1_000,
): Promise<Array<{ queue: QueueName; reason: string; count: number }>> {
  const out: Array<{ queue: QueueName; reason: string; count: number }> = [];
  const queues = openQueues(context);
  try {
    for (const name of queueNames) {
      const counts = new Map<string, number>();
      for await (const job of failedJobs(queues[name], { limit: scan })) {
        const code = reasonCodeOf(job.failedReason);
        counts.set(code, (counts.get(code) ?? 0) + 1);
      }
      for (const [reason, count] of counts) out.push({ queue: name, reason, count });
    }
  } finally {
    await Promise.all(Object.values(queues).map((q) => q.close()));
  }
  return out.sort((a, b) => b.count - a.count);
}

export interface ReplayResult {
  queue: QueueName;
  /** Failed jobs matching the filter. */
  matched: number;
  /** Jobs moved back to waiting, attempts reset. */
  replayed: number;
  ids: string[];
}

/**
 * Called for each job about to be replayed, before it goes back to waiting (so what it does is in
 * place before the job can run again): e.g. opens the job again in its source run. May return an
 * undo, called when the job could not be replayed after all (removed meanwhile, or still failed).
 */
export type BeforeReplay = (name: QueueName, job: Job) => Promise<(() => Promise<void>) | void>;

export interface ReplayOptions extends FailedFilter {
  dryRun?: boolean;
  onProgress?: (done: number) => void;
  beforeReplay?: BeforeReplay;
}

/**
 * Re-runs failed jobs (the dead letters) of one queue: each matching job goes
 * back to waiting with its original payload and a fresh set of attempts. A
 * replayed job leaves the failed set, so running the same replay twice
 * replays nothing the second time.
 */
export async function replayFailed(
  context: QueueContext,
  name: QueueName,
  filter: ReplayOptions = {},
): Promise<ReplayResult> {
  const queue = openQueue(context, name);
  const result: ReplayResult = { queue: name, matched: 0, replayed: 0, ids: [] };
  try {
    // Collect first: retrying while paging would shift the pages.
    const jobs: Job[] = [];
    for await (const job of failedJobs(queue, filter)) jobs.push(job);
    result.matched = jobs.length;
    if (filter.dryRun) {
      result.ids = jobs.map((j) => String(j.id));
      return result;
    }
    for (const job of jobs) {
      const undo = await filter.beforeReplay?.(name, job);
      try {
        await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
        result.replayed++;
        result.ids.push(String(job.id));
      } catch {
        // Replayed by another replay meanwhile (nothing to do), or removed, or still failed: then what
        // was prepared for it is taken back.
        const state = await queue.getJobState(String(job.id));
        if (state === 'failed' || state === 'unknown') await undo?.();
      }
      filter.onProgress?.(result.replayed);
    }
    return result;
  } finally {
    await queue.close();
  }
}
