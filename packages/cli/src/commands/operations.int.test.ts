/**
 * The operator commands on the real Redis and Elasticsearch: sources, queue
 * statistics, replay of failed jobs, JSON Lines import through the index
 * queue and the indexer's code, re-index.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { articleIdFor, articleRecordSchema } from '@gazette/article';
import { waitFor, deleteKeysWithPrefix } from '@gazette/devstack';
import { PermanentError, Producer, createRedis, createWorker } from '@gazette/jobs';
import { createLogger } from '@gazette/logger';
import { openQueue } from '@gazette/jobs';
import { indexStep } from '@gazette/pipeline';
import { lockReindex } from '@gazette/batch';
import {
  aliasTargets,
  BulkWriter,
  createArticleIndex,
  createSearchClient,
  dropArticleIndices,
  ensureArticleIndex,
  INDEX_MAPPING_VERSION,
} from '@gazette/search';
import { main } from '../main.ts';

const run = randomBytes(4).toString('hex');
const prefix = `cli-test-${run}`;
const alias = `cli-test-${run}`;
const redis = createRedis(process.env.REDIS_URL!);
const es = createSearchClient({ url: process.env.ELASTICSEARCH_URL! });
const context = { connection: redis, prefix };
const logger = createLogger({ name: 'cli-test', level: 'silent' });
const writer = new BulkWriter({ client: es, index: alias, flushIntervalMs: 20 });
let dir: string;
let indexer: Worker;

async function gazette(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  const error = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  try {
    const code = await main(argv);
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

function record(n: number) {
  const url = `https://wire.example/story-${n}`;
  return articleRecordSchema.parse({
    schemaVersion: 1,
    id: articleIdFor(url),
    url,
    canonicalUrl: url,
    site: 'wire.example',
    siteName: 'Wire',
    title: `Imported lighthouse story ${n}`,
    description: null,
    authors: [],
    publishedAt: '2025-07-01T08:00:00.000Z',
    modifiedAt: null,
    language: 'en',
    section: null,
    tags: [],
    leadImage: null,
    body: `A lighthouse keeper wrote story ${n} about ${randomBytes(6).toString('hex')} ships.`,
    wordCount: 10,
    relatedLinks: [],
    outLinks: [],
    contentHash: randomBytes(32).toString('hex'),
    simhash: randomBytes(8).toString('hex'),
    fetchedAt: '2025-07-01T09:00:00.000Z',
    parserVersion: 'import-1',
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gazette-cli-test-'));
  vi.stubEnv('QUEUE_PREFIX', prefix);
  vi.stubEnv('ES_INDEX', alias);
  vi.stubEnv('ARCHIVE_DIR', dir);
  await ensureArticleIndex(es, alias);
  indexer = createWorker('index', (payload) => indexStep(payload, { writer }), { context, logger, concurrency: 20 });
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await indexer.close();
  await writer.close();
  await dropArticleIndices(es, alias);
  await deleteKeysWithPrefix(redis, `${prefix}:`);
  await redis.quit();
  await es.close();
  await rm(dir, { recursive: true, force: true });
});

describe('gazette operator commands', () => {
  it('adds, lists, pauses, runs and removes a source', async () => {
    const add = await gazette(
      'sources',
      'add',
      '--id',
      'wire',
      '--name',
      'Wire',
      '--seed',
      'https://wire.example/',
      '--cron',
      '30 5 * * *',
      '--tz',
      'Europe/Berlin',
    );
    expect(add.code).toBe(0);
    expect(add.out).toContain('schedule  cron "30 5 * * *" Europe/Berlin');
    expect((await gazette('sources', 'add', '--id', 'wire', '--name', 'Again')).code).toBe(1);
    const bad = await gazette('sources', 'add', '--id', 'Bad', '--name', 'x', '--every', 'soon');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--every takes a duration');
    const list = JSON.parse((await gazette('sources', 'list', '--json')).out) as Array<{ source: { id: string } }>;
    expect(list.map((s) => s.source.id)).toEqual(['wire']);
    expect((await gazette('sources', 'pause', 'wire')).out).toContain('(paused)');
    const first = (await gazette('sources', 'run', 'wire')).out;
    expect(first).toMatch(/queued a run of wire \(run (\S+), job manual-/);
    // No crawler runs here, so the first run still waits: a second "run now" gets it back.
    const again = (await gazette('sources', 'run', 'wire')).out;
    expect(again).toMatch(/a run of wire is already queued or discovering/);
    expect(again).toContain(`run ${/run (\S+),/.exec(first)![1]!}`);
    expect((await gazette('sources', 'rm', 'wire')).code).toBe(0);
    expect((await gazette('sources', 'rm', 'wire')).code).toBe(1);
  });

  it('replays failed jobs and shows queue statistics', async () => {
    const crawl = new Producer('crawl', context);
    const fail = await redis.set(`${prefix}:fail`, '1');
    expect(fail).toBe('OK');
    const worker = createWorker(
      'crawl',
      async () => {
        if (await redis.get(`${prefix}:fail`)) throw new PermanentError('http-404', 'not found');
        return 'ok';
      },
      { context, logger, concurrency: 2 },
    );
    const queue = openQueue(context, 'crawl');
    try {
      await crawl.add({ url: 'https://wire.example/missing', depth: 0 });
      await waitFor(async () => (await queue.getFailedCount()) === 1, { timeoutMs: 20_000, what: 'a failed job' });
      const stats = await gazette('queues', 'stats');
      expect(stats.out).toMatch(/waiting\s+active\s+retrying\s+delayed\s+completed\s+failed/);
      expect(stats.out).toMatch(/crawl\s+0\s+\d+\s+0\s+0\s+0\s+1/);
      expect(stats.out).toMatch(/crawl\s+http-404\s+1/);
      expect(
        (await gazette('replay', 'failed', '--queue', 'crawl', '--reason', 'http-404', '--dry-run')).out,
      ).toContain('1 failed crawl jobs match');
      await redis.del(`${prefix}:fail`);
      const replay = await gazette('replay', 'failed', '--queue', 'crawl', '--since', '1h', '--reason', 'http-*');
      expect(replay.out).toBe('replayed 1 of 1 matching failed crawl jobs');
      await waitFor(async () => (await queue.getCompletedCount()) === 1, {
        timeoutMs: 20_000,
        what: 'the replayed job',
      });
      expect((await gazette('replay', 'failed', '--queue', 'nope')).code).toBe(2);
    } finally {
      await worker.close();
      await Promise.all([crawl.close(), queue.close()]);
    }
  });

  it('says when the articles index does not exist yet instead of passing on Elasticsearch’s exception', async () => {
    for (const argv of [
      ['search', 'lighthouse', '--index', `${alias}-missing`],
      ['related', '0123456789abcdef0123456789abcdef', '--index', `${alias}-missing`],
    ]) {
      const res = await gazette(...argv);
      expect(res.code).toBe(1);
      expect(res.err).toMatch(/^gazette \w+: the articles index does not exist in Elasticsearch yet/);
      expect(res.err).not.toContain('exception');
    }
  });

  it('imports JSON Lines through validation and the indexer, once, then re-indexes', async () => {
    const file = join(dir, 'records.jsonl');
    const lines = [1, 2, 3].map((n) => JSON.stringify(record(n)));
    // A minimal record: URL, title, body; the id and hashes are derived.
    const minimal = { url: 'https://wire.example/minimal', title: 'A lighthouse in fog', body: 'The lighthouse beam.' };
    const stranger = { ...minimal, url: 'https://wire.example/other', id: articleIdFor('https://wire.example/x') };
    await writeFile(
      file,
      [...lines, JSON.stringify(minimal), '{"id": "broken"}', 'not json', JSON.stringify(stranger), ''].join('\n'),
    );
    const first = await gazette('import', '--jsonl', file);
    expect(first.code).toBe(1);
    expect(first.out).toContain('4 records queued for indexing, 3 invalid');
    expect(first.err).toContain('line 5: invalid-record: ');
    expect(first.err).toContain('line 6: not-json: not JSON');
    expect(first.err).toContain('line 7: id-mismatch: ');
    await waitFor(
      async () => {
        await es.indices.refresh({ index: alias });
        return (await es.count({ index: alias })).count === 4;
      },
      { timeoutMs: 30_000, what: 'four imported documents' },
    );
    // Importing again indexes nothing twice.
    const indexQueue = openQueue(context, 'index');
    const completed = await indexQueue.getCompletedCount();
    await gazette('import', '--jsonl', file);
    expect(await indexQueue.getWaitingCount()).toBe(0);
    expect(await indexQueue.getCompletedCount()).toBe(completed);
    await indexQueue.close();

    const search = JSON.parse((await gazette('search', 'lighthouse', '--index', alias, '--json')).out) as {
      total: number;
    };
    expect(search.total).toBe(4);

    // A reindex of the alias running elsewhere (the api, another host): refused, clearly, and retryable.
    const elsewhere = await lockReindex(redis, prefix, alias);
    const refused = await gazette('reindex', '--delete-old');
    expect(refused.code).toBe(75);
    expect(refused.err).toContain(`gazette reindex: [reindex-running] a reindex of ${alias} is already running`);
    await elsewhere.lease.release();
    const reindex = await gazette('reindex', '--delete-old');
    expect(reindex.code).toBe(0);
    expect(reindex.out).toMatch(new RegExp(`^${alias} now points at ${alias}-v\\d+-\\d+: 4 documents copied`));
    expect((await es.count({ index: alias })).count).toBe(4);

    // An older version left behind: listed, pruned; the live one stays.
    await createArticleIndex(es, `${alias}-v0-old`);
    const listed = await gazette('index', 'list');
    expect(listed.out).toMatch(
      new RegExp(`^\\* ${alias}-v\\d+-\\d+  4 documents.*  mapping v${INDEX_MAPPING_VERSION}$`, 'm'),
    );
    expect(listed.out).toMatch(new RegExp(`^  ${alias}-v0-old  0 documents`, 'm'));
    expect(listed.out).not.toContain('gazette reindex');
    expect((await gazette('index', 'prune', '--dry-run')).out).toContain(`would delete ${alias}-v0-old`);
    expect((await gazette('index', 'prune')).out).toContain(`deleted ${alias}-v0-old`);
    expect((await gazette('index', 'list')).out.trim().split('\n')).toHaveLength(1);
    expect((await es.count({ index: alias })).count).toBe(4);
    // Writes made searchable one at a time gather segments; `index merge` brings the live one back to one.
    for (const n of [1, 2, 3])
      await es.index({ index: alias, id: `seg-${n}`, document: { title: `n${n}` }, refresh: true });
    expect((await gazette('index', 'list')).out).toMatch(/ {2}([2-9]|\d\d) segments {2}/);
    const merged = await gazette('index', 'merge');
    expect(merged.code).toBe(0);
    expect(merged.out).toMatch(new RegExp(`^${alias}-v\\d+-\\d+: segments ([2-9]|\\d\\d) → 1$`, 'm'));
    expect((await gazette('index', 'list')).out).toMatch(/ {2}1 segment {2}/);
    expect((await gazette('index', 'merge', '--segments', 'some')).code).toBe(2);
    for (const n of [1, 2, 3]) await es.delete({ index: alias, id: `seg-${n}`, refresh: true });
    // A live index built by an older Gazette: said, with what to do.
    const [live] = await aliasTargets(es, alias);
    const meta = Object.values(await es.indices.getMapping({ index: live! }))[0]!.mappings._meta;
    await es.indices.putMapping({ index: live!, _meta: { ...meta, gazetteMappingVersion: INDEX_MAPPING_VERSION - 1 } });
    expect((await gazette('index', 'list')).out).toContain(
      `the live version has mapping version ${INDEX_MAPPING_VERSION - 1}; this Gazette builds version ${INDEX_MAPPING_VERSION}: \`gazette reindex\` rebuilds it`,
    );
    expect((await gazette('index', 'drop')).code).toBe(2);

    const reparse = await gazette('reparse', '--since', '1d');
    expect(reparse.out).toContain('scanned 0 archived responses');
  });
});
