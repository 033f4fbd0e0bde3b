/**
 * A page crawled again, on the real Redis with a real archive and a local HTTP server: validators
 * from the last fetch are sent and a 304 costs nothing more; the same bytes from a server without
 * validators are neither archived nor parsed again; a known article whose page answers 404 is
 * handed to the retire queue and forgotten by its source; versions of an article are kept.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import { WarcArchive } from '@gazette/archive';
import type { ArticleRecord } from '@gazette/article';
import { deleteKeysWithPrefix } from '@gazette/devstack';
import { createFetcher } from '@gazette/fetch';
import { Producer, catalog, crawlScopeSchema, createRedis, type PayloadOf } from '@gazette/jobs';
import { createLogger } from '@gazette/logger';
import { ArticleHistory, PageLedger, crawlStep, openHostRules, type CrawlStepDeps } from './index.ts';

const prefix = `recrawl-${randomBytes(4).toString('hex')}`;
const redis = createRedis(process.env.REDIS_URL!);
const context = { connection: redis, prefix };
const ledger = new PageLedger(redis, prefix);
const parse = new Producer('parse', context);
const crawl = new Producer('crawl', context);
const retire = new Producer('retire', context);
const requests: Array<{ path: string; headers: IncomingHttpHeaders }> = [];
let server: Server;
let base: string;
let archiveDir: string;
let deps: CrawlStepDeps;
/** Path → status; 200 when absent. */
const statusOf = new Map<string, number>();

const page = (title: string) =>
  `<!doctype html><html><head><title>${title}</title></head><body><article><h1>${title}</h1><p>${'Words of the story. '.repeat(40)}</p></article></body></html>`;

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? '/';
    requests.push({ path, headers: req.headers });
    if (path === '/robots.txt') return void res.writeHead(404).end();
    const status = statusOf.get(path) ?? 200;
    if (status !== 200) return void res.writeHead(status, { 'content-type': 'text/html' }).end('<p>not here</p>');
    if (path.startsWith('/validated/')) {
      const etag = '"v1"';
      if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { etag }).end();
      return void res.writeHead(200, { 'content-type': 'text/html', etag }).end(page('Validated'));
    }
    res.writeHead(200, { 'content-type': 'text/html' }).end(page('Plain'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  archiveDir = await mkdtemp(join(tmpdir(), 'gazette-recrawl-'));
  const fetcher = createFetcher({ allow: ['127.0.0.1'] });
  const rules = openHostRules(
    { CRAWLER_ROBOTS_TTL_S: 60, CRAWLER_MAX_CRAWL_DELAY_S: 10, CRAWLER_POLITENESS_MS: 0 },
    { fetcher, redis, prefix },
  );
  deps = {
    fetcher,
    ...rules,
    minIntervalMs: 0,
    maxConcurrencyPerHost: 4,
    archive: new WarcArchive({ dir: archiveDir }),
    parse,
    crawl,
    ledger,
    retire,
    log: createLogger({ name: 'recrawl-test', level: 'silent' }),
    delayUntil: () => Promise.reject(new Error('no politeness in this test')),
  };
});

afterAll(async () => {
  await Promise.all([parse.close(), crawl.close(), retire.close(), deps.archive.close()]);
  await deleteKeysWithPrefix(redis, `${prefix}:`);
  await redis.quit();
  await new Promise((resolve) => server.close(resolve));
  await rm(archiveDir, { recursive: true, force: true });
});

const job = (url: string, extra: Partial<PayloadOf<'crawl'>> = {}): PayloadOf<'crawl'> => ({
  url,
  depth: 0,
  hints: { from: 'known' },
  ...extra,
});
const scopeOf = (maxDepth: number) => crawlScopeSchema.parse({ maxDepth });
const jobsIn = async (name: 'parse' | 'retire') => {
  const q = new Queue(catalog[name].name, { connection: redis, prefix });
  const jobs = await q.getJobs(['waiting', 'delayed', 'completed', 'failed', 'active']);
  await q.close();
  return jobs;
};

describe('crawling a page again', () => {
  it('sends the validators it has and stops at a 304', async () => {
    const url = `${base}/validated/story`;
    expect((await crawlStep(job(url), deps)).outcome).toBe('article');
    // Still `fetched` (the parse job not queued yet, as far as the ledger knows): no validators.
    expect((await crawlStep(job(url), deps)).outcome).toBe('article');
    await ledger.record(url, { state: 'indexed', articleId: 'd'.repeat(32) });
    const again = await crawlStep(job(url), deps);
    expect(again).toMatchObject({ outcome: 'not-modified', why: 'http-304' });
    const sent = requests.filter((r) => r.path === '/validated/story').map((r) => r.headers['if-none-match']);
    expect(sent).toEqual([undefined, undefined, '"v1"']);
    // A forced fetch sends none.
    expect((await crawlStep(job(url, { force: true }), deps)).outcome).toBe('article');
    expect(requests.filter((r) => r.path === '/validated/story').at(-1)?.headers['if-none-match']).toBeUndefined();
  });

  it('neither archives nor parses the same bytes again when the server sends no validators', async () => {
    const url = `${base}/plain/story`;
    const parsesBefore = (await jobsIn('parse')).length;
    expect((await crawlStep(job(url), deps)).outcome).toBe('article');
    // Still `fetched` (as after a crawler that died before queueing the parse): handled in full again.
    expect((await crawlStep(job(url), deps)).outcome).toBe('article');
    expect((await jobsIn('parse')).length).toBe(parsesBefore + 2);
    // Parsed and indexed (what the parser and indexer record): the same bytes cost nothing more.
    await ledger.record(url, { state: 'indexed', articleId: 'e'.repeat(32) });
    const lastCopy = (await ledger.get(url))?.archive;
    const again = await crawlStep(job(url), deps);
    expect(again).toMatchObject({ outcome: 'not-modified', why: 'same-bytes' });
    expect(await ledger.get(url)).toMatchObject({ state: 'not-modified', reason: 'same-bytes', archive: lastCopy });
    expect((await jobsIn('parse')).length).toBe(parsesBefore + 2);
    expect((await ledger.outcomes())['crawl:not-modified:same-bytes']).toBe(1);
    // A job that follows the page's links handles it in full: the last fetch may have been a leaf.
    const asSeed = await crawlStep(job(url, { hints: { from: 'seed' }, scope: scopeOf(1) }), deps);
    expect(asSeed.outcome).not.toBe('not-modified');
  });

  it('handles the page in full when the same job runs again after its process died', async () => {
    for (const path of ['/plain/redelivered', '/validated/redelivered']) {
      const url = `${base}${path}`;
      const own = { ...deps, jobKey: 'crawl-1@1700000000000' };
      expect((await crawlStep(job(url), own)).outcome).toBe('article');
      // The parse and index jobs it queued ran before the crawl job's lock ran out.
      await ledger.record(url, { state: 'indexed', articleId: 'f'.repeat(32) });
      const parsesBefore = (await jobsIn('parse')).length;
      const sentBefore = requests.filter((r) => r.path === path).length;
      // Its own fetch is not an earlier visit: no validators, no "not modified", a new parse job.
      expect((await crawlStep(job(url), own)).outcome).toBe('article');
      expect(requests.filter((r) => r.path === path).slice(sentBefore)[0]?.headers['if-none-match']).toBeUndefined();
      expect((await jobsIn('parse')).length).toBe(parsesBefore + 1);
      expect(await ledger.get(url)).toMatchObject({ state: 'fetched', fetchedBy: 'crawl-1@1700000000000' });
      // Once settled, a later job is a visit like any other.
      await ledger.record(url, { state: 'indexed', articleId: 'f'.repeat(32) });
      const later = await crawlStep(job(url), { ...deps, jobKey: 'crawl-2@1700000090000' });
      expect(later.outcome).toBe('not-modified');
      expect(await ledger.get(url)).toMatchObject({ state: 'not-modified', fetchedBy: 'crawl-1@1700000000000' });
    }
  });

  it('retires the article of a known URL that now answers 404, once, and its source forgets the URL', async () => {
    const url = `${base}/known/removed`;
    const articleId = 'a'.repeat(32);
    await ledger.record(url, { state: 'indexed', articleId, archive: 'x.warc.gz:0:10' });
    await ledger.noteArticle('news', url);
    expect(await ledger.articlesOf('news')).toEqual([url]);
    statusOf.set('/known/removed', 404);
    const outcome = await crawlStep(job(url, { sourceId: 'news' }), deps);
    expect(outcome).toMatchObject({ outcome: 'gone', status: 404, reason: 'http-404' });
    const retired = (await jobsIn('retire')).map((j) => j.data as PayloadOf<'retire'>);
    expect(retired).toEqual([expect.objectContaining({ articleId, url, status: 404, reason: 'http-404' })]);
    const entry = await ledger.get(url);
    expect(entry).toMatchObject({ state: 'gone', reason: 'http-404' });
    expect(entry?.articleId).toBeUndefined();
    expect(await ledger.articlesOf('news')).toEqual([]);
    // Crawled again: still gone, nothing more to retire.
    await crawlStep(job(url, { sourceId: 'news' }), deps);
    expect((await jobsIn('retire')).length).toBe(1);
  });
});

describe('ArticleHistory', () => {
  const history = new ArticleHistory(redis, prefix);
  const record = (over: Partial<ArticleRecord>): ArticleRecord => ({
    schemaVersion: 1,
    id: 'b'.repeat(32),
    url: 'https://news.example/a',
    canonicalUrl: 'https://news.example/a',
    site: 'news.example',
    siteName: null,
    title: 'First title',
    description: null,
    authors: [],
    publishedAt: '2025-03-03T06:15:00Z',
    modifiedAt: null,
    language: 'en',
    section: null,
    tags: [],
    leadImage: null,
    body: 'Text.',
    wordCount: 1,
    relatedLinks: [],
    outLinks: [],
    contentHash: 'c'.repeat(64),
    simhash: '0'.repeat(16),
    fetchedAt: '2025-03-03T07:00:00Z',
    parserVersion: 'p1',
    ...over,
  });

  it('keeps a version per change, not per fetch', async () => {
    expect((await history.noteVersion(record({}), 'f:0:1')).isNew).toBe(true);
    // Fetched again, unchanged (a CMS moved its modification time for a comment): the same version.
    const same = await history.noteVersion(
      record({ fetchedAt: '2025-03-04T07:00:00Z', modifiedAt: '2025-03-04T06:00:00Z' }),
      'f:1:1',
    );
    expect(same).toMatchObject({ isNew: false, revision: { version: 1 } });
    const edited = await history.noteVersion(
      record({ title: 'Corrected title', fetchedAt: '2025-03-05T07:00:00Z' }),
      'f:2:1',
    );
    expect(edited).toMatchObject({ isNew: true, revision: { version: 2, title: 'Corrected title', archive: 'f:2:1' } });
    expect((await history.revisions('b'.repeat(32))).map((r) => r.title)).toEqual(['First title', 'Corrected title']);
  });

  it('numbers versions noted at the same time one after the other, and keeps one of two alike', async () => {
    const id = 'e'.repeat(32);
    const at = (i: number) => `2025-03-0${i}T07:00:00Z`;
    // Two URLs of one article parsed at once: the same text twice, then four edits together.
    const alike = await Promise.all(
      [1, 2].map((i) => history.noteVersion(record({ id, fetchedAt: at(i) }), `f:${i}:1`)),
    );
    expect(alike.map((r) => r.isNew).sort()).toEqual([false, true]);
    const edits = await Promise.all(
      [3, 4, 5, 6].map((i) => history.noteVersion(record({ id, title: `Edit ${i}`, fetchedAt: at(i) }), `f:${i}:1`)),
    );
    expect(edits.map((r) => r.revision.version).sort()).toEqual([2, 3, 4, 5]);
    const kept = await history.revisions(id);
    expect(kept.map((r) => r.version)).toEqual([1, 2, 3, 4, 5]);
    expect(kept[0]).toMatchObject({ title: 'First title', publishedAt: '2025-03-03T06:15:00Z', modifiedAt: null });
  });

  it('keeps the first version and the latest ones of a page edited very often', async () => {
    const id = 'f'.repeat(32);
    for (let i = 1; i <= 102; i++) await history.noteVersion(record({ id, title: `Version ${i}` }), `f:${i}:1`);
    const kept = await history.revisions(id);
    expect(kept).toHaveLength(100);
    expect(kept.map((r) => r.version).slice(0, 3)).toEqual([1, 4, 5]);
    expect(kept.at(-1)).toMatchObject({ version: 102, title: 'Version 102', wordCount: 1 });
  });

  it('keeps gone articles until they come back', async () => {
    const id = 'd'.repeat(32);
    await history.markGone({
      id,
      url: 'https://news.example/d',
      state: 'gone',
      goneAt: '2025-03-05T00:00:00Z',
      status: 410,
      reason: 'http-410',
      record: null,
    });
    expect((await history.allGone()).map((g) => g.id)).toEqual([id]);
    await history.unmarkGone(id);
    expect(await history.gone(id)).toBeNull();
  });
});
