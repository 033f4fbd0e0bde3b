/**
 * Fault: Elasticsearch refuses writes while staying green: the flood stage's block
 * (`index.blocks.read_only_allow_delete`, what a full data disk sets) lands on the articles index
 * mid-crawl, together with an operator's `index.blocks.write`. The indexer treats it like an outage: index jobs wait without spending attempts, a real
 * write to a canary index tells when writes work again, and every article is indexed once after the
 * block is lifted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canaryIndexFor } from '@gazette/search';
import { PipelineHarness, waitFor } from '../support/pipeline-harness.ts';

const PAGES = 60;
const BLOCK_MS = 12_000;
const FLOOD_BLOCK = 'index.blocks.read_only_allow_delete';
// Elasticsearch's disk monitor lifts a flood-stage block by itself at its next disk check (every 30 s)
// when the disk is below the high watermark, as a test machine's is (and also when disk thresholds are
// turned off). The write block, which only an operator lifts, holds the refusal for the test's whole span.
const WRITE_BLOCK = 'index.blocks.write';
const BLOCKS = { [FLOOD_BLOCK]: true, [WRITE_BLOCK]: true };
const UNBLOCK = { [FLOOD_BLOCK]: null, [WRITE_BLOCK]: null };
const h = new PipelineHarness({
  name: 'block',
  redisUrl: process.env.REDIS_URL!,
  esUrl: process.env.ELASTICSEARCH_URL!,
  pages: PAGES,
});

beforeAll(() => h.setUp());
afterAll(async () => {
  await h.es.indices.putSettings({ index: h.index, settings: UNBLOCK }).catch(() => undefined);
  await h.es.indices.delete({ index: canaryIndexFor(h.index), ignore_unavailable: true }).catch(() => undefined);
  await h.tearDown();
});

describe('flood-stage write block', () => {
  it('waits out the block without spending attempts and indexes everything once it is lifted', async () => {
    await Promise.all([h.start('crawler', { CRAWLER_CONCURRENCY: '4' }), h.start('parser'), h.start('indexer')]);
    await h.enqueue(h.site.articleUrls.slice(0, 20));
    await waitFor(async () => (await h.counts()).index.completed >= 10, { timeoutMs: 60_000, what: '10 documents' });

    await h.es.indices.putSettings({ index: h.index, settings: BLOCKS });
    const blockedAt = Date.now();
    await h.enqueue(h.site.articleUrls.slice(20));
    // Health stays green all along, yet nothing is written and no index job gives up.
    await waitFor(
      async () => {
        const c = await h.counts();
        if (c.index.failed > 0) throw new Error(`${c.index.failed} index jobs failed under the block`);
        return c.parse.completed === PAGES && Date.now() - blockedAt >= BLOCK_MS;
      },
      { timeoutMs: BLOCK_MS + 60_000, intervalMs: 500, what: 'every page parsed under the block' },
    );
    expect((await h.es.cluster.health()).status).not.toBe('red');
    const during = await h.counts();
    expect(during.index.completed).toBeLessThan(PAGES);

    await h.es.indices.putSettings({ index: h.index, settings: UNBLOCK });
    const liftedAt = Date.now();
    await h.waitUntilSettled(h.site.articleUrls, 90_000);
    const recoveryMs = Date.now() - liftedAt;

    const counts = await h.counts();
    expect(counts.crawl.failed + counts.parse.failed + counts.index.failed).toBe(0);
    // Waiting did not use up attempts: at most the one that met the block.
    const completed = await h.queue('index').getCompleted(0, -1);
    expect(completed).toHaveLength(PAGES);
    const most = Math.max(...completed.map((j) => j.attemptsMade));
    expect(most).toBeLessThanOrEqual(2);
    const { indexed, failed } = await h.assertAccounting(h.site.articleUrls);
    expect(indexed).toBe(PAGES);
    console.log(
      `write block (${PAGES} pages, blocked ${Math.round((liftedAt - blockedAt) / 1000)} s): all indexed ${recoveryMs} ms after ` +
        `the block was lifted; most attempts used by an index job ${most}; accepted ${PAGES} = indexed ${indexed} + failed ${failed}`,
    );
  }, 240_000);
});
