/**
 * The api in-process on the real Redis and Elasticsearch: token checks,
 * input validation, sources and schedules, queue routes.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WarcArchive } from '@gazette/archive';
import { Producer, createRedis } from '@gazette/jobs';
import { createLogger } from '@gazette/logger';
import { SourceRegistry } from '@gazette/sources';
import { openQueues } from '@gazette/jobs';
import { createSearchClient } from '@gazette/search';
import { connect } from 'node:net';
import { buildApp } from './app.ts';
import { loadConfig } from './config.ts';

const run = randomBytes(4).toString('hex');
const prefix = `api-test-${run}`;
const operatorToken = `operator-${run}-0123456789`;
const readToken = `reader-${run}-0123456789`;
const redis = createRedis(process.env.REDIS_URL!);
const es = createSearchClient({ url: process.env.ELASTICSEARCH_URL! });
const context = { connection: redis, prefix };
const queues = openQueues(context);
const sources = new SourceRegistry(context);
const crawl = new Producer('crawl', context);
const parse = new Producer('parse', context);
let archiveDir: string;
let app: FastifyInstance;

const op = { authorization: `Bearer ${operatorToken}` };

beforeAll(async () => {
  archiveDir = await mkdtemp(join(tmpdir(), 'gazette-api-test-'));
  app = await buildApp({
    es,
    redis,
    crawl,
    parse,
    index: `api-test-${run}`,
    logger: createLogger({ name: 'api-test', level: 'silent' }),
    context,
    queues,
    sources,
    archive: new WarcArchive({ dir: archiveDir }),
    registry: new Registry(),
    auth: { operatorToken, readToken, secureCookie: false },
  });
  await app.ready();
});

afterAll(async () => {
  await app.close();
  await Promise.all([crawl.close(), parse.close(), sources.close(), ...Object.values(queues).map((q) => q.close())]);
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
  await es.close();
  await rm(archiveDir, { recursive: true, force: true });
});

describe('configuration', () => {
  it('refuses to start in production without an operator token', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /API_OPERATOR_TOKEN: is required when NODE_ENV=production/,
    );
    expect(loadConfig({ NODE_ENV: 'production', API_OPERATOR_TOKEN: operatorToken }).API_OPERATOR_TOKEN).toBe(
      operatorToken,
    );
    expect(() => loadConfig({ API_OPERATOR_TOKEN: 'short' })).toThrow(/at least 16 characters/);
  });
});

describe('tokens', () => {
  it('rejects operator routes without a token (401) or with a wrong one (403), as problem documents', async () => {
    for (const [method, url] of [
      ['GET', '/sources'],
      ['POST', '/crawl'],
      ['GET', '/queues'],
      ['POST', '/queues/crawl/replay'],
      ['POST', '/reindex'],
      ['GET', '/console/summary'],
    ] as const) {
      const missing = await app.inject({ method, url, payload: {} });
      expect(missing.statusCode, `${method} ${url}`).toBe(401);
      expect(missing.headers['content-type']).toContain('application/problem+json');
      expect(missing.json().detail).toContain('operator token');
      const wrong = await app.inject({
        method,
        url,
        payload: {},
        headers: { authorization: 'Bearer not-the-token-at-all' },
      });
      expect(wrong.statusCode, `${method} ${url}`).toBe(403);
      // The read token is not enough for operator routes.
      const reader = await app.inject({ method, url, payload: {}, headers: { authorization: `Bearer ${readToken}` } });
      expect(reader.statusCode, `${method} ${url}`).toBe(403);
    }
  });

  it('lets read routes through with the read or the operator token only', async () => {
    expect((await app.inject({ url: '/search?q=x' })).statusCode).toBe(401);
    expect(
      (await app.inject({ url: '/search?q=x', headers: { authorization: 'Bearer wrong-wrong-wrong-wrong' } }))
        .statusCode,
    ).toBe(403);
    const bad = await app.inject({ url: '/search', headers: { authorization: `Bearer ${readToken}` } });
    expect(bad.statusCode).toBe(400);
    const missing = await app.inject({ url: `/articles/${'0'.repeat(32)}`, headers: op });
    expect([404, 503]).toContain(missing.statusCode);
  });

  it('keeps health, metrics and docs open', async () => {
    expect((await app.inject({ url: '/healthz' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/readyz' })).statusCode).toBe(200);
    const metrics = await app.inject({ url: '/metrics' });
    expect(metrics.body).toContain('gazette_http_request_seconds');
    const doc = (await app.inject({ url: '/docs/json' })).json() as { paths: Record<string, unknown> };
    for (const path of [
      '/sources',
      '/sources/{id}',
      '/queues/{queue}/replay',
      '/reparse',
      '/reindex',
      '/crawl',
      '/search',
    ]) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
  });

  it('sends a browser to the login page, and the cookie it sets opens the console and the queue dashboard', async () => {
    const page = await app.inject({ url: '/admin/queues', headers: { accept: 'text/html' } });
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toBe('/login?next=%2Fadmin%2Fqueues');
    const refused = await app.inject({
      method: 'POST',
      url: '/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'token=wrong&next=%2Fconsole',
    });
    expect(refused.statusCode).toBe(401);
    const login = await app.inject({
      method: 'POST',
      url: '/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `token=${operatorToken}&next=%2Fadmin%2Fqueues`,
    });
    expect(login.statusCode).toBe(303);
    expect(login.headers.location).toBe('/admin/queues');
    const cookie = String(login.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const headers = { cookie: cookie.split(';')[0]!, accept: 'text/html' };
    expect((await app.inject({ url: '/admin/queues', headers })).statusCode).toBe(200);
    expect((await app.inject({ url: '/console', headers })).body).toContain('Gazette console');
    // Cookie writes from another origin are refused.
    const crossSite = await app.inject({
      method: 'POST',
      url: '/crawl',
      headers: { cookie: headers.cookie, origin: 'https://evil.example', 'content-type': 'application/json' },
      payload: { urls: ['https://example.com/'] },
    });
    expect(crossSite.statusCode).toBe(403);
  });
});

describe('sources and schedules', () => {
  it('validates input and says what was wrong', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/sources',
      headers: op,
      payload: {
        source: { id: 'Bad Id', name: 'x', seeds: ['ftp://x'] },
        schedule: { cron: 'every day', tz: 'Mars/Base' },
      },
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const { detail } = res.json() as { detail: string };
    expect(detail).toContain('source.id');
    expect(detail).toContain('source.seeds.0');
    expect(detail).toContain('schedule.cron: not a valid cron expression');
    expect(detail).toContain('schedule.tz: not a known IANA time zone');
    const both = await app.inject({
      method: 'POST',
      url: '/sources',
      headers: op,
      payload: { source: { id: 'x', name: 'x' }, schedule: { cron: '* * * * *', everyMs: 60_000 } },
    });
    expect(both.json().detail).toContain('exactly one of cron and everyMs');
    const notJson = await app.inject({
      method: 'POST',
      url: '/sources',
      headers: { ...op, 'content-type': 'application/json' },
      payload: '{"source":',
    });
    expect(notJson.statusCode).toBe(400);
    expect(notJson.headers['content-type']).toContain('application/problem+json');
    const badQueue = await app.inject({ url: '/queues/nope/failed', headers: op });
    expect(badQueue.statusCode).toBe(400);
    expect(badQueue.json().detail).toContain('queue is one of');
    const badSince = await app.inject({ url: '/queues/crawl/failed?since=yesterday', headers: op });
    expect(badSince.json().detail).toContain('since');
  });

  it('creates, lists, updates, pauses, runs and deletes a source with its job scheduler', async () => {
    const created = await app.inject({
      method: 'POST',
      url: '/sources',
      headers: op,
      payload: {
        source: { id: 'daily-news', name: 'Daily News', seeds: ['https://news.example/'] },
        schedule: { cron: '0 6 * * *', tz: 'Asia/Karachi' },
      },
    });
    expect(created.statusCode).toBe(201);
    // 06:00 in Karachi is 01:00 UTC.
    expect(created.json().nextRunAt).toMatch(/T01:00:00.000Z$/);
    expect(
      (await app.inject({ method: 'POST', url: '/sources', headers: op, payload: created.json() })).statusCode,
    ).toBe(400);
    const duplicate = await app.inject({
      method: 'POST',
      url: '/sources',
      headers: op,
      payload: { source: { id: 'daily-news', name: 'Again' } },
    });
    expect(duplicate.statusCode).toBe(409);

    const scheduler = await queues.schedule.getJobScheduler('source-daily-news');
    expect(scheduler).toMatchObject({ pattern: '0 6 * * *', tz: 'Asia/Karachi' });

    const list = (await app.inject({ url: '/sources', headers: op })).json() as {
      sources: Array<{ source: { id: string } }>;
    };
    expect(list.sources.map((s) => s.source.id)).toContain('daily-news');

    const patched = await app.inject({
      method: 'PATCH',
      url: '/sources/daily-news',
      headers: op,
      payload: { source: { maxDepth: 1 }, schedule: { everyMs: 3_600_000 } },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({
      source: { maxDepth: 1, name: 'Daily News' },
      schedule: { everyMs: 3_600_000 },
    });
    expect(await queues.schedule.getJobScheduler('source-daily-news')).toMatchObject({ every: 3_600_000 });

    expect((await app.inject({ method: 'POST', url: '/sources/daily-news/pause', headers: op })).json().paused).toBe(
      true,
    );
    expect(await queues.schedule.getJobScheduler('source-daily-news')).toBeUndefined();
    expect((await app.inject({ method: 'POST', url: '/sources/daily-news/resume', headers: op })).json().paused).toBe(
      false,
    );
    expect(await queues.schedule.getJobScheduler('source-daily-news')).toBeDefined();

    const runNow = await app.inject({ method: 'POST', url: '/sources/daily-news/run', headers: op });
    expect(runNow.statusCode).toBe(202);
    const job = await queues.schedule.getJob(runNow.json().jobId as string);
    expect(job?.data).toEqual({ sourceId: 'daily-news', manual: true });
    expect(runNow.json().alreadyQueued).toBe(false);

    // A double click while that run waits: the same run back, nothing more queued. A forced run is another run.
    const manualJobs = async () =>
      (await queues.schedule.getJobs(['waiting', 'active', 'delayed', 'prioritized'])).filter(
        (j) => j.data.sourceId === 'daily-news' && j.data.manual === true,
      );
    const again = await Promise.all(
      [1, 2, 3].map(() => app.inject({ method: 'POST', url: '/sources/daily-news/run', headers: op })),
    );
    for (const res of again) {
      expect(res.statusCode).toBe(202);
      expect(res.json()).toEqual({ ...runNow.json(), alreadyQueued: true });
    }
    expect((await manualJobs()).map((j) => j.id)).toEqual([runNow.json().jobId]);
    const forced = await app.inject({
      method: 'POST',
      url: '/sources/daily-news/run',
      headers: op,
      payload: { force: true },
    });
    expect(forced.json()).toMatchObject({ alreadyQueued: false });
    expect(forced.json().runId).not.toBe(runNow.json().runId);
    expect(await manualJobs()).toHaveLength(2);
    // Once the queued run's job has finished (here: removed), "run now" queues a new run.
    await job!.remove();
    const later = (await app.inject({ method: 'POST', url: '/sources/daily-news/run', headers: op })).json();
    expect(later.alreadyQueued).toBe(false);
    expect(later.runId).not.toBe(runNow.json().runId);

    expect((await app.inject({ method: 'DELETE', url: '/sources/daily-news', headers: op })).statusCode).toBe(204);
    expect((await app.inject({ method: 'DELETE', url: '/sources/daily-news', headers: op })).statusCode).toBe(404);
    expect((await app.inject({ url: '/sources/daily-news', headers: op })).statusCode).toBe(404);
    expect(await queues.schedule.getJobScheduler('source-daily-news')).toBeUndefined();
  });

  it('reports queue statistics and lists failed jobs with their reason', async () => {
    const stats = (await app.inject({ url: '/queues', headers: op })).json() as { queues: Array<{ queue: string }> };
    expect(stats.queues.map((q) => q.queue)).toEqual(['crawl', 'parse', 'index', 'schedule', 'render', 'retire']);
    const failed = await app.inject({ url: '/queues/crawl/failed?reason=http-*&limit=5', headers: op });
    expect(failed.statusCode).toBe(200);
    expect(failed.json()).toEqual({ queue: 'crawl', jobs: [] });
  });
});

describe('crawl with rendering', () => {
  it('carries the render mode in the crawl scope and refuses an unknown one', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/crawl',
      headers: op,
      payload: { urls: ['https://example.com/app/'], render: 'auto', scope: { maxDepth: 1 } },
    });
    expect(res.statusCode).toBe(202);
    const [jobId] = (res.json() as { jobIds: string[] }).jobIds;
    const job = await queues.crawl.getJob(jobId!);
    expect(job?.data.scope).toMatchObject({ render: 'auto', maxDepth: 1 });
    const bad = await app.inject({
      method: 'POST',
      url: '/crawl',
      headers: op,
      payload: { urls: ['https://example.com/'], render: 'sometimes' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().detail).toContain('render');
  });
});

describe('before the articles index exists', () => {
  it('answers the read routes with a 503 that says so, not a 404 carrying Elasticsearch’s exception', async () => {
    // No indexer has created this app's index.
    const id = '0123456789abcdef0123456789abcdef';
    for (const url of [
      '/search?q=harbour',
      `/articles/${id}`,
      `/articles/${id}/related`,
      `/articles/${id}/story`,
      `/articles/${id}/duplicates`,
    ]) {
      const res = await app.inject({ url, headers: op });
      expect(res.statusCode, url).toBe(503);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json().detail, url).toMatch(/^the articles index does not exist yet/);
      expect(res.body, url).not.toMatch(/exception|api-test-/);
    }
  });
});

describe('client mistakes the router and the schemas catch', () => {
  it('answers a known path asked with the wrong method with a 405 naming the methods it takes', async () => {
    for (const [method, url, allow] of [
      ['DELETE', '/search?q=x', 'GET, HEAD'],
      ['POST', '/articles/0123456789abcdef0123456789abcdef', 'GET, HEAD'],
      ['PUT', '/sources/daily/run', 'POST'],
      ['GET', '/sources/daily/run', 'POST'],
      ['PUT', '/sources/daily', 'DELETE, GET, HEAD, PATCH'],
    ] as const) {
      const res = await app.inject({ method, url, headers: op });
      expect(res.statusCode, `${method} ${url}`).toBe(405);
      expect(res.headers.allow, `${method} ${url}`).toBe(allow);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json().detail).toBe(`${method} is not allowed here; this path answers ${allow}`);
    }
    // A path no route has stays a 404.
    const missing = await app.inject({ method: 'DELETE', url: '/nowhere', headers: op });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers.allow).toBeUndefined();
  });

  const read = { authorization: `Bearer ${readToken}` };
  const id = '0123456789abcdef0123456789abcdef';

  it('refuses a time range that ends before it starts, and a day the calendar does not have', async () => {
    for (const url of [
      `/articles/${id}/related?since=2026-06-01&until=2026-01-01`,
      '/search?q=harbour&since=2026-06-01&until=2026-01-01',
    ]) {
      const res = await app.inject({ url, headers: read });
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().detail).toContain('since: 2026-06-01T00:00:00.000Z is after until (2026-01-01T00:00:00.000Z)');
    }
    const reparse = await app.inject({
      method: 'POST',
      url: '/reparse',
      headers: op,
      payload: { since: '1d', until: '2d' },
    });
    expect(reparse.statusCode).toBe(400);
    expect(reparse.json().detail).toContain('is after until');
    const leap = await app.inject({ url: '/search?q=harbour&until=2026-02-29', headers: read });
    expect(leap.statusCode).toBe(400);
    expect(leap.json().detail).toContain('until: "2026-02-29" names a day that does not exist');
    const ancient = await app.inject({ url: '/search?q=harbour&since=9999999d', headers: read });
    expect(ancient.statusCode).toBe(400);
    expect(ancient.json().detail).toContain('since: "9999999d" reaches back before the year 1');
  });

  it('refuses a crawl whose link rules do not compile, before any job is queued', async () => {
    const before = await queues.crawl.count();
    const res = await app.inject({
      method: 'POST',
      url: '/crawl',
      headers: op,
      payload: { urls: ['https://example.com/'], scope: { maxDepth: 1, allow: ['(unclosed'], deny: ['[z-a]'] } },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().detail).toContain('scope.allow.0: not a valid regular expression');
    expect(res.json().detail).toContain('scope.deny.0: not a valid regular expression');
    expect(await queues.crawl.count()).toBe(before);
  });

  it('answers the router’s own refusals as problem documents without echoing the path', async () => {
    const long = await app.inject({ url: `/articles/${'x'.repeat(5_000)}`, headers: read });
    expect(long.statusCode).toBe(414);
    expect(long.headers['content-type']).toContain('application/problem+json');
    expect(long.json()).toMatchObject({ status: 414, detail: 'a path parameter is longer than 100 characters' });
    expect(long.body.length).toBeLessThan(300);
    const badEncoding = await app.inject({ url: '/articles/%E0%A4%A', headers: read });
    expect(badEncoding.statusCode).toBe(400);
    expect(badEncoding.headers['content-type']).toContain('application/problem+json');
    expect(badEncoding.json().detail).toContain('malformed percent-encoding');
  });

  it('answers what Node.js refuses before routing (oversized headers, bytes that are not HTTP) as problem documents', async () => {
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = new URL(address);
    const raw = (request: string) =>
      new Promise<string>((resolve, reject) => {
        const socket = connect({ host: '127.0.0.1', port: Number(port) }, () => socket.end(request));
        let answer = '';
        socket.on('data', (chunk) => (answer += chunk.toString()));
        socket.on('close', () => resolve(answer));
        socket.on('error', reject);
      });
    const oversized = await raw(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(oversized).toMatch(/^HTTP\/1.1 431 Request Header Fields Too Large\r\n/);
    expect(oversized).toContain('Content-Type: application/problem+json');
    expect(JSON.parse(oversized.slice(oversized.indexOf('\r\n\r\n') + 4))).toEqual({
      type: 'about:blank',
      title: 'Request Header Fields Too Large',
      status: 431,
      detail: 'the request headers (with the URL) are over the size limit',
    });
    const garbage = await raw('HELLO THERE\r\n\r\n');
    expect(garbage).toMatch(/^HTTP\/1.1 400 Bad Request\r\n/);
    expect(JSON.parse(garbage.slice(garbage.indexOf('\r\n\r\n') + 4))).toMatchObject({ status: 400 });
  });
});
