/**
 * Fault: the crawler, the parser and the indexer are each SIGKILLed in the middle of jobs. Their jobs
 * stay active under locks nobody renews; once the locks expire, the restarted workers' stalled-job
 * check puts them back and they complete. Elasticsearch ends with exactly one document per article.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from 'bullmq';
import { PipelineHarness, waitFor } from '../support/pipeline-harness.ts';

const PAGES = 240;
const h = new PipelineHarness({
  name: 'crash',
  redisUrl: process.env.REDIS_URL!,
  esUrl: process.env.ELASTICSEARCH_URL!,
  pages: PAGES,
  // A slow site keeps crawl jobs in flight whenever the crawler is killed.
  siteDelayMs: 150,
});

beforeAll(() => h.setUp());
afterAll(() => h.tearDown());

/** The jobs a killed worker held: each must complete after the restart, some after a stalled recovery. */
async function expectRecovered(jobs: Job[], queue: 'crawl' | 'parse' | 'index'): Promise<void> {
  expect(jobs.length, `${queue} jobs active when the worker was killed`).toBeGreaterThan(0);
  let stalled = 0;
  for (const held of jobs) {
    const job = await h.queue(queue).getJob(String(held.id));
    // Completed jobs may be pruned later, but not within this test's retention window.
    expect(await job?.getState(), `${queue} job ${held.id}`).toBe('completed');
    if ((job?.stalledCounter ?? 0) > 0) stalled++;
  }
  expect(stalled, `${queue} jobs recovered from the stalled set`).toBeGreaterThan(0);
}

describe('workers killed mid-job', () => {
  it('completes every job after restart and indexes each article exactly once', async () => {
    // Index jobs stay active until their bulk request goes out: a long flush interval holds them there.
    await h.start('crawler', { CRAWLER_CONCURRENCY: '8' });
    await h.start('indexer', { INDEXER_FLUSH_MS: '5000', INDEXER_BULK_SIZE: '1000' });
    await h.enqueue(h.site.articleUrls);

    // 1. The crawler, with 8 slow fetches in flight.
    await waitFor(async () => (await h.counts()).crawl.completed >= 40, { timeoutMs: 60_000, what: '40 crawls' });
    await h.kill('crawler');
    const crawlHeld = await h.activeJobs('crawl');
    await h.start('crawler', { CRAWLER_CONCURRENCY: '8' });

    // 2. The parser, started late so it works through a backlog: it always holds a job.
    await waitFor(async () => (await h.counts()).parse.pending >= 40, { timeoutMs: 60_000, what: 'a parse backlog' });
    await h.start('parser', { PARSER_CONCURRENCY: '1' });
    await waitFor(async () => (await h.counts()).parse.completed >= 20, { timeoutMs: 60_000, what: '20 parses' });
    await h.kill('parser');
    const parseHeld = await h.activeJobs('parse');
    await h.start('parser');

    // 3. The indexer, holding index jobs that wait for their bulk request.
    await waitFor(async () => (await h.counts()).index.active >= 10, { timeoutMs: 60_000, what: 'active index jobs' });
    await h.kill('indexer');
    const indexHeld = await h.activeJobs('index');
    await h.start('indexer');

    await h.waitUntilSettled(h.site.articleUrls, 150_000);
    await expectRecovered(crawlHeld, 'crawl');
    await expectRecovered(parseHeld, 'parse');
    await expectRecovered(indexHeld, 'index');

    const counts = await h.counts();
    expect(counts.crawl.failed + counts.parse.failed + counts.index.failed).toBe(0);
    const { indexed, failed } = await h.assertAccounting(h.site.articleUrls);
    expect(indexed).toBe(PAGES);
    expect(failed).toBe(0);
  });
});
