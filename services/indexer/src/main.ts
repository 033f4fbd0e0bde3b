import { Worker } from 'bullmq';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { createRedis, createWorker } from '@gazette/jobs';
import {
  ArticleHistory,
  PageLedger,
  RunAccounting,
  searchGateFor,
  allFinalFailures,
  indexStep,
  ledgerFinalFailure,
  retireStep,
} from '@gazette/pipeline';
import { openQueue } from '@gazette/jobs';
import {
  collectQueueMetrics,
  handleShutdown,
  instrumentWorker,
  serviceLogger,
  summariseWorker,
  redisCheck,
  startOpsServer,
} from '@gazette/runtime';
import {
  BulkWriter,
  ensureCanary,
  classifySearchError,
  createSearchClient,
  ensureArticleIndex,
  INDEX_MAPPING_VERSION,
  indexFeatures,
  isSearchUp,
} from '@gazette/search';
import { loadConfig } from './config.ts';

const config = loadConfig();
const logger = serviceLogger('indexer', config);
const connection = createRedis(config.REDIS_URL);
const context = { connection, prefix: config.QUEUE_PREFIX };
const es = createSearchClient({ url: config.ELASTICSEARCH_URL });
const ledger = new PageLedger(connection, config.QUEUE_PREFIX);
const history = new ArticleHistory(connection, config.QUEUE_PREFIX);
const runs = new RunAccounting(connection, config.QUEUE_PREFIX);

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
 * While Elasticsearch is unreachable or refuses writes (flood-stage or index write block, 429
 * back-pressure) the index queue is rate limited: jobs go back to waiting without
 * spending an attempt, and one job per probe interval checks whether it is back. Only the jobs whose
 * bulk request failed when it went away spend an attempt (and back off), so an outage of any length
 * drops nothing; indexing resumes once its health has held for a few seconds (see SearchGate).
 */
const gate = searchGateFor(es, config.ES_INDEX, { log: logger });
const indexQueue = openQueue(context, 'index');
/**
 * Makes sure the articles index and the probe's canary exist, once per process: the jobs that start
 * together wait for the same preparation (a failed one is tried again by the next job).
 */
let preparing: Promise<void> | undefined;
function prepare(): Promise<void> {
  preparing ??= (async () => {
    let mappingVersion;
    try {
      await ensureArticleIndex(es, config.ES_INDEX);
      mappingVersion = (await indexFeatures(es, config.ES_INDEX)).version;
    } catch (error) {
      throw classifySearchError(error, 'preparing the articles index');
    }
    if (mappingVersion < INDEX_MAPPING_VERSION) {
      logger.warn(
        { mappingVersion, current: INDEX_MAPPING_VERSION },
        'the articles index was built with an older mapping; `gazette reindex` rebuilds it with the current one',
      );
    }
    // The write probe's canary, with its replica, before any outage needs it (in the background: the
    // first jobs need not wait for the replica).
    void ensureCanary(es, config.ES_INDEX);
  })().catch((error: unknown) => {
    preparing = undefined;
    throw error;
  });
  return preparing;
}

const worker = createWorker(
  'index',
  async (payload, { job }) => {
    if (!(await gate.available())) {
      await indexQueue.rateLimit(gate.probeMs);
      throw Worker.RateLimitError();
    }
    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    const result = await indexStep(payload, { writer, ledger, gate, prepare, lastAttempt, history });
    await runs.completed('index', payload, result);
    return result;
  },
  {
    context,
    logger,
    concurrency: config.INDEXER_CONCURRENCY,
    onFinalFailure: allFinalFailures(ledgerFinalFailure(ledger, 'index'), runs.finalFailure('index')),
  },
);
worker.on('error', (error) => logger.error({ err: error }, 'worker error'));
instrumentWorker(worker, registry);
const summary = summariseWorker(worker, logger, {
  what: 'index',
  outcomeOf: (r) => ((r as { skipped?: string } | undefined)?.skipped ? 'skipped' : 'indexed'),
});

/** Articles whose pages went away leave the index and are kept as gone records (the retire queue). */
const retireQueue = openQueue(context, 'retire');
const retirer = createWorker(
  'retire',
  async (payload, { log }) => {
    const result = await retireStep(payload, { es, index: config.ES_INDEX, history });
    log.info({ ...result, reason: payload.reason }, 'article gone');
    return result;
  },
  { context, logger, concurrency: 4 },
);
retirer.on('error', (error) => logger.error({ err: error }, 'worker error'));
instrumentWorker(retirer, registry);
collectQueueMetrics(registry, [indexQueue, retireQueue]);

const ops = await startOpsServer({
  host: config.OPS_HOST,
  port: config.INDEXER_METRICS_PORT,
  registry,
  checks: {
    redis: redisCheck(connection),
    elasticsearch: async () => (await isSearchUp(es, config.ES_INDEX)) || 'unreachable or red',
  },
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
    await Promise.all([worker.close(), retirer.close()]);
    summary.stop();
    await writer.close();
    await Promise.all([indexQueue.close(), retireQueue.close()]);
    ops.server.close();
    await es.close();
    await connection.quit();
  },
});
