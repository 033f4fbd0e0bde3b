/**
 * Attacks on the api, in-process on the real Redis and Elasticsearch with both tokens set as in
 * production: every operator route without, with the wrong and with the read token; the sign-in
 * flow (open redirects, the session cookie, cross-origin writes); security headers; malformed
 * input; crawl URLs the crawler would refuse; settings that try to inject names.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WarcArchive } from '@gazette/archive';
import { createNetworkGuard } from '@gazette/fetch';
import { createRedis, Producer } from '@gazette/jobs';
import { createLogger } from '@gazette/logger';
import { openQueues } from '@gazette/jobs';
import { SourceRegistry } from '@gazette/sources';
import { createSearchClient } from '@gazette/search';
import { buildApp } from '../../services/api/src/app.ts';
import { loadConfig as loadApiConfig } from '../../services/api/src/config.ts';
import { loadConfig as loadCrawlerConfig } from '../../services/crawler/src/config.ts';

const run = randomBytes(4).toString('hex');
const prefix = `test-security-api-${run}`;
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
let archive: WarcArchive;
let app: FastifyInstance;

const op = { authorization: `Bearer ${operatorToken}` };

beforeAll(async () => {
  archiveDir = await mkdtemp(join(tmpdir(), 'gazette-security-api-'));
  archive = new WarcArchive({ dir: archiveDir });
  app = await buildApp({
    es,
    redis,
    crawl,
    parse,
    index: `security-${run}`,
    logger: createLogger({ name: 'security-api', level: 'silent' }),
    context,
    queues,
    sources,
    archive,
    registry: new Registry(),
    auth: { operatorToken, readToken, secureCookie: true },
    crawlGuard: createNetworkGuard([]),
  });
  await app.ready();
});

afterAll(async () => {
  await app.close();
  await archive.close();
  await Promise.all([crawl.close(), parse.close(), sources.close(), ...Object.values(queues).map((q) => q.close())]);
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
  await es.close();
  await rm(archiveDir, { recursive: true, force: true });
});

const crawlJobs = async () =>
  (await queues.crawl.getJobCounts('waiting', 'delayed', 'active')) as Record<string, number>;
const queued = async () => Object.values(await crawlJobs()).reduce((a, b) => a + b, 0);

/** Every operator route, with a body where it takes one. */
const OPERATOR_ROUTES: Array<[string, string, unknown?]> = [
  ['POST', '/crawl', { urls: ['https://example.org/'] }],
  ['GET', '/sources'],
  ['POST', '/sources', { source: { id: 'x', name: 'x', seeds: ['https://example.org/'] } }],
  ['GET', '/sources/x'],
  ['PATCH', '/sources/x', { paused: true }],
  ['DELETE', '/sources/x'],
  ['POST', '/sources/x/pause', {}],
  ['POST', '/sources/x/resume', {}],
  ['POST', '/sources/x/run', {}],
  ['GET', '/sources/x/runs'],
  ['GET', '/queues'],
  ['GET', '/queues/crawl/failed'],
  ['POST', '/queues/crawl/replay', { dryRun: true }],
  ['POST', '/reparse', {}],
  ['POST', '/reindex', {}],
  ['GET', '/operations/abc'],
  ['GET', '/console'],
  ['GET', '/console/app.js'],
  ['GET', '/console/summary'],
  ['GET', '/admin/queues'],
  ['GET', '/admin/queues/api/queues'],
  ['PUT', '/admin/queues/api/queues/crawl/clean/failed'],
];

describe('auth matrix of every operator route', () => {
  it.each(OPERATOR_ROUTES)(
    '%s %s: 401 without a token, 403 with the read or a wrong token, token in the query refused',
    async (method, url, body) => {
      const before = await queued();
      const send = (headers: Record<string, string>, path = url) =>
        app.inject({
          method: method as 'GET',
          url: path,
          headers,
          ...(body === undefined ? {} : { payload: body as object }),
        });
      expect((await send({})).statusCode).toBe(401);
      expect((await send({ authorization: `Bearer ${readToken}` })).statusCode).toBe(403);
      expect((await send({ authorization: `Bearer ${operatorToken}x` })).statusCode).toBe(403);
      expect(
        (await send({ authorization: `Basic ${Buffer.from(`op:${operatorToken}`).toString('base64')}` })).statusCode,
      ).toBe(403);
      const sep = url.includes('?') ? '&' : '?';
      for (const name of ['token', 'access_token', 'api_key']) {
        expect((await send({}, `${url}${sep}${name}=${operatorToken}`)).statusCode).toBe(401);
      }
      // The old cookie that carried the token itself opens nothing.
      expect((await send({ cookie: `gazette_token=${operatorToken}` })).statusCode).toBe(401);
      expect(await queued()).toBe(before);
    },
  );
});

describe('sign-in', () => {
  const login = (next: string, token = operatorToken) =>
    app.inject({
      method: 'POST',
      url: '/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ token, next }).toString(),
    });

  it.each([
    '/\\evil.example/x',
    '/\t/evil.example',
    '/\n/evil.example',
    '//evil.example/x',
    '/\\/evil.example',
    'https://evil.example/',
    'javascript:alert(1)',
    '/%2F%2Fevil.example',
    ' /console',
  ])('never redirects off-site after signing in (next=%j)', async (next) => {
    const res = await login(next);
    expect(res.statusCode).toBe(303);
    const location = String(res.headers.location);
    expect(new URL(location, 'https://gazette.test').origin).toBe('https://gazette.test');
    expect(location).not.toMatch(/\\|^\/\/|\s/);
  });

  it('keeps a same-site next path', async () => {
    expect((await login('/sources?x=1')).headers.location).toBe('/sources?x=1');
  });

  it('sets a session cookie that is not the token, works, and is revoked by signing out', async () => {
    const res = await login('/console');
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).not.toContain(operatorToken);
    expect(setCookie).not.toContain(encodeURIComponent(operatorToken));
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).toMatch(/Secure/);
    const cookie = setCookie.split(';')[0]!;
    expect((await app.inject({ url: '/console/summary', headers: { cookie } })).statusCode).toBe(200);
    await app.inject({ method: 'POST', url: '/logout', headers: { cookie } });
    expect((await app.inject({ url: '/console/summary', headers: { cookie } })).statusCode).toBe(401);
  });

  it('refuses a wrong token with 401 and sets no cookie', async () => {
    const res = await login('/console', 'not-the-operator-token');
    expect(res.statusCode).toBe(401);
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('answers client mistakes in cookies and origins with 4xx, never 5xx', async () => {
    const cookie = String((await login('/console')).headers['set-cookie']).split(';')[0]!;
    const write = (headers: Record<string, string>) =>
      app.inject({
        method: 'POST',
        url: '/sources/x/pause',
        headers: { 'content-type': 'application/json', ...headers },
        payload: {},
      });
    expect((await write({ cookie, origin: 'null' })).statusCode).toBe(403);
    expect((await write({ cookie, origin: 'not a url' })).statusCode).toBe(403);
    expect((await write({ cookie, origin: 'https://evil.example' })).statusCode).toBe(403);
    for (const bad of [
      'gazette_session=%E0%A4%A',
      'gazette_session=',
      'gazette_session',
      `gazette_session=${'a'.repeat(5000)}`,
    ]) {
      const res = await app.inject({ url: '/console/summary', headers: { cookie: bad } });
      expect(res.statusCode, bad).toBe(401);
    }
  });
});

describe('security headers', () => {
  it.each(['/login', '/console', '/admin/queues', '/docs/static/index.html'])(
    '%s is served with a strict policy',
    async (url) => {
      const res = await app.inject({ url, headers: op });
      expect(res.statusCode).toBeLessThan(400);
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("object-src 'none'");
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['strict-transport-security']).toContain('max-age=');
    },
  );

  it('the console runs no inline script', async () => {
    const html = (await app.inject({ url: '/console', headers: op })).body;
    expect(html).not.toMatch(/<script>(?!<\/script>)/);
    expect(html).toContain('<script src="/console/app.js"');
  });
});

describe('malformed bodies', () => {
  it('answers 400, 413 and 415, never 5xx, and queues nothing', async () => {
    const before = await queued();
    const post = (payload: string, type = 'application/json') =>
      app.inject({ method: 'POST', url: '/crawl', headers: { ...op, 'content-type': type }, payload });
    expect((await post('{"urls": [')).statusCode).toBe(400);
    expect((await post('{"urls": "https://example.org/"}')).statusCode).toBe(400);
    expect((await post('{"urls": ["https://example.org/"], "__proto__": {"x": 1}}')).statusCode).toBe(400);
    expect((await post('['.repeat(10_000) + ']'.repeat(10_000))).statusCode).toBe(400);
    expect((await post(`{"urls": ["https://example.org/${'a'.repeat(2 * 1024 * 1024)}"]}`)).statusCode).toBe(413);
    expect((await post('urls=x', 'text/plain')).statusCode).toBe(400);
    expect((await post('<urls/>', 'application/xml')).statusCode).toBe(415);
    expect(await queued()).toBe(before);
  });
});

describe('URLs the crawler would refuse', () => {
  it.each([
    'file:///etc/passwd',
    'javascript:alert(1)',
    'gopher://127.0.0.1:70/_x',
    'ftp://example.org/',
    'http://127.0.0.1/',
    'http://2130706433/',
    'http://[::1]/',
    'http://[::ffff:0:a9fe:a9fe]/',
    'http://169.254.169.254/latest/meta-data/',
    'http://user:pw@example.org/',
  ])('POST /crawl refuses %s with 400 and queues nothing', async (url) => {
    const before = await queued();
    const res = await app.inject({ method: 'POST', url: '/crawl', headers: op, payload: { urls: [url] } });
    expect(res.statusCode).toBe(400);
    expect((res.json() as { detail: string }).detail).toMatch(/urls\.0: (bad-url|blocked-address)|urls\.0/);
    expect(await queued()).toBe(before);
  });

  it('POST /sources refuses a seed, feed or sitemap on a blocked address with 400', async () => {
    for (const field of ['seeds', 'feeds', 'sitemaps']) {
      const res = await app.inject({
        method: 'POST',
        url: '/sources',
        headers: op,
        payload: {
          source: { id: `bad-${field}`, name: 'x', seeds: ['https://example.org/'], [field]: ['http://10.0.0.1/'] },
        },
      });
      expect(res.statusCode, field).toBe(400);
      expect((res.json() as { detail: string }).detail).toContain(`source.${field}`);
    }
    expect((await app.inject({ url: '/sources', headers: op })).json()).toEqual({ sources: [] });
  });
});

describe('query syntax abuse', () => {
  it.each(['_id:*', 'url:*', '_exists_:signature', 'canonicalUrl:http*', '*:*'])(
    'GET /search?q=%s is a 400 on q',
    async (q) => {
      const res = await app.inject({ url: `/search?q=${encodeURIComponent(q)}`, headers: op });
      expect(res.statusCode).toBe(400);
      expect((res.json() as { detail: string }).detail).toMatch(/^q: /);
    },
  );

  it('attributes a page window past 10,000 to from', async () => {
    const res = await app.inject({ url: '/search?q=x&from=9999&size=10', headers: op });
    expect(res.statusCode).toBe(400);
    expect((res.json() as { detail: string }).detail).toMatch(/^from: /);
  });
});

describe('settings that try to inject names', () => {
  it.each(['*', '_all', 'a,b', 'gazette/../x', 'Gazette', '-x', 'a b'])('refuses ES_INDEX=%j', (value) => {
    expect(() => loadApiConfig({ ES_INDEX: value })).toThrow(/ES_INDEX/);
  });

  it.each(['a b', '{x', 'x}{', '{}', 'a\nb', 'x*', 'a/b'])('refuses QUEUE_PREFIX=%j', (value) => {
    expect(() => loadApiConfig({ QUEUE_PREFIX: value })).toThrow(/QUEUE_PREFIX/);
    expect(() => loadCrawlerConfig({ QUEUE_PREFIX: value })).toThrow(/QUEUE_PREFIX/);
  });

  it.each(['10.0.0.0/abc', '10.0.0.0/33', 'bad host', '::1/200'])(
    'refuses CRAWLER_ALLOW_HOSTS=%j with a clear message',
    (value) => {
      for (const load of [loadCrawlerConfig, loadApiConfig]) {
        let error: unknown;
        try {
          load({ CRAWLER_ALLOW_HOSTS: `127.0.0.1,${value}` });
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(Error);
        expect((error as Error).name).toBe('ConfigError');
        expect((error as Error).message).toContain(`CRAWLER_ALLOW_HOSTS: ${value}`);
      }
    },
  );
});
