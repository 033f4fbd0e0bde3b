import { parseReason } from '@gazette/errors';
import { Counter, Histogram, type Registry } from 'prom-client';
import type { Job, Worker } from 'bullmq';

/**
 * Job metrics for one worker: `gazette_jobs_total{queue,outcome,reason}` and
 * `gazette_job_duration_seconds{queue,outcome}`.
 */
export function instrumentWorker(worker: Worker, registry: Registry): void {
  const total =
    (registry.getSingleMetric('gazette_jobs_total') as Counter | undefined) ??
    new Counter({
      name: 'gazette_jobs_total',
      help: 'Jobs processed, by queue, outcome and failure reason',
      labelNames: ['queue', 'outcome', 'reason'],
      registers: [registry],
    });
  const duration =
    (registry.getSingleMetric('gazette_job_duration_seconds') as Histogram | undefined) ??
    new Histogram({
      name: 'gazette_job_duration_seconds',
      help: 'Job processing time, by queue and outcome',
      labelNames: ['queue', 'outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    });
  const seconds = (job: Job) => (job.finishedOn && job.processedOn ? (job.finishedOn - job.processedOn) / 1000 : 0);
  worker.on('completed', (job) => {
    total.inc({ queue: worker.name, outcome: 'completed', reason: '' });
    duration.observe({ queue: worker.name, outcome: 'completed' }, seconds(job));
  });
  worker.on('failed', (job, error) => {
    const reason = parseReason(error.message);
    total.inc({ queue: worker.name, outcome: 'failed', reason });
    if (job) duration.observe({ queue: worker.name, outcome: 'failed' }, seconds(job));
  });
}
