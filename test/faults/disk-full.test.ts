/**
 * Fault: the archive's disk fills mid-crawl (a real tmpfs of a few hundred KB, mounted by the test,
 * then grown as an operator would free space). Writes that do not fit hand out no reference: the
 * crawl jobs fail retryably with `archive-full`, the crawler stops taking jobs and reports not ready;
 * once space returns it resumes by itself, and every page ends indexed exactly once, with no torn
 * record left in the archive.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WarcArchive, type SkippedRange } from '@gazette/archive';
import { mountSmallDisk, type SmallDisk } from '@gazette/devstack';
import { PipelineHarness, waitFor } from '../support/pipeline-harness.ts';

/** `npm run bench:disk-full` runs it with 1,000 pages. */
const PAGES = Number(process.env.FAULTS_DISK_FULL_PAGES ?? 60);
/** Room for a fraction of the crawl (a generated page takes ~10-15 KB in the archive). */
const SMALL = Math.max(256 * 1024, PAGES * 4 * 1024);
let disk: SmallDisk;
const h = new PipelineHarness({
  name: 'diskfull',
  redisUrl: process.env.REDIS_URL!,
  esUrl: process.env.ELASTICSEARCH_URL!,
  pages: PAGES,
});

beforeAll(async () => {
  disk = await mountSmallDisk(SMALL, 'archive-disk');
  await h.setUp();
  h.archiveDir = disk.dir;
});
afterAll(async () => {
  await h.tearDown().catch(() => undefined);
  await disk?.remove();
});

async function ops(path: string): Promise<{ status: number; body: string }> {
  const port = Number(h.services.get('crawler')!.startedLine.opsPort);
  const res = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: res.status, body: await res.text() };
}

describe('archive disk full', () => {
  it(
    'hands out no reference to unwritten bytes, pauses crawling, and indexes every page once space returns',
    async () => {
      await h.start('crawler', { CRAWLER_CONCURRENCY: '8', CRAWLER_ARCHIVE_MIN_FREE_MB: '0' });
      await Promise.all([h.start('parser'), h.start('indexer')]);
      await h.enqueue(h.site.articleUrls);

      // The disk fills: the crawler says so in /readyz and its metrics, and stops taking jobs.
      await waitFor(async () => (await ops('/readyz')).status === 503, {
        timeoutMs: Math.max(60_000, PAGES * 500),
        what: 'the crawler to report not ready on a full disk',
      });
      expect(JSON.parse((await ops('/readyz')).body)).toMatchObject({
        status: 'not-ready',
        checks: { redis: 'ok', archive: expect.stringMatching(/^archive-(full|io|low-space)$/) },
      });
      const metrics = (await ops('/metrics')).body;
      expect(metrics).toMatch(/gazette_archive_writable 0/);
      expect(metrics).toMatch(/gazette_archive_write_errors_total\{reason="archive-full"\} [1-9]/);
      const during = await h.counts();
      expect(during.crawl.completed).toBeLessThan(PAGES);
      const full = (await h.ledger(h.site.articleUrls)).filter((e) => e?.reason === 'archive-full');
      expect(full.length).toBeGreaterThan(0);
      // Paused, not burning attempts: nothing failed for good.
      expect(during.crawl.failed).toBe(0);

      // An operator frees space (here: the file system grows); nothing else is done.
      await disk.resize(64 * 1024 * 1024);
      const freedAt = Date.now();
      await waitFor(async () => (await ops('/readyz')).status === 200, {
        timeoutMs: 30_000,
        what: 'the crawler to take jobs again',
      });
      const resumedMs = Date.now() - freedAt;
      await h.waitUntilSettled(h.site.articleUrls, Math.max(120_000, PAGES * 1_000));
      const settledMs = Date.now() - freedAt;

      const counts = await h.counts();
      expect(counts.crawl.failed + counts.parse.failed + counts.index.failed).toBe(0);
      const { indexed, failed } = await h.assertAccounting(h.site.articleUrls);
      expect(indexed).toBe(PAGES);
      expect(failed).toBe(0);
      // Every archived record is whole: a scan passes over nothing.
      const skipped: SkippedRange[] = [];
      let records = 0;
      for await (const _ of new WarcArchive({ dir: disk.dir }).scan({ onSkipped: (s) => skipped.push(s) })) records++;
      expect(skipped).toEqual([]);
      expect(records).toBeGreaterThanOrEqual(PAGES);
      console.log(
        `disk full (${PAGES} pages, ${Math.round(SMALL / 1024)} KB disk): crawling resumed ${resumedMs} ms after space returned, ` +
          `all settled after ${settledMs} ms; ${full.length} pages had hit archive-full; accepted ${PAGES} = indexed ${indexed} + failed ${failed}`,
      );
    },
    Math.max(240_000, PAGES * 1_500),
  );
});
