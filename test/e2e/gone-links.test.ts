/**
 * A discovered link that answers 404 or 410 is an answer, not a failure: the crawler records the
 * page as `gone` with its status and counts it (metrics, `gazette queues stats`), and nothing lands
 * in the dead-letter set. A seed or a URL queued by hand that answers 404 still fails, because an
 * operator can fix it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Producer } from '@gazette/jobs';
import { PageLedger } from '@gazette/pipeline';
import { PipelineHarness, waitFor } from '../support/pipeline-harness.ts';

const h = new PipelineHarness({
  name: 'gone',
  redisUrl: process.env.REDIS_URL!,
  esUrl: process.env.ELASTICSEARCH_URL!,
  pages: 2,
});
let producer: Producer<'crawl'>;

beforeAll(async () => {
  await h.setUp();
  await h.start('crawler');
  producer = new Producer('crawl', { connection: h.redis, prefix: h.prefix });
});

afterAll(async () => {
  await producer?.close();
  await h.tearDown();
});

describe('404 on a discovered link', () => {
  it('is recorded and counted as gone, while a missing seed is a dead letter', async () => {
    const link = `${h.site.url}/2025/01/02/a-story-that-was-removed`;
    const fromSitemap = `${h.site.url}/2025/01/03/another-removed-story`;
    const seed = `${h.site.url}/a-seed-that-does-not-exist`;
    await producer.add({ url: link, depth: 1, scope: { maxDepth: 2 }, hints: { from: 'link' } });
    await producer.add({ url: fromSitemap, depth: 0, hints: { from: 'sitemap' } });
    await producer.add({ url: seed, depth: 0 });
    await waitFor(
      async () => {
        const c = (await h.counts()).crawl;
        return c.completed === 2 && c.failed === 1;
      },
      { timeoutMs: 60_000, what: 'three crawl jobs to finish' },
    );
    const [gone, gone2, failed] = await h.ledger([link, fromSitemap, seed]);
    expect([gone?.state, gone?.reason]).toEqual(['gone', 'http-404']);
    expect([gone2?.state, gone2?.reason]).toEqual(['gone', 'http-404']);
    expect([failed?.state, failed?.reason]).toEqual(['fetch-failed', 'http-404']);
    const deadLetters = await h.queue('crawl').getFailed(0, -1);
    expect(deadLetters.map((j) => (j.data as { url: string }).url)).toEqual([seed]);
    expect(await new PageLedger(h.redis, h.prefix).outcomes()).toEqual({ 'crawl:gone:http-404': 2 });
  });
});
