import { Queue, Worker } from 'bullmq';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { GazetteError, catalog, createRedis, createWorker, reasonOf } from '@gazette/jobs';
import { createLogger } from '@gazette/logger';
import { PageLedger, indexStep } from '@gazette/pipeline';
import { openQueue } from '@gazette/operations';
import { collectQueueMetrics, handleShutdown, instrumentWorker, startOpsServer } from '@gazette/runtime';
import { BulkWriter, classifySearchError, createSearchClient, ensureArticleIndex, isSearchUp } from '@gazette/search';
import { loadConfig } from './config.ts';

const config = loadConfig();
const logger = createLogger({ name: 'indexer', level: config.LOG_LEVEL });
const connection = createRedis(config.REDIS_URL);
const context = { connection, prefix: config.QUEUE_PREFIX };
const es = createSearchClient({ url: config.ELASTICSEARCH_URL });
const ledger = new PageLedger(connection, config.QUEUE_PREFIX);

const registry = new Registry();
collectDefaultMetrics({ register: registry });
const bulkLatency = new Histogram({
  name: 'gazette_bulk_index_seconds',
  help: 'Elasticsearch bulk request latency',
  buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [registry],
});
const bulkErrors = new Counter({
  name: 'gazette_bulk_index_errors_total',
  help: 'Documents Elasticsearch did not accept',
  registers: [registry],
});

let indexReady = false;
async function prepareIndex(): Promise<void> {
  if (indexReady) return;
  await ensureArticleIndex(es, config.ES_INDEX);
  indexReady = true;
}

const writer = new BulkWriter({
  client: es,
  index: config.ES_INDEX,
  maxBatch: config.INDEXER_BULK_SIZE,
  flushIntervalMs: config.INDEXER_FLUSH_MS,
  onFlush: ({ docs, ms, failed }) => {
    bulkLatency.observe(ms / 1000);
    if (failed) bulkErrors.inc(failed);
    logger.debug({ docs, ms: Math.round(ms), failed }, 'bulk write');
  },
});

/**
 * While Elasticsearch is unreachable the index queue is rate limited: jobs go back to waiting without
 * spending an attempt, and one job per probe interval checks whether it is back. Only the jobs whose
 * bulk request failed when it went away spend an attempt (and back off), so an outage of any length
 * drops nothing and indexing resumes within a probe interval of its return.
 */
const SEARCH_PROBE_MS = 1_000;
const limiter = new Queue(catalog.index.name, { connection, prefix: config.QUEUE_PREFIX });
let searchDown = false;
let nextProbe = 0;
let probe: Promise<boolean> | undefined;

async function searchAvailable(): Promise<boolean> {
  if (!searchDown) return true;
  if (Date.now() < nextProbe) return false;
  probe ??= isSearchUp(es)
    .then((up) => {
      nextProbe = Date.now() + SEARCH_PROBE_MS;
      if (up && searchDown) {
        searchDown = false;
        logger.info('Elasticsearch answers again: indexing resumes');
      }
      return up;
    })
    .finally(() => (probe = undefined));
  return probe;
}

function noteFailure(error: unknown): void {
  // Unreachable, or answering 5xx/429 to a whole request (shutting down, recovering): wait for its health.
  if (error instanceof GazetteError && error.retryable && error.reason.startsWith('es-') && !searchDown) {
    searchDown = true;
    nextProbe = Date.now() + SEARCH_PROBE_MS;
    logger.warn({ err: error }, 'Elasticsearch is unavailable: index jobs wait until it is healthy');
  }
}

const worker = createWorker(
  'index',
  async (payload, { job }) => {
    if (!(await searchAvailable())) {
      await limiter.rateLimit(SEARCH_PROBE_MS);
      throw Worker.RateLimitError();
    }
    try {
      try {
        await prepareIndex();
      } catch (error) {
        throw classifySearchError(error, 'preparing the articles index');
      }
      const result = await indexStep(payload, { writer });
      await ledger.record(payload.record.url, { state: 'indexed', articleId: payload.record.id });
      return result;
    } catch (error) {
      noteFailure(error);
      // The last attempt (or a permanent refusal): the page's state says why it is not searchable.
      const final =
        !(error instanceof GazetteError && error.retryable) || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      if (final) {
        await ledger
          .record(payload.record.url, { state: 'index-failed', reason: reasonOf(error), articleId: payload.record.id })
          .catch(() => undefined);
      }
      throw error;
    }
  },
  { context, logger, concurrency: config.INDEXER_CONCURRENCY },
);
worker.on('error', (error) => logger.error({ err: error }, 'worker error'));
instrumentWorker(worker, registry);
const indexQueue = openQueue(context, 'index');
collectQueueMetrics(registry, [indexQueue]);

const ops = await startOpsServer({
  host: config.OPS_HOST,
  port: config.INDEXER_METRICS_PORT,
  registry,
  ready: async () => (await connection.ping()) === 'PONG' && (await isSearchUp(es)),
});
logger.info(
  {
    concurrency: config.INDEXER_CONCURRENCY,
    bulkSize: config.INDEXER_BULK_SIZE,
    index: config.ES_INDEX,
    opsPort: ops.port,
  },
  'indexer started',
);

handleShutdown({
  logger,
  graceMs: config.SHUTDOWN_GRACE_SECONDS * 1000,
  stop: async () => {
    // Jobs in flight resolve when their bulk request does; then flush anything left.
    await worker.close();
    await writer.close();
    await indexQueue.close();
    ops.server.close();
    await es.close();
    await connection.quit();
  },
});
