/**
 * Re-index without downtime on the real Elasticsearch: a new index version is
 * built behind the alias and swapped in while searches run without pause;
 * every search answers with results throughout.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { articleIdFor, articleRecordSchema, type ArticleRecord } from '@gazette/article';
import { createRedis } from '@gazette/jobs';
import {
  BulkWriter,
  createSearchClient,
  dropArticleIndices,
  ensureArticleIndex,
  searchArticles,
} from '@gazette/search';
import { ReindexRunningError, reindex, reindexLockKey } from './index.ts';
import { deleteKeysWithPrefix } from '@gazette/devstack';

const run = randomBytes(4).toString('hex');
const prefix = `reindex-test-${run}`;
const alias = `reindex-test-${run}`;
const redis = createRedis(process.env.REDIS_URL!);
const es = createSearchClient({ url: process.env.ELASTICSEARCH_URL! });
const COUNT = 300;

function record(n: number): ArticleRecord {
  const url = `https://news.example/story-${n}`;
  return articleRecordSchema.parse({
    schemaVersion: 1,
    id: articleIdFor(url),
    url,
    canonicalUrl: url,
    site: 'news.example',
    siteName: 'News',
    title: `Harbour story number ${n}`,
    description: null,
    authors: ['A. Writer'],
    publishedAt: '2025-07-25T09:32:00.000Z',
    modifiedAt: null,
    language: 'en',
    section: null,
    tags: [],
    leadImage: null,
    body: `The harbour reopened today after story ${n}. Ships waited outside the harbour for days.`,
    wordCount: 14,
    relatedLinks: [],
    outLinks: [],
    contentHash: randomBytes(32).toString('hex'),
    // Distinct SimHashes: these are different articles, not copies of one.
    simhash: randomBytes(8).toString('hex'),
    fetchedAt: '2025-07-25T10:00:00.000Z',
    parserVersion: '1.0.0',
  });
}

beforeAll(async () => {
  await ensureArticleIndex(es, alias);
  const writer = new BulkWriter({ client: es, index: alias, maxBatch: 100 });
  await Promise.all(Array.from({ length: COUNT }, (_, n) => writer.write(record(n))));
  await writer.close();
  await es.indices.refresh({ index: alias });
});

afterAll(async () => {
  await dropArticleIndices(es, alias);
  await deleteKeysWithPrefix(redis, `${prefix}:`);
  await redis.quit();
  await es.close();
});

describe('reindex', () => {
  it('switches the alias to a new index version while searches keep returning results', async () => {
    const before = Object.keys(await es.indices.getAlias({ name: alias }));
    let searching = true;
    const results: Array<{ ok: boolean; total: number }> = [];
    const load = (async () => {
      while (searching) {
        try {
          const res = await searchArticles(es, alias, { q: 'harbour', size: 5 });
          results.push({ ok: true, total: res.total });
        } catch {
          results.push({ ok: false, total: 0 });
        }
      }
    })();
    // A write during the re-index must reach the new index too.
    const late = record(COUNT);
    const writer = new BulkWriter({ client: es, index: alias });
    const progress: number[] = [];
    const [result] = await Promise.all([
      reindex({
        es,
        redis,
        prefix,
        alias,
        deleteOld: true,
        batchSize: 50,
        onProgress: (p) => progress.push(p.done),
      }),
      writer.write(late).then(() => writer.close()),
    ]);
    searching = false;
    await load;

    expect(result.from).toEqual(before);
    expect(result.to).not.toBe(before[0]);
    expect(result.deleted).toEqual(before);
    expect(Object.keys(await es.indices.getAlias({ name: alias }))).toEqual([result.to]);
    expect((await es.count({ index: alias })).count).toBe(COUNT + 1);
    expect(await es.indices.exists({ index: before[0]! })).toBe(false);
    expect(progress.length).toBeGreaterThan(1);
    // Every search during the re-index answered, with results.
    expect(results.length).toBeGreaterThan(0);
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(results.every((r) => r.total >= COUNT)).toBe(true);
    // No cursor left behind: the next reindex starts afresh.
    expect(await redis.keys(`${prefix}:cursor:*`)).toEqual([]);
  });

  it('merges the new index down to one segment per shard by default before readers see it', async () => {
    // Every page of the copy made searchable at once: a segment per page, as bulk indexing leaves.
    const pages = async () => {
      await es.indices.refresh({ index: `${alias}-v*` });
    };
    const unmerged = await reindex({ es, redis, prefix, alias, batchSize: 25, mergeSegments: 0, onProgress: pages });
    expect(unmerged.segments).toBeGreaterThan(2);
    const merged = await reindex({ es, redis, prefix, alias, batchSize: 25, onProgress: pages });
    expect(merged.segments).toBe(1);
    expect(Object.keys(await es.indices.getAlias({ name: alias }))).toEqual([merged.to]);
    await es.indices.delete({ index: [unmerged.to], ignore_unavailable: true });
  });

  it('resumes an interrupted reindex from its cursor', async () => {
    const controller = new AbortController();
    const first = await reindex({
      es,
      redis,
      prefix,
      alias,
      batchSize: 50,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.done >= 100) controller.abort();
      },
    });
    expect(first.interrupted).toBe(true);
    expect(first.copied).toBeLessThan(COUNT + 1);
    // The alias still points at the live index; searches still answer.
    expect(Object.keys(await es.indices.getAlias({ name: alias }))).toEqual(first.from);
    const second = await reindex({ es, redis, prefix, alias, batchSize: 50, deleteOld: true });
    expect(second).toMatchObject({ resumed: true, interrupted: false, to: first.to });
    expect(second.copied).toBe(COUNT + 1);
    expect((await es.count({ index: alias })).count).toBe(COUNT + 1);
  });

  it('refuses a second reindex of the alias while one runs, and runs it once the first has finished', async () => {
    let second: Promise<unknown> | undefined;
    let heldAtSwitch: Promise<string | null> | undefined;
    const first = await reindex({
      es,
      redis,
      prefix,
      alias,
      batchSize: 50,
      // A short lease: a run that outlasts it holds it only because it is renewed.
      lockTtlMs: 1_000,
      onProgress: (p) => {
        // Started while the first copies: refused at once.
        second ??= reindex({ es, redis, prefix, alias, batchSize: 50 }).catch((error: unknown) => error);
        if (p.phase === 'switched') heldAtSwitch = redis.get(reindexLockKey(prefix, alias));
      },
    });
    const refused = await second;
    expect(refused).toBeInstanceOf(ReindexRunningError);
    expect(refused).toMatchObject({ reason: 'reindex-running', retryable: true, alias });
    expect((refused as Error).message).toMatch(
      new RegExp(`reindex of ${alias} is already running .*pid ${process.pid}`),
    );
    expect(first.interrupted).toBe(false);
    expect(await heldAtSwitch).toContain(`"pid":${process.pid}`);
    // Released at the end: the next run goes through.
    expect(await redis.exists(reindexLockKey(prefix, alias))).toBe(0);
    const next = await reindex({ es, redis, prefix, alias, batchSize: 50, deleteOld: true });
    expect(next).toMatchObject({ interrupted: false, resumed: false, from: [first.to] });
    expect(Object.keys(await es.indices.getAlias({ name: alias }))).toEqual([next.to]);
    await es.indices.delete({ index: first.from, ignore_unavailable: true });
  });

  it('takes over once the lease of a run that died has expired', async () => {
    const key = reindexLockKey(prefix, alias);
    // What a run that died leaves behind: its lease, no longer renewed.
    const dead = { token: 'dead-run', host: 'elsewhere', pid: 4242, since: new Date().toISOString() };
    await redis.set(key, JSON.stringify(dead), 'PX', 500, 'NX');
    const refused = await reindex({ es, redis, prefix, alias }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ReindexRunningError);
    expect((refused as Error).message).toContain('pid 4242 on elsewhere');
    await expect.poll(() => redis.exists(key), { timeout: 5_000, interval: 50 }).toBe(0);
    const result = await reindex({ es, redis, prefix, alias, batchSize: 50, deleteOld: true });
    expect(result.interrupted).toBe(false);
    expect(Object.keys(await es.indices.getAlias({ name: alias }))).toEqual([result.to]);
  });
});
