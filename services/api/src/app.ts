import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { errors } from '@elastic/elasticsearch';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { Histogram } from 'prom-client';
import { createNetworkGuard } from '@gazette/fetch';
import type { AppDeps } from './deps.ts';
import { registerAuth } from './auth.ts';
import { registerSecurityHeaders } from './security-headers.ts';
import { SessionStore } from './session.ts';
import { problem, sendProblem, serverFailure, titleOf } from './problem.ts';
import { componentSchemas, documentationSchemas, replies } from './openapi.ts';
import { healthSchema } from './responses.ts';
import { adminRoutes } from './routes/admin.ts';
import { consoleRoutes } from './routes/console.ts';
import { crawlRoutes } from './routes/crawl.ts';
import { goneLookup, historyRoutes } from './routes/history.ts';
import { operationRoutes } from './routes/operations.ts';
import { queueRoutes } from './routes/queues.ts';
import { readRoutes } from './routes/read.ts';
import { sourceRoutes } from './routes/sources.ts';
import { storyRoutes } from './routes/story.ts';

/**
 * The HTTP API: operators manage sources, schedules, queues, replays,
 * re-parses and re-indexes; readers get articles, related articles and
 * search. OpenAPI at /docs, the queue dashboard at /admin/queues, the console
 * at /console, Prometheus metrics at /metrics.
 */
export type { AppDeps } from './deps.ts';

const FRAMEWORK_ERRORS: Record<string, string> = {
  FST_ERR_BAD_URL: 'the path is not a valid URL (a malformed percent-encoding)',
  FST_ERR_MAX_PARAM_LENGTH: 'a path parameter is longer than 100 characters',
};

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    // Errors the router meets before any route runs (a malformed percent-encoding, a path segment
    // over the router's limit) answer as problem documents too, without echoing the path back.
    frameworkErrors: (error, _request, reply) => {
      const status = error.statusCode ?? 400;
      if (status >= 500) deps.logger.error({ err: error }, 'request failed');
      void sendProblem(reply, status, FRAMEWORK_ERRORS[error.code] ?? error.message);
    },
    // Requests Node.js refuses before Fastify sees them (headers over its limit, a read timeout,
    // bytes that are not HTTP) get a problem document as well, on the raw socket.
    clientErrorHandler: (error: NodeJS.ErrnoException, socket) => {
      if (error.code === 'ECONNRESET' || socket.destroyed) return;
      const [status, detail] =
        error.code === 'HPE_HEADER_OVERFLOW'
          ? [431, 'the request headers (with the URL) are over the size limit']
          : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
            ? [408, 'the request did not arrive in time']
            : [400, 'the request is not valid HTTP'];
      const body = JSON.stringify(problem(status, titleOf(status), detail));
      if (socket.writable) {
        socket.write(
          `HTTP/1.1 ${status} ${titleOf(status)}\r\nContent-Type: application/problem+json\r\n` +
            `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
        );
      }
      socket.destroy(error);
    },
  });

  documentationSchemas(app);
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))));
  });

  app.setErrorHandler((error, _request, reply) => {
    const status = (error as { statusCode?: number }).statusCode;
    // Elasticsearch's own 4xx (an index that is missing) is not the client's mistake.
    if (status && status >= 400 && status < 500 && !(error instanceof errors.ElasticsearchClientError)) {
      void reply
        .status(status)
        .type('application/problem+json')
        .send(problem(status, titleOf(status), (error as Error).message));
      return;
    }
    const { code, detail } = serverFailure(error);
    deps.logger.error({ err: error }, 'request failed');
    void reply
      .status(code)
      .type('application/problem+json')
      .send(problem(code, titleOf(code), detail));
  });
  // The methods each route path answers (HEAD with GET), so a known path asked with another method
  // is a 405 naming them in `Allow`, not a 404 that says the path does not exist.
  const routes: Array<{ pattern: RegExp; methods: string[] }> = [];
  app.addHook('onRoute', (route) => {
    const pattern = new RegExp(
      `^${route.url
        .split(/(:[^/]+|\*)/)
        .map((part) =>
          part === '*' ? '.*' : part.startsWith(':') ? '[^/]+' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'),
        )
        .join('')}$`,
    );
    const methods = [route.method].flat();
    routes.push({ pattern, methods: methods.includes('GET') ? [...methods, 'HEAD'] : methods });
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? request.url;
    const allowed = [...new Set(routes.filter((r) => r.pattern.test(path)).flatMap((r) => r.methods))].sort();
    if (allowed.length > 0) {
      void reply.header('allow', allowed.join(', '));
      return sendProblem(reply, 405, `${request.method} is not allowed here; this path answers ${allowed.join(', ')}`);
    }
    return sendProblem(reply, 404, `no route ${request.method} ${request.url}`);
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Gazette API',
        version: '0.1.0',
        description:
          'Operators: sources and schedules, queues, dead letters and replay, re-parse, re-index (operator token). ' +
          'Readers: articles, related articles, search (read token when one is configured).',
      },
      components: {
        schemas: componentSchemas() as never,
        securitySchemes: {
          operatorToken: { type: 'http', scheme: 'bearer', description: 'API_OPERATOR_TOKEN' },
          readToken: { type: 'http', scheme: 'bearer', description: 'API_READ_TOKEN' },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  await registerSecurityHeaders(app, { tls: deps.auth.secureCookie });
  registerAuth(app, { ...deps.auth, sessions: new SessionStore(deps.redis, deps.context.prefix) });

  const httpDuration = new Histogram({
    name: 'gazette_http_request_seconds',
    help: 'API request duration by route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [deps.registry],
  });
  app.addHook('onResponse', async (request, reply) => {
    httpDuration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unknown', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  const pub = { config: { access: 'public' as const } };
  const check = async () => {
    const [redis, es] = await Promise.all([
      deps.redis.ping().then(
        (r) => r === 'PONG',
        () => false,
      ),
      deps.es.cluster.health({ timeout: '2s' }).then(
        () => true,
        () => false,
      ),
    ]);
    return { ok: redis && es, redis, elasticsearch: es };
  };
  app.get(
    '/healthz',
    {
      ...pub,
      schema: {
        tags: ['ops'],
        summary: 'Redis and Elasticsearch reachability',
        response: replies({ 200: healthSchema, 503: healthSchema }),
      },
    },
    async (_r, reply) => {
      const { ok, ...rest } = await check();
      return reply.status(ok ? 200 : 503).send({ status: ok ? 'ok' : 'degraded', ...rest });
    },
  );
  app.get(
    '/readyz',
    {
      ...pub,
      schema: {
        tags: ['ops'],
        summary: 'Ready to serve: Redis and Elasticsearch answer',
        response: replies({ 200: healthSchema, 503: healthSchema }),
      },
    },
    async (_r, reply) => {
      const { ok, ...rest } = await check();
      return reply.status(ok ? 200 : 503).send({ status: ok ? 'ready' : 'not-ready', ...rest });
    },
  );
  const metricsDoc = {
    tags: ['ops'],
    summary: 'Prometheus metrics',
    produces: ['text/plain'],
    response: { 200: { description: 'Prometheus text exposition format', type: 'string' } },
  };
  app.get('/metrics', { ...pub, schema: metricsDoc }, async (_r, reply) =>
    reply.type(deps.registry.contentType).send(await deps.registry.metrics()),
  );
  app.get('/', { ...pub, schema: { hide: true } }, async (_r, reply) => reply.redirect('/console', 302));

  const { es, redis, crawl, parse, index, logger, context, queues, sources, archive } = deps;
  const guard = deps.crawlGuard ?? createNetworkGuard();
  await app.register(crawlRoutes, { crawl, guard });
  await app.register(historyRoutes, { es, index, context });
  await app.register(readRoutes, { es, index, gone: goneLookup({ context }) });
  await app.register(storyRoutes, { es, index });
  await app.register(sourceRoutes, { sources, guard });
  await app.register(queueRoutes, { context });
  await app.register(operationRoutes, { es, redis, parse, index, logger, context, archive });
  await app.register(consoleRoutes, { es, index, context, sources, redis, signOut: Boolean(deps.auth.operatorToken) });
  await app.register(adminRoutes, { queues });
  return app;
}
