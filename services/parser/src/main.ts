import { Counter, Registry, collectDefaultMetrics } from 'prom-client';
import { describeArchive, openArchive } from '@gazette/archive';
import { parseReason } from '@gazette/errors';
import { Producer, createRedis, createWorker, openQueue } from '@gazette/jobs';
import {
  ArticleHistory,
  PageLedger,
  RunAccounting,
  allFinalFailures,
  ledgerFinalFailure,
  parseStep,
} from '@gazette/pipeline';
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
const logger = serviceLogger('parser', config);
const connection = createRedis(config.REDIS_URL);
const context = { connection, prefix: config.QUEUE_PREFIX };
const archive = openArchive(config);
const runs = new RunAccounting(connection, config.QUEUE_PREFIX);
const index = new Producer('index', context, { beforeAdd: runs.beforeAdd('index') });
const ledger = new PageLedger(connection, config.QUEUE_PREFIX);
const history = new ArticleHistory(connection, config.QUEUE_PREFIX);
const retire = new Producer('retire', context);

const worker = createWorker(
  'parse',
  async (payload, { log }) => {
    const result = await parseStep(payload, { archive, index, ledger, log, history, retire });
    await runs.completed('parse', payload, result);
    return result;
  },
  {
    context,
    logger,
    concurrency: config.PARSER_CONCURRENCY,
    onFinalFailure: allFinalFailures(ledgerFinalFailure(ledger, 'parse'), runs.finalFailure('parse')),
  },
);
worker.on('error', (error) => logger.error({ err: error }, 'worker error'));

const registry = new Registry();
collectDefaultMetrics({ register: registry });
instrumentWorker(worker, registry);
const summary = summariseWorker(worker, logger, { what: 'parse' });
const extractionFailures = new Counter({
  name: 'gazette_extraction_failures_total',
  help: 'Pages the parser could not turn into a record, by reason',
  labelNames: ['reason'],
  registers: [registry],
});
const notArticles = new Counter({
  name: 'gazette_not_article_total',
  help: 'Parsed pages that are not articles, by reason',
  labelNames: ['reason'],
  registers: [registry],
});
worker.on('failed', (_job, error) => {
  const reason = parseReason(error.message);
  if (reason.startsWith('extract-') || reason === 'parser-crash') extractionFailures.inc({ reason });
});
worker.on('completed', (_job, result: { outcome?: string; reason?: string }) => {
  if (result?.outcome === 'not-article') notArticles.inc({ reason: result.reason ?? 'unknown' });
});
const parseQueue = openQueue(context, 'parse');
collectQueueMetrics(registry, [parseQueue]);
const ops = await startOpsServer({
  host: config.OPS_HOST,
  port: config.PARSER_METRICS_PORT,
  registry,
  checks: { redis: redisCheck(connection) },
});
logger.info(
  { concurrency: config.PARSER_CONCURRENCY, opsPort: ops.port, archive: describeArchive(config) },
  'parser started',
);

handleShutdown({
  logger,
  graceMs: config.SHUTDOWN_GRACE_SECONDS * 1000,
  stop: async () => {
    await worker.close();
    summary.stop();
    await Promise.all([index.close(), retire.close(), parseQueue.close()]);
    await archive.close();
    ops.server.close();
    await connection.quit();
  },
});
