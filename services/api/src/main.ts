import { Registry, collectDefaultMetrics } from 'prom-client';
import { openArchive } from '@gazette/archive';
import { Producer, createRedis } from '@gazette/jobs';
import { SourceRegistry } from '@gazette/sources';
import { openQueues } from '@gazette/jobs';
import { collectQueueMetrics, handleShutdown, serviceLogger } from '@gazette/runtime';
import { createSearchClient } from '@gazette/search';
import { createNetworkGuard } from '@gazette/fetch';
import { buildApp } from './app.ts';
import { loadConfig } from './config.ts';

const config = loadConfig();
const logger = serviceLogger('api', config);
const redis = createRedis(config.REDIS_URL);
const es = createSearchClient({ url: config.ELASTICSEARCH_URL });
const context = { connection: redis, prefix: config.QUEUE_PREFIX };
const crawl = new Producer('crawl', context);
const parse = new Producer('parse', context);
const queues = openQueues(context);
const sources = new SourceRegistry(context);
const archive = openArchive(config);
const registry = new Registry();
collectDefaultMetrics({ register: registry });
collectQueueMetrics(registry, Object.values(queues));

if (!config.API_OPERATOR_TOKEN) {
  logger.warn('API_OPERATOR_TOKEN is not set: operator routes, the console and the queue dashboard are open');
}
// Schedulers follow the stored sources (a schedule lost or left over is repaired at every start).
const reconciled = await sources.reconcile();

const app = await buildApp({
  es,
  redis,
  crawl,
  parse,
  index: config.ES_INDEX,
  logger,
  context,
  queues,
  sources,
  archive,
  registry,
  crawlGuard: createNetworkGuard(config.CRAWLER_ALLOW_HOSTS),
  auth: {
    operatorToken: config.API_OPERATOR_TOKEN,
    readToken: config.API_READ_TOKEN,
    secureCookie: config.NODE_ENV === 'production',
  },
});
const address = await app.listen({ host: config.API_HOST, port: config.API_PORT });
logger.info({ address, schedules: reconciled.active }, 'api listening');

handleShutdown({
  logger,
  graceMs: config.SHUTDOWN_GRACE_SECONDS * 1000,
  stop: async () => {
    await app.close();
    await Promise.all([crawl.close(), parse.close(), sources.close(), ...Object.values(queues).map((q) => q.close())]);
    await es.close();
    await redis.quit();
  },
});
