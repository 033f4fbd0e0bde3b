import { DelayedError } from 'bullmq';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { describeArchive, openArchive } from '@gazette/archive';
import { createFetcher } from '@gazette/fetch';
import { Producer, createRedis, createWorker } from '@gazette/jobs';
import {
  ArchiveGate,
  PageLedger,
  RunAccounting,
  sourceRunFailure,
  allFinalFailures,
  crawlStep,
  ledgerFinalFailure,
  openHostRules,
  runSource,
} from '@gazette/pipeline';
import { detectShell } from '@gazette/render/shell';
import { SourceStore } from '@gazette/sources';
import { openQueues } from '@gazette/jobs';
import {
  BoundedLabel,
  collectQueueMetrics,
  fetchLabels,
  handleShutdown,
  instrumentWorker,
  serviceLogger,
  summariseWorker,
  defaultOutcome,
  redisCheck,
  startOpsServer,
} from '@gazette/runtime';
import { hostOf } from '@gazette/frontier';
import { loadConfig } from './config.ts';

const config = loadConfig();
const logger = serviceLogger('crawler', config);
const connection = createRedis(config.REDIS_URL);
const context = { connection, prefix: config.QUEUE_PREFIX };
const prefix = config.QUEUE_PREFIX;

const fetcher = createFetcher({
  userAgent: config.CRAWLER_USER_AGENT,
  allow: config.CRAWLER_ALLOW_HOSTS,
  totalTimeoutMs: config.CRAWLER_TIMEOUT_MS,
  maxBodyBytes: config.CRAWLER_MAX_BODY_BYTES,
});
const { robots, politeness, seen } = openHostRules(config, { fetcher, redis: connection, prefix });
const archiveWriteErrors = new Counter({
  name: 'gazette_archive_write_errors_total',
  help: 'Archive writes that failed (nothing was handed out for them), by reason',
  labelNames: ['reason'],
});
const archive = openArchive(config, {
  onWriteError: (error) => {
    archiveWriteErrors.inc({ reason: error.reason === 'full' ? 'archive-full' : 'archive-io' });
    archiveGate.noteWriteError(error);
  },
});
/** A crawler that cannot archive takes no jobs (and is not ready) until a probe write succeeds again. */
const archiveGate: ArchiveGate = new ArchiveGate({
  archive,
  log: logger,
  minFreeBytes: config.CRAWLER_ARCHIVE_MIN_FREE_MB * 1024 * 1024,
  onChange: (writable) => {
    if (writable) worker.resume();
    else void worker.pause(true);
  },
});
/** Source runs' totals: the jobs a run causes are opened as they are added and settled as they end. */
const runs = new RunAccounting(connection, prefix);
const parse = new Producer('parse', context, { beforeAdd: runs.beforeAdd('parse') });
const crawl = new Producer('crawl', context, { beforeAdd: runs.beforeAdd('crawl') });
const render = new Producer('render', context, { beforeAdd: runs.beforeAdd('render') });
const retire = new Producer('retire', context);
const ledger = new PageLedger(connection, prefix);

const registry = new Registry();
collectDefaultMetrics({ register: registry });
registry.registerMetric(archiveWriteErrors);
new Gauge({
  name: 'gazette_archive_free_bytes',
  help: "Free bytes on the archive's file system at the last check",
  registers: [registry],
  collect() {
    if (archiveGate.freeBytes !== undefined) this.set(archiveGate.freeBytes);
  },
});
new Gauge({
  name: 'gazette_archive_writable',
  help: '1 while the archive can be written and the crawler takes jobs, 0 while it cannot',
  registers: [registry],
  collect() {
    this.set(archiveGate.writable ? 1 : 0);
  },
});
const fetches = new Counter({
  name: 'gazette_fetch_total',
  help: 'Fetches by HTTP status, status class (2xx ... 5xx, none) and reason code',
  labelNames: ['status', 'class', 'reason'],
  registers: [registry],
});
const sitePages = new Counter({
  name: 'gazette_site_pages_total',
  help: 'Crawled pages by site (the CRAWLER_METRICS_SITES busiest sites, then other) and outcome',
  labelNames: ['site', 'outcome'],
  registers: [registry],
});
const siteOutcomes = ['article', 'listing', 'not-modified', 'gone', 'render', 'failed'] as const;
// The busiest CRAWLER_METRICS_SITES sites by pages crawled keep their own label (recomputed every
// 1000 pages); a site that drops out has its series removed, so the series stay bounded.
const sites = new BoundedLabel(config.CRAWLER_METRICS_SITES, {
  onDemote: (site) => siteOutcomes.forEach((outcome) => sitePages.remove({ site, outcome })),
});
const siteOf = (url: string) => {
  try {
    return sites.of(hostOf(url).replace(/^www\./, ''));
  } catch {
    return 'other';
  }
};

const worker = createWorker(
  'crawl',
  async (payload, { job, log, token }) => {
    if (!archiveGate.writable) {
      // Taken just before the crawler paused: back to the queue without spending an attempt.
      await job.moveToDelayed(Date.now() + archiveGate.probeMs, token);
      throw new DelayedError();
    }
    try {
      const result = await crawlStep(payload, {
        fetcher,
        robots,
        politeness,
        minIntervalMs: config.CRAWLER_POLITENESS_MS,
        maxConcurrencyPerHost: config.CRAWLER_HOST_CONCURRENCY,
        seen,
        archive,
        parse,
        crawl,
        ledger,
        log,
        maxRetryAfterMs: config.CRAWLER_MAX_RETRY_AFTER_S * 1000,
        render,
        detectShell,
        retire,
        jobKey: `${job.id}@${job.timestamp}`,
        delayUntil: async (at) => {
          await job.moveToDelayed(at, token);
          throw new DelayedError();
        },
      });
      const status = result.outcome === 'not-modified' ? 304 : result.status;
      const reason = result.outcome === 'gone' ? 'gone' : result.outcome === 'not-modified' ? 'not-modified' : 'ok';
      if (status !== undefined) fetches.inc(fetchLabels({ status, reason }));
      sitePages.inc({ site: siteOf(payload.url), outcome: result.outcome });
      await runs.completed('crawl', payload, result);
      return result;
    } catch (error) {
      if (!(error instanceof DelayedError)) {
        fetches.inc(fetchLabels({ error: error as { reason?: string } }));
        sitePages.inc({ site: siteOf(payload.url), outcome: 'failed' });
      }
      throw error;
    }
  },
  {
    context,
    logger,
    concurrency: config.CRAWLER_CONCURRENCY,
    onFinalFailure: allFinalFailures(ledgerFinalFailure(ledger, 'crawl'), runs.finalFailure('crawl')),
  },
);
worker.on('error', (error) => logger.error({ err: error }, 'worker error'));
instrumentWorker(worker, registry);
// One info line a second: pages fetched (articles and listings), not modified, gone, failed by reason.
const summary = summariseWorker(worker, logger, {
  what: 'crawl',
  outcomeOf: (r) => {
    const o = defaultOutcome(r);
    return o === 'article' || o === 'listing' ? 'fetched' : o;
  },
});

// Fired schedules and "run now": discover a source's URLs and queue their crawls.
const sources = new SourceStore(connection, prefix);
const scheduleWorker =
  config.CRAWLER_SCHEDULE_CONCURRENCY > 0
    ? createWorker(
        'schedule',
        (payload, { job, log }) =>
          runSource(payload, String(job.id), {
            store: sources,
            crawl,
            seen,
            fetcher,
            robots,
            log,
            ledger,
            tally: runs.tally,
          }),
        {
          context,
          logger,
          concurrency: config.CRAWLER_SCHEDULE_CONCURRENCY,
          // A run whose schedule job failed for good before discovery could say so is recorded failed.
          onFinalFailure: sourceRunFailure(sources),
        },
      )
    : null;
scheduleWorker?.on('error', (error) => logger.error({ err: error }, 'schedule worker error'));
if (scheduleWorker) instrumentWorker(scheduleWorker, registry);
const metricQueues = openQueues(context);
collectQueueMetrics(registry, [metricQueues.crawl, metricQueues.schedule]);

const ops = await startOpsServer({
  host: config.OPS_HOST,
  port: config.CRAWLER_METRICS_PORT,
  registry,
  checks: {
    redis: redisCheck(connection),
    archive: () => archiveGate.writable || (archiveGate.reason ?? 'not writable'),
  },
});
archiveGate.start();
logger.info(
  {
    concurrency: config.CRAWLER_CONCURRENCY,
    scheduleConcurrency: config.CRAWLER_SCHEDULE_CONCURRENCY,
    politenessMs: config.CRAWLER_POLITENESS_MS,
    allow: config.CRAWLER_ALLOW_HOSTS,
    opsPort: ops.port,
    archive: describeArchive(config),
  },
  'crawler started',
);

handleShutdown({
  logger,
  graceMs: config.SHUTDOWN_GRACE_SECONDS * 1000,
  stop: async () => {
    archiveGate.stop();
    await Promise.all([worker.close(), scheduleWorker?.close()]);
    summary.stop();
    await Promise.all([
      parse.close(),
      crawl.close(),
      render.close(),
      retire.close(),
      ...Object.values(metricQueues).map((q) => q.close()),
    ]);
    await archive.close();
    await fetcher.close();
    ops.server.close();
    await connection.quit();
  },
});
