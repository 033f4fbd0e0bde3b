/**
 * The api's contract, on the real Redis and Elasticsearch: every route in the OpenAPI document has
 * request and response schemas, and every route is called (successes and client mistakes alike)
 * with each response checked against the document with a JSON Schema validator.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WarcArchive } from '@gazette/archive';
import { articleIdFor, articleRecordSchema } from '@gazette/article';
import { waitFor } from '@gazette/devstack';
import { Producer, createRedis, openQueues, scanKeys, unlinkKeys } from '@gazette/jobs';
import { ArticleHistory } from '@gazette/pipeline';
import { lockReindex } from '@gazette/batch';
import { createLogger } from '@gazette/logger';
import { SourceRegistry } from '@gazette/sources';
import { BulkWriter, createSearchClient, dropArticleIndices, ensureArticleIndex } from '@gazette/search';
import { buildApp } from './app.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const run = randomBytes(4).toString('hex');
const prefix = `api-contract-${run}`;
const alias = `api-contract-${run}`;
const token = `operator-${run}-0123456789`;
const redis = createRedis(process.env.REDIS_URL!);
const es = createSearchClient({ url: process.env.ELASTICSEARCH_URL! });
const context = { connection: redis, prefix };
const queues = openQueues(context);
const sources = new SourceRegistry(context);
const crawl = new Producer('crawl', context);
const parse = new Producer('parse', context);
const headers = { authorization: `Bearer ${token}` };
let archiveDir: string;
let app: FastifyInstance;

interface Operation {
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
  parameters?: unknown[];
  requestBody?: unknown;
}
let paths: Record<string, Record<string, Operation>>;
let schemas: Record<string, unknown>;
const ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
const validators = new Map<string, ValidateFunction>();
/** `GET /sources/{id}` → status codes it answered with, each checked against the document. */
const answered = new Map<string, Set<number>>();

function record(n: number) {
  const url = `https://wire.example/contract-${run}-${n}`;
  return articleRecordSchema.parse({
    schemaVersion: 1,
    id: articleIdFor(url),
    url,
    canonicalUrl: url,
    site: 'wire.example',
    siteName: 'Wire',
    title: `Harbour lighthouse keepers report ${n}`,
    description: null,
    authors: ['A. Keeper'],
    publishedAt: `2026-11-2${n}T08:00:00.000Z`,
    modifiedAt: null,
    language: 'en',
    section: null,
    tags: [],
    leadImage: null,
    body: `The harbour lighthouse keepers report ${n} counted ships passing the breakwater at dawn.`,
    wordCount: 13,
    relatedLinks: [],
    outLinks: [],
    contentHash: randomBytes(32).toString('hex'),
    simhash: randomBytes(8).toString('hex'),
    fetchedAt: '2026-11-28T09:00:00.000Z',
    parserVersion: 'contract-1',
  });
}
const articles = [record(1), record(2)];

/**
 * Calls a route and checks the answer against the document: the status is one the operation
 * lists, and the body matches that status's schema.
 */
async function call(method: string, template: string, url: string, payload?: unknown) {
  const response = await app.inject({
    method: method as 'GET',
    url,
    headers,
    ...(payload !== undefined ? { payload: payload as object } : {}),
  });
  const key = `${method} ${template}`;
  const operation = paths[template]?.[method.toLowerCase()];
  expect(operation, `${key} is in the OpenAPI document`).toBeDefined();
  const documented = operation!.responses[String(response.statusCode)];
  expect(documented, `${key} answered ${response.statusCode}: ${response.body.slice(0, 300)}`).toBeDefined();
  const [type, media] = Object.entries(documented!.content ?? {})[0] ?? [];
  if (media?.schema) {
    const id = `${key} ${response.statusCode}`;
    let validate = validators.get(id);
    if (!validate) {
      // References to shared shapes (`#/components/schemas/...`) resolve against the document's components.
      validate = ajv.compile({ ...(media.schema as object), components: { schemas } });
      validators.set(id, validate);
    }
    const body: unknown = type === 'application/json' && response.body !== '' ? response.json() : response.body;
    expect(validate(body), `${id}: ${ajv.errorsText(validate.errors)}`).toBe(true);
  } else {
    expect(response.body, `${key} ${response.statusCode} has no body`).toBe('');
  }
  answered.set(key, (answered.get(key) ?? new Set()).add(response.statusCode));
  return response;
}

beforeAll(async () => {
  archiveDir = await mkdtemp(join(tmpdir(), 'gazette-api-contract-'));
  await ensureArticleIndex(es, alias);
  const writer = new BulkWriter({ client: es, index: alias, flushIntervalMs: 10 });
  await Promise.all(articles.map((a) => writer.write(a)));
  await writer.close();
  await es.indices.refresh({ index: alias });
  app = await buildApp({
    es,
    redis,
    crawl,
    parse,
    index: alias,
    logger: createLogger({ name: 'api-contract', level: 'silent' }),
    context,
    queues,
    sources,
    archive: new WarcArchive({ dir: archiveDir }),
    registry: new Registry(),
    auth: { operatorToken: token, readToken: undefined, secureCookie: false },
  });
  await app.ready();
  const document = (await app.inject({ url: '/docs/json' })).json<{
    paths: typeof paths;
    components: { schemas: typeof schemas };
  }>();
  paths = document.paths;
  schemas = document.components.schemas;
});

afterAll(async () => {
  await app?.close();
  await Promise.all([crawl.close(), parse.close(), sources.close(), ...Object.values(queues).map((q) => q.close())]);
  await scanKeys(redis, `${prefix}:*`, (keys) => unlinkKeys(redis, keys).then(() => undefined));
  await redis.quit();
  await dropArticleIndices(es, alias).catch(() => undefined);
  await es.close();
  await rm(archiveDir, { recursive: true, force: true });
});

describe('the OpenAPI contract', () => {
  it('documents parameters and response schemas of every route', () => {
    const operations = Object.entries(paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, op })),
    );
    expect(operations.length).toBeGreaterThan(20);
    for (const { key, op } of operations) {
      const success = Object.keys(op.responses).filter((code) => code.startsWith('2'));
      expect(success, `${key} has a success response`).not.toHaveLength(0);
      expect(op.responses.default, `${key} has no undocumented default`).toBeUndefined();
      if (key.includes('{')) expect(op.parameters?.length, `${key} documents its path parameters`).toBeGreaterThan(0);
    }
    expect(paths['/search']?.get?.parameters?.length).toBeGreaterThan(10);
  });

  it('names the shared shapes once under components.schemas and refers to them from the routes', () => {
    expect(Object.keys(schemas)).toEqual(
      expect.arrayContaining(['Problem', 'Article', 'ArticleSummary', 'SearchResult', 'Run', 'RunTotals', 'Source']),
    );
    const schemaOf = (path: string, method: string, status: string) =>
      JSON.stringify(Object.values(paths[path]?.[method]?.responses[status]?.content ?? {})[0]?.schema);
    expect(schemaOf('/articles/{id}', 'get', '200')).toContain('"$ref":"#/components/schemas/Article"');
    expect(schemaOf('/articles/{id}/related', 'get', '200')).toContain('"$ref":"#/components/schemas/ArticleSummary"');
    expect(schemaOf('/search', 'get', '200')).toBe(JSON.stringify({ $ref: '#/components/schemas/SearchResult' }));
    expect(schemaOf('/search', 'get', '400')).toBe(JSON.stringify({ $ref: '#/components/schemas/Problem' }));
    expect(schemaOf('/sources/{id}/runs', 'get', '200')).toContain('"$ref":"#/components/schemas/Run"');
    expect(JSON.stringify(schemas['SearchResult'])).toContain('"$ref":"#/components/schemas/ArticleSummary"');
    // Every reference in the document points at a component that exists.
    const refs = [...JSON.stringify({ paths, schemas }).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)];
    expect(refs.length).toBeGreaterThan(30);
    for (const [, id] of refs) expect(schemas, id).toHaveProperty(id!);
  });

  it("answers every route as its document says, and every route's success was seen", async () => {
    const [a, b] = articles.map((x) => x.id) as [string, string];
    await call('GET', '/healthz', '/healthz');
    await call('GET', '/readyz', '/readyz');
    await call('GET', '/metrics', '/metrics');

    // Sources and runs.
    const source = { id: 'contract', name: 'Contract', seeds: ['https://wire.example/'] };
    expect((await call('POST', '/sources', '/sources', { source, schedule: null })).statusCode).toBe(201);
    expect((await call('POST', '/sources', '/sources', { source })).statusCode).toBe(409);
    expect((await call('POST', '/sources', '/sources', { source: { id: 'Bad Id' } })).statusCode).toBe(400);
    await call('GET', '/sources', '/sources');
    await call('GET', '/sources/{id}', '/sources/contract');
    expect((await call('GET', '/sources/{id}', '/sources/nope')).statusCode).toBe(404);
    await sources.store.recordRun({
      runId: 'contract-run',
      sourceId: 'contract',
      trigger: 'manual',
      startedAt: new Date().toISOString(),
      discoveredAt: new Date().toISOString(),
      discovered: 1,
      queued: 1,
    });
    await sources.tally.open('contract-run', ['crawl:x'], 'queued');
    await sources.tally.settle('contract-run', 'crawl:x', ['failed:http-404']);
    const runs = await call('GET', '/sources/{id}/runs', '/sources/contract/runs?limit=5');
    expect(runs.json().runs[0]).toMatchObject({ state: 'finished', totals: { failed: { 'http-404': 1 } } });
    expect((await call('GET', '/sources/{id}/runs', '/sources/contract/runs?limit=0')).statusCode).toBe(400);
    await call('PATCH', '/sources/{id}', '/sources/contract', { schedule: { everyMs: 3_600_000 } });
    await call('POST', '/sources/{id}/pause', '/sources/contract/pause', {});
    await call('POST', '/sources/{id}/resume', '/sources/contract/resume', {});
    expect((await call('POST', '/sources/{id}/run', '/sources/contract/run', { force: true })).statusCode).toBe(202);
    expect((await call('POST', '/sources/{id}/run', '/sources/contract/run', { force: 'yes' })).statusCode).toBe(400);
    await call('GET', '/console/summary', '/console/summary');
    expect((await call('DELETE', '/sources/{id}', '/sources/contract')).statusCode).toBe(204);
    expect((await call('DELETE', '/sources/{id}', '/sources/contract')).statusCode).toBe(404);

    // Crawls, queues, dead letters.
    expect((await call('POST', '/crawl', '/crawl', { urls: ['https://wire.example/a'] })).statusCode).toBe(202);
    expect((await call('POST', '/crawl', '/crawl', { urls: ['file:///etc/passwd'] })).statusCode).toBe(400);
    await call('GET', '/queues', '/queues');
    await call('GET', '/queues/{queue}/failed', '/queues/crawl/failed?since=1h&limit=5');
    expect((await call('GET', '/queues/{queue}/failed', '/queues/crawl/failed?since=soon')).statusCode).toBe(400);
    await call('POST', '/queues/{queue}/replay', '/queues/crawl/replay', { since: '2d', dryRun: true });
    expect((await call('POST', '/queues/{queue}/replay', '/queues/nope/replay', {})).statusCode).toBe(400);

    // The read side.
    await call('GET', '/articles/{id}', `/articles/${a}`);
    expect((await call('GET', '/articles/{id}', `/articles/${'0'.repeat(32)}`)).statusCode).toBe(404);
    expect((await call('GET', '/articles/{id}', '/articles/not-an-id')).statusCode).toBe(400);
    await call('GET', '/articles/{id}/duplicates', `/articles/${a}/duplicates`);
    // Versions, and an article whose page went away (410, its gone record on request).
    const history = new ArticleHistory(redis, prefix);
    await history.noteVersion(articles[0]!, 'contract.warc.gz:0:100');
    const revisions = await call('GET', '/articles/{id}/revisions', `/articles/${a}/revisions`);
    expect(revisions.json()).toMatchObject({ state: 'indexed', revisions: [{ version: 1 }] });
    expect((await call('GET', '/articles/{id}/revisions', `/articles/${'0'.repeat(32)}/revisions`)).statusCode).toBe(
      404,
    );
    const goneId = articleIdFor('https://wire.example/removed');
    await history.markGone({
      id: goneId,
      url: 'https://wire.example/removed',
      state: 'gone',
      goneAt: new Date().toISOString(),
      status: 404,
      reason: 'http-404',
      record: null,
    });
    expect((await call('GET', '/articles/{id}', `/articles/${goneId}`)).statusCode).toBe(410);
    expect((await call('GET', '/articles/{id}', `/articles/${goneId}?includeGone=true`)).json()).toMatchObject({
      state: 'gone',
      reason: 'http-404',
    });
    const gone = await call('GET', '/articles/gone', '/articles/gone?since=1h');
    expect(gone.json()).toMatchObject({ total: 1, gone: [{ id: goneId }] });
    expect((await call('GET', '/articles/gone', '/articles/gone?since=soon')).statusCode).toBe(400);
    await call('GET', '/articles/{id}/related', `/articles/${a}/related?k=5&since=2026-01-01&duplicates=true`);
    await call('GET', '/articles/{id}/story', `/articles/${b}/story?depth=10`);
    const found = await call('GET', '/search', '/search?q=lighthouse&since=3650d&size=1');
    expect(found.json().total).toBe(2);
    expect(found.json().readAs).toBeUndefined();
    const asWords = await call('GET', '/search', `/search?q=${encodeURIComponent('lighthouse!')}&since=3650d&size=1`);
    expect(asWords.json()).toMatchObject({ total: 2, readAs: 'words' });
    expect((await call('GET', '/search', '/search')).statusCode).toBe(400);

    // Background operations (re-index last: it moves the alias).
    const reparse = await call('POST', '/reparse', '/reparse', { since: '1h' });
    expect(reparse.statusCode).toBe(202);
    expect((await call('POST', '/reparse', '/reparse', { since: 'yesterday' })).statusCode).toBe(400);
    // A reindex of the alias started elsewhere (the CLI, another api process) holds it: 409.
    const elsewhere = await lockReindex(redis, prefix, alias);
    const refused = await call('POST', '/reindex', '/reindex', {});
    expect(refused.statusCode).toBe(409);
    expect(refused.json().detail).toContain(`[reindex-running] a reindex of ${alias} is already running`);
    await elsewhere.lease.release();
    expect((await call('POST', '/reindex', '/reindex', { segments: -1 })).statusCode).toBe(400);
    const reindex = await call('POST', '/reindex', '/reindex', {});
    expect(reindex.statusCode).toBe(202);
    const id = (reindex.json() as { id: string }).id;
    await waitFor(async () => (await call('GET', '/operations/{id}', `/operations/${id}`)).json().state !== 'running', {
      timeoutMs: 60_000,
      what: 're-index to end',
    });
    const done = (await call('GET', '/operations/{id}', `/operations/${id}`)).json();
    expect(done.state).toBe('done');
    // Merged to one segment per shard, as it serves.
    expect(done.result.segments).toBe(1);
    expect((await call('GET', '/operations/{id}', '/operations/not-a-uuid')).statusCode).toBe(400);

    // Every documented operation answered at least once with a documented success.
    const missing = Object.entries(paths).flatMap(([path, ops]) =>
      Object.keys(ops)
        .map((method) => `${method.toUpperCase()} ${path}`)
        .filter((key) => ![...(answered.get(key) ?? [])].some((status) => status < 300)),
    );
    expect(missing).toEqual([]);
  });
});
