import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Client } from '@elastic/elasticsearch';
import type { Redis } from 'ioredis';
import type { Producer } from '@gazette/jobs';
import type { Logger } from '@gazette/logger';
import { classifySearchError, isSearchUp } from '@gazette/search';
import { problem } from './problem.ts';
import { crawlRoutes } from './routes/crawl.ts';
import { readRoutes } from './routes/read.ts';

export interface AppDeps {
  es: Client;
  redis: Redis;
  crawl: Producer<'crawl'>;
  /** Articles alias. */
  index: string;
  logger: Logger;
}

/** The HTTP API: schedule crawls, read articles, related articles and search. */
export function buildApp(deps: AppDeps): FastifyInstance {
  const app = Fastify({ loggerInstance: deps.logger as FastifyBaseLogger });

  app.setErrorHandler((error, _request, reply) => {
    const status = (error as { statusCode?: number }).statusCode;
    if (status && status >= 400 && status < 500) {
      void reply
        .status(status)
        .type('application/problem+json')
        .send(problem(status, 'Bad Request', (error as Error).message));
      return;
    }
    const classified = classifySearchError(error, 'request');
    const code = classified.retryable ? 503 : 500;
    deps.logger.error({ err: error }, 'request failed');
    void reply
      .status(code)
      .type('application/problem+json')
      .send(problem(code, code === 503 ? 'Service Unavailable' : 'Internal Server Error', classified.message));
  });

  app.get('/healthz', async (_request, reply) => {
    const [redis, es] = await Promise.all([
      deps.redis.ping().then(
        (r) => r === 'PONG',
        () => false,
      ),
      isSearchUp(deps.es),
    ]);
    const ok = redis && es;
    return reply.status(ok ? 200 : 503).send({ status: ok ? 'ok' : 'degraded', redis, elasticsearch: es });
  });

  crawlRoutes(app, deps);
  readRoutes(app, deps);
  return app;
}
