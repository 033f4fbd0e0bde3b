import { Producer, createRedis } from '@gazette/jobs';
import { createLogger } from '@gazette/logger';
import { handleShutdown } from '@gazette/runtime';
import { createSearchClient } from '@gazette/search';
import { buildApp } from './app.ts';
import { loadConfig } from './config.ts';

const config = loadConfig();
const logger = createLogger({ name: 'api', level: config.LOG_LEVEL });
const redis = createRedis(config.REDIS_URL);
const es = createSearchClient({ url: config.ELASTICSEARCH_URL });
const crawl = new Producer('crawl', { connection: redis, prefix: config.QUEUE_PREFIX });

const app = buildApp({ es, redis, crawl, index: config.ES_INDEX, logger });
const address = await app.listen({ host: config.API_HOST, port: config.API_PORT });
logger.info({ address }, 'api listening');

handleShutdown({
  logger,
  graceMs: config.SHUTDOWN_GRACE_SECONDS * 1000,
  stop: async () => {
    await app.close();
    await crawl.close();
    await es.close();
    await redis.quit();
  },
});
