import { Gauge, type Registry } from 'prom-client';
import type { Queue } from 'bullmq';

const STATES = ['waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed'] as const;

/**
 * Queue gauges, read from Redis at every scrape: `gazette_queue_jobs{queue,state}`
 * (depth per state) and `gazette_queue_oldest_waiting_seconds{queue}` (age of
 * the oldest job waiting to be picked up; 0 when none waits).
 */
export function collectQueueMetrics(registry: Registry, queues: Queue[]): void {
  if (registry.getSingleMetric('gazette_queue_jobs')) return;
  new Gauge({
    name: 'gazette_queue_jobs',
    help: 'Jobs per queue and state',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      this.reset();
      await Promise.all(
        queues.map(async (queue) => {
          const counts = await queue.getJobCounts(...STATES);
          for (const state of STATES) this.set({ queue: queue.name, state }, counts[state] ?? 0);
        }),
      );
    },
  });
  new Gauge({
    name: 'gazette_queue_oldest_waiting_seconds',
    help: 'Age of the oldest job waiting in each queue (0 when none waits)',
    labelNames: ['queue'],
    registers: [registry],
    async collect() {
      const now = Date.now();
      await Promise.all(
        queues.map(async (queue) => {
          const [oldest] = await queue.getJobs(['waiting', 'prioritized'], 0, 0, true);
          this.set({ queue: queue.name }, oldest ? Math.max(0, (now - oldest.timestamp) / 1000) : 0);
        }),
      );
    },
  });
}
