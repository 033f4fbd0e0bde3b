/**
 * Fault: the parser and the indexer crash-loop (SIGKILL, restarted at once, again and again) while a
 * crawl flows through them. Their jobs stall over and over; none of them was at fault, so none may
 * fail: stalled jobs come back, a job that stalled more than `maxStalledCount` times in a row is
 * retried (reason `stalled`) rather than failed, and every article is indexed exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PipelineHarness, waitFor } from '../support/pipeline-harness.ts';

const PAGES = 80;
const KILLS = 4;
const h = new PipelineHarness({
  name: 'crashloop',
  redisUrl: process.env.REDIS_URL!,
  esUrl: process.env.ELASTICSEARCH_URL!,
  pages: PAGES,
  siteDelayMs: 60,
});

beforeAll(() => h.setUp());
afterAll(() => h.tearDown());

describe('parser and indexer crash-looping', () => {
  it('loses, fails and duplicates nothing', async () => {
    // Index jobs stay active until their bulk request goes out: a long flush keeps them in flight.
    const indexerEnv = { INDEXER_FLUSH_MS: '2000' };
    await Promise.all([
      h.start('crawler', { CRAWLER_CONCURRENCY: '4' }),
      h.start('parser', { PARSER_CONCURRENCY: '2' }),
      h.start('indexer', indexerEnv),
    ]);
    await h.enqueue(h.site.articleUrls);

    // Each round: once the fresh processes have done some work and hold jobs, SIGKILL both and start
    // them again (the killed processes' jobs stay active under locks nobody renews).
    let stalledHeld = 0;
    for (let round = 0; round < KILLS; round++) {
      const before = await h.counts();
      await waitFor(
        async () => {
          const c = await h.counts();
          return c.parse.completed > before.parse.completed && c.index.active > before.index.active;
        },
        { timeoutMs: 60_000, intervalMs: 50, what: `round ${round}: parser and indexer at work` },
      );
      await Promise.all([h.kill('parser'), h.kill('indexer')]);
      stalledHeld += (await h.activeJobs('parse')).length + (await h.activeJobs('index')).length;
      await Promise.all([h.start('parser', { PARSER_CONCURRENCY: '2' }), h.start('indexer', indexerEnv)]);
    }
    const lastKill = Date.now();
    expect(stalledHeld).toBeGreaterThan(0);

    await h.waitUntilSettled(h.site.articleUrls, 150_000);
    const recoveryMs = Date.now() - lastKill;
    const counts = await h.counts();
    expect(counts.crawl.failed + counts.parse.failed + counts.index.failed).toBe(0);
    const { indexed, failed } = await h.assertAccounting(h.site.articleUrls);
    expect(indexed).toBe(PAGES);
    expect(failed).toBe(0);
    console.log(
      `crash loop (${PAGES} pages, parser and indexer SIGKILLed ${KILLS} times holding ${stalledHeld} jobs): ` +
        `settled ${recoveryMs} ms after the last kill; accepted ${PAGES} = indexed ${indexed} + failed ${failed}`,
    );
  }, 300_000);
});
