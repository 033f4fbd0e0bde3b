/**
 * Re-parse from the raw archive on the real Redis and Elasticsearch: pages of
 * the demo site are archived once; a parser with a bumped version re-parses
 * them (no refetch) and their documents are updated in place.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WarcArchive } from '@gazette/archive';
import { articleIdFor } from '@gazette/article';
import { articlePath, demoArticles, serveDemoSite, type DemoSite } from '@gazette/demo-site';
import { waitFor, deleteKeysWithPrefix } from '@gazette/devstack';
import { PARSER_VERSION, extract } from '@gazette/extract';
import { Producer, createRedis, createWorker, openQueue } from '@gazette/jobs';
import { createLogger } from '@gazette/logger';
import { PageLedger, indexStep, parseStep } from '@gazette/pipeline';
import { BulkWriter, createSearchClient, dropArticleIndices, ensureArticleIndex } from '@gazette/search';
import { reparse } from './index.ts';

const run = randomBytes(4).toString('hex');
const prefix = `reparse-test-${run}`;
const alias = `reparse-test-${run}`;
const BUMPED = `${PARSER_VERSION}-next`;
const redis = createRedis(process.env.REDIS_URL!);
const es = createSearchClient({ url: process.env.ELASTICSEARCH_URL! });
const context = { connection: redis, prefix };
const logger = createLogger({ name: 'reparse-test', level: 'silent' });
const parse = new Producer('parse', context);
const index = new Producer('index', context);
const indexQueue = openQueue(context, 'index');
const parseQueue = openQueue(context, 'parse');
const ledger = new PageLedger(redis, prefix);
const writer = new BulkWriter({ client: es, index: alias, flushIntervalMs: 20 });
const articles = demoArticles.slice(0, 3);
let site: DemoSite;
let dir: string;
let archive: WarcArchive;
let parser: Worker;
let indexer: Worker;

/** The next parser version: same extraction, one more field filled, new version stamp. */
const nextExtract: typeof extract = (input) => {
  const result = extract(input);
  if (result.kind !== 'article') return result;
  return { ...result, record: { ...result.record, section: 'reparsed', parserVersion: BUMPED } };
};

function startParser(extractor: typeof extract): Worker {
  return createWorker(
    'parse',
    (payload, { log }) => parseStep(payload, { archive, index, ledger, log, extract: extractor }),
    {
      context,
      logger,
      concurrency: 2,
    },
  );
}

async function drained(completedBefore: number, expected: number): Promise<void> {
  await waitFor(
    async () => {
      const [p, i] = await Promise.all([parseQueue.getJobCounts(), indexQueue.getJobCounts()]);
      return (
        (p.waiting ?? 0) + (p.active ?? 0) + (i.waiting ?? 0) + (i.active ?? 0) + (i.delayed ?? 0) === 0 &&
        (i.completed ?? 0) >= completedBefore + expected
      );
    },
    { timeoutMs: 60_000, what: 'parse and index queues to drain' },
  );
  await es.indices.refresh({ index: alias });
}

beforeAll(async () => {
  site = await serveDemoSite();
  dir = await mkdtemp(join(tmpdir(), 'gazette-reparse-'));
  archive = new WarcArchive({ dir });
  // Archive the home page and three articles the way the crawler does.
  for (const path of ['/', ...articles.map((a) => articlePath(a))]) {
    const res = await fetch(`${site.url}${path}`);
    const body = new Uint8Array(await res.arrayBuffer());
    await archive.append({
      url: `${site.url}${path}`,
      finalUrl: res.url,
      status: res.status,
      headers: Object.fromEntries(res.headers),
      body,
      fetchedAt: new Date().toISOString(),
      fetchMs: 1,
      redirects: [],
    });
  }
  await ensureArticleIndex(es, alias);
  indexer = createWorker('index', (payload) => indexStep(payload, { writer }), { context, logger, concurrency: 20 });
  parser = startParser(extract);
});

afterAll(async () => {
  await Promise.all([parser.close(), indexer.close()]);
  await writer.close();
  await Promise.all([parse.close(), index.close(), indexQueue.close(), parseQueue.close()]);
  await dropArticleIndices(es, alias);
  await deleteKeysWithPrefix(redis, `${prefix}:`);
  await redis.quit();
  await es.close();
  await archive.close();
  await site.close();
  await rm(dir, { recursive: true, force: true });
});

describe('reparse', () => {
  it('re-parses archived pages with a bumped parser version and updates the documents in place', async () => {
    const hitsBefore = site.hits.get(articlePath(articles[0]!)) ?? 0;
    const base = { archive, parse, redis, prefix, ledger };
    const first = await reparse({ ...base, parserVersion: PARSER_VERSION });
    expect(first).toMatchObject({ scanned: 4, queued: 4, interrupted: false });
    await drained(0, articles.length);
    const ids = articles.map((a) => articleIdFor(`${site.url}${articlePath(a)}`));
    const before = await es.mget<{ parserVersion: string; section: string | null; title: string }>({
      index: alias,
      ids,
    });
    expect(before.docs.map((d) => ('_source' in d ? d._source?.parserVersion : null))).toEqual(
      ids.map(() => PARSER_VERSION),
    );

    // Deploy the next parser version and re-parse everything archived.
    await parser.close();
    parser = startParser(nextExtract);
    const completed = (await indexQueue.getJobCounts()).completed ?? 0;
    const progress: number[] = [];
    const second = await reparse({ ...base, parserVersion: BUMPED, onProgress: (p) => progress.push(p.done) });
    expect(second).toMatchObject({ scanned: 4, queued: 4, interrupted: false });
    expect(progress.length).toBeGreaterThan(0);
    await drained(completed, articles.length);

    // Same documents (ids), updated in place: nothing added, every one re-parsed.
    expect((await es.count({ index: alias })).count).toBe(articles.length);
    const after = await es.mget<{ parserVersion: string; section: string | null; title: string }>({
      index: alias,
      ids,
    });
    for (const [i, doc] of after.docs.entries()) {
      expect('_source' in doc && doc._source).toMatchObject({
        parserVersion: BUMPED,
        section: 'reparsed',
        title: articles[i]!.title,
      });
    }
    // From the archive: the site was not asked again.
    expect(site.hits.get(articlePath(articles[0]!)) ?? 0).toBe(hitsBefore);

    // Safe to run twice: the same run queues nothing new.
    const parsedSoFar = (await parseQueue.getJobCounts()).completed ?? 0;
    await reparse({ ...base, parserVersion: BUMPED });
    expect((await parseQueue.getJobCounts()).completed).toBe(parsedSoFar);
    expect(await parseQueue.getWaitingCount()).toBe(0);
  });

  it('resumes an interrupted run after what it had queued', async () => {
    const controller = new AbortController();
    const version = `${BUMPED}-resume`;
    const base = { archive, parse, redis, prefix, ledger, parserVersion: version, site: new URL(site.url).hostname };
    controller.abort();
    const interrupted = await reparse({ ...base, signal: controller.signal });
    expect(interrupted).toMatchObject({ interrupted: true, queued: 0 });
    const resumed = await reparse(base);
    expect(resumed).toMatchObject({ interrupted: false, queued: 4 });
  });
});
