import { DelayedError } from 'bullmq';
import { Counter, Registry, collectDefaultMetrics } from 'prom-client';
import { describeArchive, openArchive } from '@gazette/archive';
import { createFetcher } from '@gazette/fetch';
import { Producer, createRedis, createWorker } from '@gazette/jobs';
import { PageLedger, RunAccounting, openHostRules } from '@gazette/pipeline';
import { openQueue } from '@gazette/jobs';
import { BrowserMissingError, Renderer, renderStep } from '@gazette/render';
import {
  collectQueueMetrics,
  handleShutdown,
  instrumentWorker,
  serviceLogger,
  summariseWorker,
  redisCheck,
  startOpsServer,
} from '@gazette/runtime';
import { loadConfig } from './config.ts';

const config = loadConfig();
const logger = serviceLogger('renderer', config);

// Every request the browser makes is answered by this fetcher: the crawler's guard, allow list and caps.
const fetcher = createFetcher({
  userAgent: config.CRAWLER_USER_AGENT,
  allow: config.CRAWLER_ALLOW_HOSTS,
  totalTimeoutMs: config.CRAWLER_TIMEOUT_MS,
  maxBodyBytes: config.CRAWLER_MAX_BODY_BYTES,
  contentTypes: null,
});
const renderer = new Renderer({
  fetcher,
  executablePath: config.CHROMIUM_PATH,
  concurrency: config.RENDERER_CONCURRENCY,
  pageTimeoutMs: config.RENDERER_PAGE_TIMEOUT_MS,
  settleMs: config.RENDERER_SETTLE_MS,
  maxScrolls: config.RENDERER_MAX_SCROLLS,
  maxHeapMb: config.RENDERER_MAX_HEAP_MB,
  blockedResourceTypes: config.RENDERER_BLOCK_TYPES,
  allowThirdParty: config.RENDERER_ALLOW_THIRD_PARTY,
  pagesPerContext: config.RENDERER_PAGES_PER_CONTEXT,
  log: logger,
});
try {
  await renderer.start();
} catch (error) {
  if (error instanceof BrowserMissingError) {
    logger.fatal({ reason: error.reason, path: error.path }, error.message);
    console.error(`renderer: ${error.message}`);
    await fetcher.close();
    process.exit(1);
  }
  throw error;
}

const connection = createRedis(config.REDIS_URL);
const context = { connection, prefix: config.QUEUE_PREFIX };
const prefix = config.QUEUE_PREFIX;
const { robots, politeness, seen } = openHostRules(config, { fetcher, redis: connection, prefix });
const archive = openArchive(config);
const runs = new RunAccounting(connection, prefix);
const parse = new Producer('parse', context, { beforeAdd: runs.beforeAdd('parse') });
const crawl = new Producer('crawl', context, { beforeAdd: runs.beforeAdd('crawl') });
const ledger = new PageLedger(connection, prefix);

const registry = new Registry();
collectDefaultMetrics({ register: registry });
const renders = new Counter({
  name: 'gazette_render_total',
  help: 'Pages rendered in the browser, by reason code (ok or the failure)',
  labelNames: ['reason'],
  registers: [registry],
});

const worker = createWorker(
  'render',
  async (payload, { job, log, token }) => {
    try {
      const result = await renderStep(payload, {
        renderer,
        robots,
        politeness,
        minIntervalMs: config.CRAWLER_POLITENESS_MS,
        maxConcurrencyPerHost: config.CRAWLER_HOST_CONCURRENCY,
        archive,
        seen,
        parse,
        crawl,
        ledger,
        log,
        delayUntil: async (at) => {
          await job.moveToDelayed(at, token);
          throw new DelayedError();
        },
      });
      renders.inc({ reason: 'ok' });
      await runs.completed('render', payload, result);
      return result;
    } catch (error) {
      if (!(error instanceof DelayedError))
        renders.inc({ reason: (error as { reason?: string }).reason ?? 'unexpected' });
      throw error;
    }
  },
  // A render holds its job for up to the page time limit: the lock outlives it comfortably.
  { context, logger, concurrency: config.RENDERER_CONCURRENCY, onFinalFailure: runs.finalFailure('render') },
);
worker.on('error', (error) => logger.error({ err: error }, 'worker error'));
instrumentWorker(worker, registry);
const summary = summariseWorker(worker, logger, { what: 'render' });
const renderQueue = openQueue(context, 'render');
collectQueueMetrics(registry, [renderQueue]);

const ops = await startOpsServer({
  host: config.OPS_HOST,
  port: config.RENDERER_METRICS_PORT,
  registry,
  checks: { redis: redisCheck(connection) },
});
logger.info(
  {
    concurrency: config.RENDERER_CONCURRENCY,
    pageTimeoutMs: config.RENDERER_PAGE_TIMEOUT_MS,
    maxHeapMb: config.RENDERER_MAX_HEAP_MB,
    blocked: config.RENDERER_BLOCK_TYPES,
    thirdParty: config.RENDERER_ALLOW_THIRD_PARTY,
    allow: config.CRAWLER_ALLOW_HOSTS,
    chromium: config.CHROMIUM_PATH,
    opsPort: ops.port,
    archive: describeArchive(config),
  },
  'renderer started',
);

handleShutdown({
  logger,
  graceMs: config.SHUTDOWN_GRACE_SECONDS * 1000,
  stop: async () => {
    await worker.close();
    summary.stop();
    await Promise.all([parse.close(), crawl.close(), renderQueue.close()]);
    await renderer.close();
    await archive.close();
    await fetcher.close();
    ops.server.close();
    await connection.quit();
  },
});
