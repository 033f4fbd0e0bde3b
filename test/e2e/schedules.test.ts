/**
 * Schedules through real processes on the real Redis: the api stores a source
 * and its schedule, two crawler processes run the fired schedules. Every fire
 * runs once (never twice, whatever the number of crawlers), and schedules go
 * on firing after the api that created them and one of the crawlers restart.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedisConnection } from '@gazette/jobs';
import { serveDemoSite, type DemoSite } from '@gazette/demo-site';
import { startService, waitFor, type ServiceProcess, deleteKeysWithPrefix } from '@gazette/devstack';
import { createRedis } from '@gazette/jobs';
import { SourceStore } from '@gazette/sources';
import { openQueues } from '@gazette/jobs';

const run = randomBytes(4).toString('hex');
const prefix = `e2e-sched-${run}`;
const token = `operator-${run}-0123456789`;
let site: DemoSite;
let redis: RedisConnection;
let store: SourceStore;
let archiveDir: string;
let env: Record<string, string>;
let api: ServiceProcess;
let apiUrl: string;
const crawlers: ServiceProcess[] = [];

async function call(method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
}

async function startApi(): Promise<void> {
  api = await startService('api', { env });
  apiUrl = String(api.startedLine.address);
}

const finishedRuns = async (id: string) => (await store.runs(id)).filter((r) => r.discoveredAt && !r.error);

beforeAll(async () => {
  site = await serveDemoSite();
  redis = createRedis(process.env.REDIS_URL!);
  store = new SourceStore(redis, prefix);
  archiveDir = await mkdtemp(join(tmpdir(), 'gazette-e2e-sched-'));
  env = {
    REDIS_URL: process.env.REDIS_URL!,
    ELASTICSEARCH_URL: process.env.ELASTICSEARCH_URL!,
    QUEUE_PREFIX: prefix,
    ES_INDEX: `e2e-sched-${run}`,
    ARCHIVE_DIR: archiveDir,
    CRAWLER_ALLOW_HOSTS: '127.0.0.1',
    CRAWLER_POLITENESS_MS: '0',
    API_PORT: '0',
    API_OPERATOR_TOKEN: token,
    CRAWLER_METRICS_PORT: '0',
    SHUTDOWN_GRACE_SECONDS: '10',
  };
  const [a, b] = await Promise.all([startService('crawler', { env }), startService('crawler', { env })]);
  crawlers.push(a, b);
  await startApi();
});

afterAll(async () => {
  await Promise.all([api, ...crawlers].map((s) => s?.stop()));
  await deleteKeysWithPrefix(redis, `${prefix}:`);
  await redis.quit();
  await site.close();
  await rm(archiveDir, { recursive: true, force: true });
});

describe('schedules', () => {
  it('fire once per slot with two crawlers, and survive restarts of the api and a crawler', async () => {
    const every = await call('POST', '/sources', {
      source: {
        id: 'demo-every',
        name: 'Demo (interval)',
        seeds: [`${site.url}/`],
        maxDepth: 0,
        autodiscoverFeeds: false,
      },
      schedule: { everyMs: 1_000 },
    });
    expect(every.status).toBe(201);
    const cron = await call('POST', '/sources', {
      source: {
        id: 'demo-cron',
        name: 'Demo (cron)',
        seeds: [`${site.url}/latest/`],
        maxDepth: 0,
        autodiscoverFeeds: false,
      },
      schedule: { cron: '*/2 * * * * *', tz: 'America/New_York' },
    });
    expect(cron.status).toBe(201);

    await waitFor(async () => (await finishedRuns('demo-every')).length >= 3, {
      timeoutMs: 60_000,
      what: 'three runs of the interval schedule',
    });
    await waitFor(async () => (await finishedRuns('demo-cron')).length >= 2, {
      timeoutMs: 60_000,
      what: 'two runs of the cron schedule',
    });

    // Restart the process that created the schedules, and stop one of the two crawlers.
    await api.stop();
    await crawlers[0]!.stop();
    const before = (await finishedRuns('demo-every')).length;
    await waitFor(async () => (await finishedRuns('demo-every')).length >= before + 2, {
      timeoutMs: 60_000,
      what: 'the schedule to keep firing with the api down and one crawler left',
    });
    await startApi();
    const listed = (await (await call('GET', '/sources')).json()) as {
      sources: Array<{ source: { id: string }; lastRun: unknown }>;
    };
    expect(listed.sources.map((s) => s.source.id)).toEqual(['demo-cron', 'demo-every']);
    expect(listed.sources.every((s) => s.lastRun)).toBe(true);

    // Pause both; then check that no slot fired twice.
    expect((await call('POST', '/sources/demo-every/pause')).status).toBe(200);
    expect((await call('POST', '/sources/demo-cron/pause')).status).toBe(200);
    const queues = openQueues({ connection: redis, prefix });
    try {
      await waitFor(async () => (await queues.schedule.getActiveCount()) === 0, {
        timeoutMs: 30_000,
        what: 'schedule runs in flight to finish',
      });
      const fired = await queues.schedule.getJobs(['completed', 'failed', 'active', 'waiting', 'delayed'], 0, -1);
      const slots = new Map<string, number>();
      for (const job of fired) {
        const slot = `${job.data.sourceId}@${/:(\d+)$/.exec(String(job.id))?.[1] ?? job.id}`;
        slots.set(slot, (slots.get(slot) ?? 0) + 1);
      }
      expect([...slots.values()].every((n) => n === 1)).toBe(true);
      const runs = await store.runs('demo-every');
      expect(new Set(runs.map((r) => r.runId)).size).toBe(runs.length);
      // Each run queued its seed once: crawl jobs of the interval source = its runs.
      const crawls = await queues.crawl.getJobs(
        ['completed', 'failed', 'active', 'waiting', 'delayed', 'prioritized'],
        0,
        -1,
      );
      const seedCrawls = crawls.filter((j) => j.data.sourceId === 'demo-every' && j.data.hints?.from === 'seed');
      const ranEvery = runs.filter((r) => r.discoveredAt && !r.error).length;
      expect(seedCrawls.length).toBe(ranEvery);
      expect(new Set(seedCrawls.map((j) => j.data.scope.runId)).size).toBe(ranEvery);
    } finally {
      await Promise.all(Object.values(queues).map((q) => q.close()));
    }
  });
});
