import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Client } from '@elastic/elasticsearch';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { crawlScopeSchema, type Producer } from '@gazette/jobs';
import type { Logger } from '@gazette/logger';
import { classifySearchError, getArticle, relatedArticles, searchArticles } from '@gazette/search';

export interface AppDeps {
  es: Client;
  redis: Redis;
  crawl: Producer<'crawl'>;
  index: string;
  logger: Logger;
}

const crawlBody = z
  .object({
    urls: z.array(z.string().url()).min(1).max(10_000),
    scope: crawlScopeSchema.partial().optional(),
    force: z.boolean().optional(),
  })
  .strict();

const idParams = z.object({ id: z.string().regex(/^[0-9a-f]{32}$/, 'an article id is 32 hex digits') });
const relatedQuery = z.object({ k: z.coerce.number().int().min(1).max(100).default(10) });
const searchQuery = z.object({
  q: z.string().min(1, 'q is required'),
  size: z.coerce.number().int().min(1).max(100).default(10),
  from: z.coerce.number().int().min(0).max(10_000).default(0),
});

/** An RFC 9457 problem document. */
function problem(status: number, title: string, detail: string) {
  return { type: 'about:blank', title, status, detail };
}

function parse<T>(schema: z.ZodType<T>, value: unknown): { ok: true; value: T } | { ok: false; detail: string } {
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, value: result.data };
  return {
    ok: false,
    detail: result.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '),
  };
}

/** The HTTP API: schedule crawls, read articles, related articles and search. */
export function buildApp(deps: AppDeps): FastifyInstance {
  const app = Fastify({ loggerInstance: deps.logger as FastifyBaseLogger });

  app.setErrorHandler((error, _request, reply) => {
    const classified = classifySearchError(error, 'request');
    if (classified.retryable) {
      void reply
        .status(503)
        .type('application/problem+json')
        .send(problem(503, 'Service Unavailable', classified.message));
      return;
    }
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    void reply
      .status(status >= 400 && status < 600 ? status : 500)
      .type('application/problem+json')
      .send(problem(status, status < 500 ? 'Bad Request' : 'Internal Server Error', (error as Error).message));
  });

  app.get('/healthz', async (_request, reply) => {
    const [redis, es] = await Promise.all([
      deps.redis.ping().then(
        (r) => r === 'PONG',
        () => false,
      ),
      deps.es.ping().catch(() => false),
    ]);
    const ok = redis && es;
    return reply.status(ok ? 200 : 503).send({ status: ok ? 'ok' : 'degraded', redis, elasticsearch: es });
  });

  app.post('/crawl', async (request, reply) => {
    const body = parse(crawlBody, request.body);
    if (!body.ok) return reply.status(400).type('application/problem+json').send(problem(400, 'Bad Request', body.detail));
    const scope = crawlScopeSchema.parse(body.value.scope ?? {});
    const jobs = await deps.crawl.addBulk(
      body.value.urls.map((url) => ({
        payload: { url, depth: 0, scope, hints: { from: 'api' as const }, ...(body.value.force ? { force: true } : {}) },
      })),
    );
    return reply.status(202).send({ accepted: jobs.length, jobIds: jobs.map((j) => j.id) });
  });

  app.get('/articles/:id', async (request, reply) => {
    const params = parse(idParams, request.params);
    if (!params.ok) return reply.status(400).type('application/problem+json').send(problem(400, 'Bad Request', params.detail));
    const record = await getArticle(deps.es, deps.index, params.value.id);
    if (!record) {
      return reply
        .status(404)
        .type('application/problem+json')
        .send(problem(404, 'Not Found', `no article with id ${params.value.id}`));
    }
    return record;
  });

  app.get('/articles/:id/related', async (request, reply) => {
    const params = parse(idParams, request.params);
    const query = parse(relatedQuery, request.query);
    if (!params.ok || !query.ok) {
      const detail = [params, query].flatMap((r) => (r.ok ? [] : [r.detail])).join('; ');
      return reply.status(400).type('application/problem+json').send(problem(400, 'Bad Request', detail));
    }
    const related = await relatedArticles(deps.es, deps.index, params.value.id, { k: query.value.k });
    if (!related) {
      return reply
        .status(404)
        .type('application/problem+json')
        .send(problem(404, 'Not Found', `no article with id ${params.value.id}`));
    }
    return { id: params.value.id, related };
  });

  app.get('/search', async (request, reply) => {
    const query = parse(searchQuery, request.query);
    if (!query.ok) return reply.status(400).type('application/problem+json').send(problem(400, 'Bad Request', query.detail));
    return searchArticles(deps.es, deps.index, query.value);
  });

  return app;
}
