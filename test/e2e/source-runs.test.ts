/**
 * A source run's totals through the real services (crawler, parser, indexer and api as processes on
 * the real Redis and Elasticsearch): the run's counts match what happened to each of its URLs (two
 * articles indexed, a page that is not an article, a missing page failed with its reason), the run
 * ends when its last job settled, a second run finds the pages not modified, and a forced run
 * fetches them again. The api and the `gazette sources runs` command tell the same story. Once the
 * missing page is published, its dead letters replayed through the api count in their runs once.
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { articlePath, demoArticles, serveDemoSite, type DemoSite } from '@gazette/demo-site';
import { REPO_ROOT, deleteKeysWithPrefix, startService, waitFor, type ServiceProcess } from '@gazette/devstack';
import { createRedis, type RedisConnection } from '@gazette/jobs';
import type { RunView } from '@gazette/sources';
import { createSearchClient, dropArticleIndices } from '@gazette/search';

const run = randomBytes(4).toString('hex');
const prefix = `e2e-runs-${run}`;
const index = `e2e-runs-${run}`;
const token = `operator-${run}-0123456789`;
const es = createSearchClient({ url: process.env.ELASTICSEARCH_URL! });
let demo: DemoSite;
/** Once set, the missing page is there (served as the about page). */
let missingPageFixed = false;
/** The demo site behind validators (an ETag per page, 304 for a matching If-None-Match), without robots.txt and its sitemap. */
let site: Server;
let siteUrl: string;
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

async function runs(): Promise<RunView[]> {
  const response = await call('GET', '/sources/mixed/runs');
  expect(response.status).toBe(200);
  return ((await response.json()) as { runs: RunView[] }).runs;
}

/** Starts a run through the api and waits until the last of its jobs settled. */
async function runToEnd(force: boolean): Promise<RunView> {
  const started = await call('POST', '/sources/mixed/run', force ? { force: true } : undefined);
  expect(started.status).toBe(202);
  const { runId } = (await started.json()) as { runId: string };
  let done: RunView | undefined;
  await waitFor(
    async () => {
      done = (await runs()).find((r) => r.runId === runId && r.state === 'finished');
      return done !== undefined;
    },
    { timeoutMs: 90_000, what: `run ${runId} to finish` },
  );
  return done!;
}

beforeAll(async () => {
  demo = await serveDemoSite();
  site = createServer((request, response) => {
    void (async () => {
      if (request.url === '/robots.txt') {
        response.writeHead(404).end();
        return;
      }
      const path = missingPageFixed && request.url === '/no-such-page/' ? '/about/' : (request.url ?? '/');
      const upstream = await fetch(`${demo.url}${path}`);
      const body = Buffer.from(await upstream.arrayBuffer());
      const etag = `"${createHash('sha1').update(body).digest('hex')}"`;
      if (upstream.ok && request.headers['if-none-match'] === etag) {
        response.writeHead(304, { etag }).end();
        return;
      }
      response
        .writeHead(upstream.status, {
          'content-type': upstream.headers.get('content-type') ?? 'text/html',
          ...(upstream.ok ? { etag } : {}),
        })
        .end(body);
    })().catch(() => response.writeHead(502).end());
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;

  redis = createRedis(process.env.REDIS_URL!);
  archiveDir = await mkdtemp(join(tmpdir(), 'gazette-e2e-runs-'));
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
    INDEXER_FLUSH_MS: '50',
  };
  services.push(
    ...(await Promise.all(
      (['crawler', 'parser', 'indexer', 'api'] as const).map((name) => startService(name, { env })),
    )),
  );
  apiUrl = String(services[3]!.startedLine.address);
});

afterAll(async () => {
  await Promise.all(services.map((s) => s.stop()));
  await deleteKeysWithPrefix(redis, `${prefix}:`);
  await redis?.quit();
  await dropArticleIndices(es, index).catch(() => undefined);
  await es.close();
  await new Promise((resolve) => site?.close(resolve));
  await demo?.close();
  await rm(archiveDir, { recursive: true, force: true });
});

describe('source runs', () => {
  it("count what became of each URL, end with the run's last job, and say the same in the api and the CLI", async () => {
    const [first, second] = demoArticles;
    const created = await call('POST', '/sources', {
      source: {
        id: 'mixed',
        name: 'Mixed pages',
        seeds: [
          `${siteUrl}${articlePath(first!)}`,
          `${siteUrl}${articlePath(second!)}`,
          `${siteUrl}/about/`,
          `${siteUrl}/no-such-page/`,
        ],
        maxDepth: 0,
        autodiscoverFeeds: false,
      },
      schedule: null,
    });
    expect(created.status).toBe(201);

    const plain = await runToEnd(false);
    expect(plain.trigger).toBe('manual');
    expect(plain.totals).toMatchObject({
      discovered: 4,
      queued: 4,
      fetched: 3,
      notModified: 0,
      notArticle: 1,
      parsed: 2,
      indexed: 2,
      failed: { 'http-404': 1 },
      open: 0,
    });
    // Finished when its last job settled: after discovery, and once both articles were searchable.
    expect(Date.parse(plain.finishedAt!)).toBeGreaterThan(Date.parse(plain.discoveredAt!));
    await es.indices.refresh({ index });
    expect((await es.count({ index })).count).toBe(2);

    // Nothing changed: the three pages answer 304, the missing one fails again.
    const again = await runToEnd(false);
    expect(again.totals).toMatchObject({
      queued: 4,
      fetched: 0,
      notModified: 3,
      indexed: 0,
      failed: { 'http-404': 1 },
    });

    // Forced: fetched again without validators, parsed and indexed again.
    const forced = await runToEnd(true);
    expect(forced.trigger).toBe('forced');
    expect(forced.totals).toMatchObject({
      queued: 4,
      fetched: 3,
      notModified: 0,
      notArticle: 1,
      indexed: 2,
      failed: { 'http-404': 1 },
    });

    const listed = await runs();
    expect(listed.map((r) => r.runId).slice(0, 3)).toEqual([forced.runId, again.runId, plain.runId]);
    const sources = (await (await call('GET', '/sources')).json()) as { sources: Array<{ lastRun: RunView }> };
    expect(sources.sources[0]?.lastRun).toMatchObject({ runId: forced.runId, state: 'finished' });

    const { stdout } = await promisify(execFile)(
      process.execPath,
      [join(REPO_ROOT, 'packages/cli/bin/gazette.mjs'), 'sources', 'runs', 'mixed', '--limit', '1'],
      { env: { ...process.env, QUEUE_PREFIX: prefix } },
    );
    expect(stdout).toContain(`${forced.runId}  forced  finished`);
    expect(stdout).toContain('4 discovered, 4 queued, 3 fetched, 0 not modified, 1 not article, 2 indexed');
    expect(stdout).toContain('failed http-404 ×1');
  });

  it('exposes every metric the Grafana dashboard names, jobs counted by final outcome', async () => {
    const scrape = async (url: string) => (await fetch(url)).text();
    const [crawler, parser, indexer] = services
      .slice(0, 3)
      .map((s) => `http://127.0.0.1:${String(s.startedLine.opsPort)}/metrics`);
    const texts = await Promise.all([scrape(crawler!), scrape(parser!), scrape(indexer!), scrape(`${apiUrl}/metrics`)]);
    const exposed = new Set(texts.flatMap((t) => [...t.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]!)));
    const dashboard = JSON.parse(await readFile(join(REPO_ROOT, 'infra/grafana/gazette.json'), 'utf8')) as {
      panels: Array<{ targets: Array<{ expr: string }> }>;
    };
    const named = new Set(
      dashboard.panels
        .flatMap((p) => p.targets.map((t) => t.expr))
        .flatMap((expr) =>
          [...expr.matchAll(/\bgazette_[a-z_]+/g)].map((m) => m[0].replace(/_(bucket|sum|count)$/, '')),
        ),
    );
    expect(named.size).toBeGreaterThan(10);
    expect([...named].filter((name) => !exposed.has(name))).toEqual([]);

    // Three runs, each with one missing seed: three crawl jobs failed for good, one attempt each.
    const crawlerText = texts[0]!;
    expect(crawlerText).toMatch(/^gazette_jobs_total\{queue="crawl",outcome="failed",reason="http-404"\} 3$/m);
    expect(crawlerText).toMatch(/^gazette_fetch_total\{status="404",class="4xx",reason="http-404"\} 3$/m);
    expect(crawlerText).toMatch(/^gazette_fetch_total\{status="304",class="3xx",reason="not-modified"\} 3$/m);
    expect(crawlerText).toMatch(/^gazette_site_pages_total\{site="127.0.0.1",outcome="article"\} 6$/m);
  });

  it("counts a replayed dead letter once in its run, by its new outcome, through the api's replay", async () => {
    const before = await runs();
    expect(before.slice(0, 3).map((r) => r.totals.failed)).toEqual([
      { 'http-404': 1 },
      { 'http-404': 1 },
      { 'http-404': 1 },
    ]);
    // The missing page is published; its dead letters (one per run) are replayed.
    missingPageFixed = true;
    const replay = await call('POST', '/queues/crawl/replay', { reason: 'http-404' });
    expect(replay.status).toBe(200);
    expect(((await replay.json()) as { replayed: number }).replayed).toBe(3);
    let after: RunView[] = [];
    await waitFor(
      async () => {
        after = (await runs()).slice(0, 3);
        return after.every((r) => r.state === 'finished' && Object.keys(r.totals.failed).length === 0);
      },
      { timeoutMs: 60_000, what: 'the replayed jobs to settle in their runs' },
    );
    for (const [i, r] of after.entries()) {
      const old = before[i]!;
      expect(r.runId).toBe(old.runId);
      // Fetched now (a page that is not an article), counted once; its failure no longer counted.
      expect(r.totals).toMatchObject({
        queued: 4,
        fetched: old.totals.fetched + 1,
        notArticle: old.totals.notArticle + 1,
        open: 0,
        failed: {},
      });
      expect(Date.parse(r.finishedAt!)).toBeGreaterThan(Date.parse(old.finishedAt!));
    }
  });
});
