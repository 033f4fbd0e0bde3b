/**
 * Fault: Elasticsearch (a node of this test's own) goes away for 60 s mid-crawl. Crawling, the raw
 * archive and parsing keep flowing; index jobs wait without dropping anything or using up their
 * attempts, and everything is indexed, once, after the node is back.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WarcArchive } from '@gazette/archive';
import { PipelineHarness, waitFor } from '../support/pipeline-harness.ts';
import { localElasticsearch, type LocalElasticsearch } from '../support/local-services.ts';

const PAGES = 200;
const OUTAGE_MS = 60_000;
let es: LocalElasticsearch;
let esDir: string;
let h: PipelineHarness;

beforeAll(async () => {
  esDir = await mkdtemp(join(tmpdir(), 'gazette-faults-es-'));
  es = await localElasticsearch(esDir);
  await es.start();
  h = new PipelineHarness({
    name: 'es',
    redisUrl: process.env.REDIS_URL!,
    esUrl: es.url,
    pages: PAGES,
    siteDelayMs: 100,
  });
  await h.setUp();
});
afterAll(async () => {
  await h?.tearDown();
  await es?.stop();
  await rm(esDir, { recursive: true, force: true });
});

async function archivedRecords(): Promise<number> {
  let n = 0;
  for await (const _ of new WarcArchive({ dir: h.archiveDir }).scan()) n++;
  return n;
}

describe('Elasticsearch away for a minute', () => {
  it('keeps crawling and parsing, drops nothing and indexes everything once it is back', async () => {
    await Promise.all([h.start('crawler', { CRAWLER_CONCURRENCY: '4' }), h.start('parser'), h.start('indexer')]);
    // The first pages go all the way; the rest of the crawl is queued once the node is gone.
    await h.enqueue(h.site.articleUrls.slice(0, 40));
    await waitFor(async () => (await h.counts()).index.completed >= 20, { timeoutMs: 60_000, what: '20 documents' });

    await es.stop();
    const stoppedAt = Date.now();
    await h.enqueue(h.site.articleUrls.slice(40));

    // The other stages keep working: every page is fetched, archived and parsed while the node is away.
    await waitFor(
      async () => {
        const c = await h.counts();
        return c.crawl.completed === PAGES && c.parse.completed === PAGES;
      },
      { timeoutMs: OUTAGE_MS - 5_000, what: 'crawl and parse to finish during the outage' },
    );
    expect(await archivedRecords()).toBe(PAGES);
    // The outage lasts its minute; index jobs wait all along, none gives up.
    await waitFor(
      async () => {
        const c = await h.counts();
        if (c.index.failed > 0) throw new Error(`${c.index.failed} index jobs failed during the outage`);
        return Date.now() - stoppedAt >= OUTAGE_MS;
      },
      { timeoutMs: OUTAGE_MS + 10_000, intervalMs: 500, what: 'the outage to last a minute' },
    );
    const during = await h.counts();
    expect(during.index.completed).toBeLessThan(PAGES);
    expect(during.index.failed).toBe(0);

    await es.start();
    await h.waitUntilSettled(h.site.articleUrls, 90_000);
    for (const s of h.services.values()) expect(s.child.exitCode, `${s.name} still running`).toBeNull();
    const counts = await h.counts();
    expect(counts.crawl.failed + counts.parse.failed + counts.index.failed).toBe(0);
    // Waiting for the node did not use up attempts: at most the one that found it gone.
    const completed = await h.queue('index').getCompleted(0, -1);
    expect(completed).toHaveLength(PAGES);
    const most = completed.reduce((a, b) => (b.attemptsMade > a.attemptsMade ? b : a));
    const history = (await h.queue('index').getJobLogs(String(most.id))).logs.join('\n');
    expect(most.attemptsMade, history).toBeLessThanOrEqual(2);
    const { indexed } = await h.assertAccounting(h.site.articleUrls);
    expect(indexed).toBe(PAGES);
  }, 300_000);
});
