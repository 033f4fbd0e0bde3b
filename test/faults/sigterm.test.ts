/**
 * Fault: SIGTERM to every worker under load. Each drains: stops taking jobs, finishes those in flight,
 * exits 0. Nothing is left active or half-written (every WARC record reads back); after a restart
 * every accepted URL completes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WarcArchive } from '@gazette/archive';
import { PipelineHarness, waitFor } from '../support/pipeline-harness.ts';

const PAGES = 300;
const h = new PipelineHarness({
  name: 'sigterm',
  redisUrl: process.env.REDIS_URL!,
  esUrl: process.env.ELASTICSEARCH_URL!,
  pages: PAGES,
  // Crawling (16 at a time, half a second a page) paces the run: pages are still queued when the stop comes.
  siteDelayMs: 500,
});

beforeAll(() => h.setUp());
afterAll(() => h.tearDown());

describe('SIGTERM during load', () => {
  it('finishes the jobs in flight, leaves nothing half-written, and completes everything after restart', async () => {
    const crawlerEnv = { CRAWLER_CONCURRENCY: '16' };
    await Promise.all([h.start('crawler', crawlerEnv), h.start('parser'), h.start('indexer')]);
    await h.enqueue(h.site.articleUrls);
    await waitFor(
      async () => {
        const c = await h.counts();
        return c.crawl.completed >= 60 && c.crawl.active > 0 && c.index.completed >= 10;
      },
      { timeoutMs: 60_000, what: 'the pipeline under load' },
    );

    const stopping = [...h.services.values()];
    const codes = await Promise.all(stopping.map((s) => s.stop(30_000)));
    expect(codes).toEqual([0, 0, 0]);
    for (const s of stopping)
      expect(
        s.lines.some((l) => l.msg === 'stopped cleanly'),
        s.name,
      ).toBe(true);

    // Drained: no job is held by a dead process, so none can stall.
    const mid = await h.counts();
    expect([mid.crawl.active, mid.parse.active, mid.index.active]).toEqual([0, 0, 0]);
    expect(mid.crawl.pending).toBeGreaterThan(0);
    expect(mid.crawl.failed + mid.parse.failed + mid.index.failed).toBe(0);

    // Nothing half-written: every archived record reads back, one per completed crawl.
    const archive = new WarcArchive({ dir: h.archiveDir });
    let records = 0;
    for await (const { page } of archive.scan()) {
      expect(page.body.length).toBeGreaterThan(20_000);
      records++;
    }
    expect(records).toBe(mid.crawl.completed);
    // ... and every parse job waiting for the restart points at a readable record.
    for (const job of await h.queue('parse').getWaiting(0, -1)) {
      const page = await archive.read(job.data.archive);
      expect(page.url).toBe(job.data.url);
    }
    await archive.close();

    await Promise.all([h.start('crawler', crawlerEnv), h.start('parser'), h.start('indexer')]);
    await h.waitUntilSettled(h.site.articleUrls, 120_000);
    const { indexed } = await h.assertAccounting(h.site.articleUrls);
    expect(indexed).toBe(PAGES);
  });
});
