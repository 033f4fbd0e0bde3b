/**
 * Rendering through real processes (crawler, renderer, parser, indexer, api)
 * on the real Redis and Elasticsearch, with Debian's Chromium: a news site
 * whose articles only exist after scripts ran. A source with `render: never`
 * yields no article; pages that hang or allocate without bound fail with
 * their reasons and leave the renderer running; the same site with
 * `render: auto` then yields every article, second half included, with its
 * metadata, parsed from rendered records in the archive.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedisConnection } from '@gazette/jobs';
import { WarcArchive } from '@gazette/archive';
import {
  deleteKeysWithPrefix,
  isIdle,
  queueCounts,
  startService,
  waitFor,
  type ServiceProcess,
} from '@gazette/devstack';
import { createRedis } from '@gazette/jobs';
import { openQueues } from '@gazette/jobs';
import { PageLedger } from '@gazette/pipeline';
import { serveAppSite, type AppSite } from '@gazette/render/testing';
import { createSearchClient, dropArticleIndices, findArticleByUrl } from '@gazette/search';

const run = randomBytes(4).toString('hex');
const prefix = `e2e-render-${run}`;
const index = `e2e-render-${run}`;
const token = `operator-${run}-0123456789`;
const es = createSearchClient({ url: process.env.ELASTICSEARCH_URL! });
let site: AppSite;
let redis: RedisConnection;
let archiveDir: string;
let apiUrl: string;
const services: ServiceProcess[] = [];

async function call(method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
}

async function articleCount(): Promise<number> {
  await es.indices.refresh({ index });
  return (await es.count({ index })).count;
}

const idle = async () => isIdle(await queueCounts(redis, prefix));

async function runSource(id: string, render: 'never' | 'auto'): Promise<void> {
  const created = await call('POST', '/sources', {
    source: { id, name: id, seeds: [`${site.url}/`], maxDepth: 1, autodiscoverFeeds: false, render },
    schedule: null,
  });
  expect(created.status).toBe(201);
  expect((await call('POST', `/sources/${id}/run`)).status).toBe(202);
}

beforeAll(async () => {
  site = await serveAppSite();
  redis = createRedis(process.env.REDIS_URL!);
  archiveDir = await mkdtemp(join(tmpdir(), 'gazette-e2e-render-'));
  const env = {
    REDIS_URL: process.env.REDIS_URL!,
    ELASTICSEARCH_URL: process.env.ELASTICSEARCH_URL!,
    QUEUE_PREFIX: prefix,
    ES_INDEX: index,
    ARCHIVE_DIR: archiveDir,
    CRAWLER_ALLOW_HOSTS: '127.0.0.1',
    CRAWLER_POLITENESS_MS: '0',
    API_PORT: '0',
    API_OPERATOR_TOKEN: token,
    CRAWLER_METRICS_PORT: '0',
    PARSER_METRICS_PORT: '0',
    INDEXER_METRICS_PORT: '0',
    RENDERER_METRICS_PORT: '0',
    RENDERER_PAGE_TIMEOUT_MS: '12000',
    RENDERER_MAX_HEAP_MB: '64',
    SHUTDOWN_GRACE_SECONDS: '10',
  };
  services.push(
    ...(await Promise.all(
      (['crawler', 'renderer', 'parser', 'indexer', 'api'] as const).map((name) => startService(name, { env })),
    )),
  );
  apiUrl = String(services[4]!.startedLine.address);
});

afterAll(async () => {
  await Promise.all(services.map((s) => s.stop()));
  await dropArticleIndices(es, index);
  await deleteKeysWithPrefix(redis, `${prefix}:`);
  await redis.quit();
  await es.close();
  await site?.close();
  await rm(archiveDir, { recursive: true, force: true });
});

describe('rendering', () => {
  it('a script-built site: never yields nothing, hangs and crashes fail alone, auto yields every article', async () => {
    const ledger = new PageLedger(redis, prefix);

    // render: never: the plain shell has no links and no article in it.
    await runSource('app-never', 'never');
    const home = await waitFor(
      async () => {
        const entry = await ledger.get(`${site.url}/`);
        return entry && entry.state !== 'fetched' && (await idle()) ? entry : null;
      },
      { timeoutMs: 60_000, what: 'the plain home page to be handled' },
    );
    expect(['listing', 'not-article']).toContain(home.state);
    expect(site.hits.get('/api/articles.json')).toBeUndefined();
    expect(await es.indices.exists({ index })).toBe(false);

    // A page that never settles, one that allocates without bound, one robots.txt forbids: each fails with its reason.
    const trouble = await call('POST', '/crawl', {
      urls: [`${site.url}/trouble/hang`, `${site.url}/trouble/oom`, `${site.url}/private/draft/`],
      render: 'always',
    });
    expect(trouble.status).toBe(202);
    const queues = openQueues({ connection: redis, prefix });
    try {
      const failed = await waitFor(
        async () => {
          const jobs = await queues.render.getFailed();
          return jobs.length === 3 ? jobs : null;
        },
        { timeoutMs: 60_000, what: 'the three trouble pages to fail' },
      );
      const reasons = Object.fromEntries(failed.map((j) => [new URL(j.data.url).pathname, j.failedReason]));
      expect(reasons['/trouble/hang']).toMatch(/^\[render-timeout\]/);
      expect(reasons['/trouble/oom']).toMatch(/^\[render-crash\]/);
      expect((await ledger.get(`${site.url}/trouble/oom`))?.reason).toBe('render-crash');
      // robots.txt holds for rendered pages too: the browser never asked for this one.
      expect(reasons['/private/draft/']).toMatch(/^\[robots-disallowed\]/);
      expect(site.hits.get('/private/draft/')).toBeUndefined();
    } finally {
      await Promise.all(Object.values(queues).map((q) => q.close()));
    }
    expect(services[1]!.child.exitCode).toBeNull();

    // render: auto: the same site, through the same (still running) renderer.
    await runSource('app-auto', 'auto');
    await waitFor(async () => (await articleCount()) === site.articles.length && (await idle()), {
      timeoutMs: 120_000,
      what: 'every article of the site to be indexed',
    });
    for (const expected of site.articles) {
      const record = await findArticleByUrl(es, index, `${site.url}/news/${expected.slug}/`);
      expect(record, expected.slug).not.toBeNull();
      expect(record!.title).toBe(expected.title);
      expect(record!.authors).toEqual([expected.author]);
      expect(record!.publishedAt).toBe(expected.publishedAt);
      expect(record!.body).toContain(expected.lead[0]);
      // The second half only loads when the page is scrolled to its end.
      expect(record!.body).toContain(expected.rest.at(-1));
      expect(record!.body).not.toContain('tracker loaded');
    }
    expect(site.hits.get('/static/logo.png')).toBeUndefined();
    expect(site.hits.get('/static/tracker.js')).toBeUndefined();

    // Each rendered page is archived as a conversion record next to the response it was built from.
    const archive = new WarcArchive({ dir: archiveDir });
    const rendered: string[] = [];
    const responses = new Set<string>();
    for await (const { ref, page } of archive.scan()) {
      if (page.rendering) {
        expect(responses.has(`${page.rendering.from.file}:${page.rendering.from.offset}`)).toBe(true);
        rendered.push(new URL(page.finalUrl).pathname);
      } else responses.add(`${ref.file}:${ref.offset}`);
    }
    await archive.close();
    for (const a of site.articles) expect(rendered).toContain(`/news/${a.slug}/`);
  });
});
