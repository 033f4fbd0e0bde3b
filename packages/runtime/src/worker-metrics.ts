import { parseReason } from '@gazette/errors';
import { Counter, Histogram, type Registry } from 'prom-client';
import type { Job, Worker } from 'bullmq';

function counter(registry: Registry, name: string, help: string, labelNames: string[]): Counter {
  return (
    (registry.getSingleMetric(name) as Counter | undefined) ??
    new Counter({ name, help, labelNames, registers: [registry] })
  );
}

function histogram(registry: Registry, name: string, help: string, labelNames: string[], buckets: number[]): Histogram {
  return (
    (registry.getSingleMetric(name) as Histogram | undefined) ??
    new Histogram({ name, help, labelNames, buckets, registers: [registry] })
  );
}

/** A failed attempt is the job's last: a permanent error, or no attempt left. */
export function isFinalFailure(job: Pick<Job, 'attemptsMade' | 'opts'> | undefined, error: Error): boolean {
  if (!job) return true;
  if (error.name === 'UnrecoverableError') return true;
  return job.attemptsMade >= (job.opts.attempts ?? 1);
}

/**
 * Job metrics for one worker, for alerting:
 * - `gazette_jobs_total{queue,outcome,reason}`: jobs by final outcome (`completed`, or `failed`
 *   with its reason once no attempt is left), one count per job whatever its retries;
 * - `gazette_job_attempts_total{queue,outcome,reason}`: every attempt (`completed`, `failed`);
 * - `gazette_job_duration_seconds{queue,outcome}`: processing time of an attempt;
 * - `gazette_job_wait_seconds{queue}`: queue lag, from a job's creation (or its last delay) to
 *   the start of its processing.
 */
export function instrumentWorker(worker: Worker, registry: Registry): void {
  const jobs = counter(
    registry,
    'gazette_jobs_total',
    'Jobs by final outcome (retries counted once), queue and reason',
    ['queue', 'outcome', 'reason'],
  );
  const attempts = counter(registry, 'gazette_job_attempts_total', 'Job attempts by queue, outcome and reason', [
    'queue',
    'outcome',
    'reason',
  ]);
  const duration = histogram(
    registry,
    'gazette_job_duration_seconds',
    'Job processing time, by queue and outcome',
    ['queue', 'outcome'],
    [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  );
  const wait = histogram(
    registry,
    'gazette_job_wait_seconds',
    'Queue lag: time from a job being ready to its processing starting',
    ['queue'],
    [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600],
  );
  const seconds = (job: Job) => (job.finishedOn && job.processedOn ? (job.finishedOn - job.processedOn) / 1000 : 0);
  worker.on('active', (job) => {
    const readyAt = job.timestamp + (job.delay ?? 0);
    if (job.processedOn) wait.observe({ queue: worker.name }, Math.max(0, (job.processedOn - readyAt) / 1000));
  });
  worker.on('completed', (job) => {
    jobs.inc({ queue: worker.name, outcome: 'completed', reason: '' });
    attempts.inc({ queue: worker.name, outcome: 'completed', reason: '' });
    duration.observe({ queue: worker.name, outcome: 'completed' }, seconds(job));
  });
  worker.on('failed', (job, error) => {
    const reason = parseReason(error.message);
    attempts.inc({ queue: worker.name, outcome: 'failed', reason });
    if (isFinalFailure(job, error)) jobs.inc({ queue: worker.name, outcome: 'failed', reason });
    if (job) duration.observe({ queue: worker.name, outcome: 'failed' }, seconds(job));
  });
}
