/**
 * End to end through the four services, each its own process, on the real
 * Redis and Elasticsearch that `npm test` starts, against the demo news site
 * served on 127.0.0.1.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedisConnection } from '@gazette/jobs';
import { articleIdFor } from '@gazette/article';
import { articlePath, demoArticles, serveDemoSite, type DemoSite } from '@gazette/demo-site';
import {
  isIdle,
  queueCounts,
  startService,
  waitFor,
  type ServiceProcess,
  deleteKeysWithPrefix,
} from '@gazette/devstack';
import { createRedis } from '@gazette/jobs';
import { createSearchClient, dropArticleIndices } from '@gazette/search';

const redisUrl = process.env.REDIS_URL!;
const esUrl = process.env.ELASTICSEARCH_URL!;
const runId = randomBytes(4).toString('hex');
const prefix = `e2e-${runId}`;
const index = `e2e-articles-${runId}`;
const es = createSearchClient({ url: esUrl });

let site: DemoSite;
let redis: RedisConnection;
let archiveDir: string;
let api: string;
const services: ServiceProcess[] = [];

async function crawlSiteAndWait(): Promise<void> {
  const res = await fetch(`${api}/crawl`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ urls: [`${site.url}/`], scope: { maxDepth: 2 }, force: true }),
  });
  expect(res.status).toBe(202);
  const before = (await queueCounts(redis, prefix)).crawl.completed;
  await waitFor(
    async () => {
      const c = await queueCounts(redis, prefix);
      return isIdle(c) && c.crawl.completed > before;
    },
    { timeoutMs: 120_000, intervalMs: 200, what: 'the pipeline to drain' },
  );
  await es.indices.refresh({ index });
}

async function getJson<T>(path: string): Promise<T> {
  const res = await fetch(`${api}${path}`);
  expect(res.status, `GET ${path}`).toBe(200);
  return (await res.json()) as T;
}

const canonical = (i: number) => `${site.url}${articlePath(demoArticles[i]!)}`;

beforeAll(async () => {
  site = await serveDemoSite();
  redis = createRedis(redisUrl);
  archiveDir = await mkdtemp(join(tmpdir(), 'gazette-e2e-archive-'));
  const env = {
    REDIS_URL: redisUrl,
    ELASTICSEARCH_URL: esUrl,
    QUEUE_PREFIX: prefix,
    ES_INDEX: index,
    ARCHIVE_DIR: archiveDir,
    CRAWLER_ALLOW_HOSTS: '127.0.0.1',
    CRAWLER_POLITENESS_MS: '0',
    LOG_LEVEL: 'info',
    API_PORT: '0',
    CRAWLER_METRICS_PORT: '0',
    PARSER_METRICS_PORT: '0',
    INDEXER_METRICS_PORT: '0',
  };
  const started = await Promise.all(
    (['crawler', 'parser', 'indexer', 'api'] as const).map((name) => startService(name, { env })),
  );
  services.push(...started);
  api = String(started[3]!.startedLine.address);
});

afterAll(async () => {
  await Promise.all(services.map((s) => s.stop()));
  await dropArticleIndices(es, index);
  await deleteKeysWithPrefix(redis, `${prefix}:`);
  await redis.quit();
  await es.close();
  await site.close();
  await rm(archiveDir, { recursive: true, force: true });
});

describe('crawl → parse → index → related', () => {
  it('indexes every article of the site and nothing else', async () => {
    await crawlSiteAndWait();
    const count = await es.count({ index });
    expect(count.count).toBe(demoArticles.length);
    const failed = (await queueCounts(redis, prefix)).parse.failed;
    expect(failed).toBe(0);
  });

  it('keeps the article and drops the boilerplate of a WordPress news page', async () => {
    const featured = demoArticles[0]!;
    const id = articleIdFor(canonical(0));
    const record = await getJson<{
      title: string;
      body: string;
      authors: string[];
      publishedAt: string;
      canonicalUrl: string;
      relatedLinks: Array<{ url: string; text: string }>;
      site: string;
      language: string | null;
    }>(`/articles/${id}`);

    expect(record.title).toBe(featured.title);
    expect(record.canonicalUrl).toBe(canonical(0));
    const expectedBody = featured.paragraphs.filter((p) => !p.startsWith('READMORE:')).join('\n\n');
    expect(record.body).toBe(expectedBody);
    for (const boilerplate of [
      '35.5',
      'Saturday, July 26, 2025',
      'Read More',
      'Trending Now',
      'Latest News',
      'Related News',
      'Associate Editor',
      'Leave a Reply',
      'cookies',
      'Subscribe',
      'Advertisement',
      'File photo',
      'Glaciers',
    ]) {
      expect(record.body).not.toContain(boilerplate);
    }
    expect(record.authors).toEqual([featured.author.name]);
    expect(new Date(record.publishedAt).toISOString()).toBe('2025-07-25T09:32:00.000Z');
    expect(record.relatedLinks.map((l) => l.url).sort()).toEqual(
      [
        `${site.url}${articlePath(demoArticles.find((a) => a.slug.startsWith('pakistan-afghanistan-reduce'))!)}`,
        `${site.url}${articlePath(demoArticles.find((a) => a.slug.startsWith('afghan-interior-minister'))!)}`,
      ].sort(),
    );
    expect(record.language?.startsWith('en')).toBe(true);
  });

  it('ranks the other article on the same story above unrelated ones', async () => {
    const id = articleIdFor(canonical(0));
    const { related } = await getJson<{ related: Array<{ id: string; title: string }> }>(
      `/articles/${id}/related?k=10`,
    );
    const ids = related.map((r) => r.id);
    expect(ids).not.toContain(id);
    const sameStory = demoArticles.findIndex((a, i) => i !== 0 && a.story === demoArticles[0]!.story);
    expect(ids[0]).toBe(articleIdFor(canonical(sameStory)));
    const rank = (i: number) => {
      const at = ids.indexOf(articleIdFor(canonical(i)));
      return at === -1 ? Infinity : at;
    };
    for (const [i, a] of demoArticles.entries()) {
      if (['rates', 'cricket', 'glaciers'].includes(a.story)) expect(rank(i)).toBeGreaterThan(rank(sameStory));
    }
  });

  it('finds articles by full-text search', async () => {
    const result = await getJson<{ total: number; hits: Array<{ id: string }> }>('/search?q=glaciers%20Karakoram');
    expect(result.hits[0]?.id).toBe(articleIdFor(canonical(demoArticles.findIndex((a) => a.story === 'glaciers'))));
  });

  it('leaves one document per article when the site is crawled again', async () => {
    const path = articlePath(demoArticles[0]!);
    const hitsBefore = site.hits.get(path) ?? 0;
    await crawlSiteAndWait();
    // The pages really were fetched and indexed again …
    expect(site.hits.get(path)).toBe(hitsBefore + 1);
    // … and overwrote their documents instead of adding new ones.
    expect((await es.count({ index })).count).toBe(demoArticles.length);
    const byUrl = await es.search({
      index,
      size: 0,
      aggs: { urls: { terms: { field: 'canonicalUrl', size: 100, min_doc_count: 2 } } },
    });
    expect((byUrl.aggregations?.urls as { buckets: unknown[] }).buckets).toEqual([]);
  });

  it('reports Redis and Elasticsearch healthy', async () => {
    const health = await getJson<{ status: string; redis: boolean; elasticsearch: boolean }>('/healthz');
    expect(health).toEqual({ status: 'ok', redis: true, elasticsearch: true });
  });

  it('answers 404 and 400 with problem documents', async () => {
    const missing = await fetch(`${api}/articles/${'0'.repeat(32)}`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
    const bad = await fetch(`${api}/crawl`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ urls: ['not a url'] }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { detail: string }).detail).toContain('urls');
  });
});
