/**
 * Fault: poison pages and a misconfigured parser. Each bad job fails once with its reason code (no
 * retry storm, the page's state says why), and `replay failed` brings it through once the cause is
 * fixed: the site serving the page again, the parser pointed at the right archive.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replayFailed } from '@gazette/jobs';
import { PipelineHarness, waitFor } from '../support/pipeline-harness.ts';

const PAGES = 40;
const MISSING = [3, 4];
const BINARY = [10, 11, 12];
const h = new PipelineHarness({
  name: 'poison',
  redisUrl: process.env.REDIS_URL!,
  esUrl: process.env.ELASTICSEARCH_URL!,
  pages: PAGES,
});
let wrongArchive: string;

/** Bytes no HTML parser should accept: an ELF header and noise. */
const binaryBody = () => {
  const bytes = new Uint8Array(30_000);
  bytes.set([0x7f, 0x45, 0x4c, 0x46]);
  for (let i = 4; i < bytes.length; i++) bytes[i] = (i * 7919) % 256;
  return bytes;
};

beforeAll(async () => {
  await h.setUp();
  wrongArchive = await mkdtemp(join(tmpdir(), 'gazette-faults-wrong-archive-'));
});
afterAll(async () => {
  await h.tearDown();
  await rm(wrongArchive, { recursive: true, force: true });
});

const urlsOf = (indexes: number[]) => indexes.map((i) => h.site.articleUrls[i]!);
const context = () => ({ connection: h.redis, prefix: h.prefix });

async function failedOf(queue: 'crawl' | 'parse') {
  const jobs = await h.queue(queue).getFailed(0, -1);
  return jobs.map((j) => ({
    url: String(j.data.url),
    reason: /^\[([\w.-]+)\]/.exec(j.failedReason)?.[1],
    attempts: j.attemptsMade,
  }));
}

describe('poison pages', () => {
  it('fails each bad job once with its reason and replays it once the cause is fixed', async () => {
    h.site.override = (i) =>
      MISSING.includes(i)
        ? { status: 404, body: '<!DOCTYPE html><title>Not found</title>' }
        : BINARY.includes(i)
          ? { type: 'text/html; charset=UTF-8', body: binaryBody() }
          : undefined;
    // The parser looks for the archive in the wrong folder: every parse fails with archive-not-found.
    await Promise.all([h.start('crawler'), h.start('parser', { ARCHIVE_DIR: wrongArchive }), h.start('indexer')]);
    await h.enqueue(h.site.articleUrls);
    await h.waitUntilSettled(h.site.articleUrls, 60_000, 'every URL to fail');

    // 404: permanent, one attempt, reason on the job and in the page's state.
    const crawlFailed = await failedOf('crawl');
    expect(crawlFailed.map((f) => f.url).sort()).toEqual(urlsOf(MISSING).sort());
    expect(crawlFailed.every((f) => f.reason === 'http-404' && f.attempts === 1)).toBe(true);
    const parseFailed = await failedOf('parse');
    expect(parseFailed).toHaveLength(PAGES - MISSING.length);
    expect(parseFailed.every((f) => f.reason === 'archive-not-found' && f.attempts === 1)).toBe(true);
    expect((await h.ledger(urlsOf([0])))[0]).toMatchObject({ state: 'parse-failed', reason: 'archive-not-found' });
    await h.assertAccounting(h.site.articleUrls, h.site.articleUrls);

    // Fix the parser's configuration and replay its dead letters: all parse but the binary pages.
    await h.services.get('parser')!.stop();
    await h.start('parser');
    const replayed = await replayFailed(context(), 'parse', { reason: 'archive-not-found' });
    expect(replayed.replayed).toBe(PAGES - MISSING.length);
    await waitFor(
      async () => {
        const c = await h.counts();
        return c.parse.completed + c.parse.failed === PAGES - MISSING.length && c.index.pending + c.index.active === 0;
      },
      { timeoutMs: 60_000, what: 'the replayed parse jobs' },
    );
    await h.waitUntilSettled(h.site.articleUrls, 60_000);
    const binaryFailed = await failedOf('parse');
    expect(binaryFailed.map((f) => f.url).sort()).toEqual(urlsOf(BINARY).sort());
    expect(binaryFailed.every((f) => f.reason === 'extract-binary' && f.attempts === 1)).toBe(true);
    expect((await h.ledger(urlsOf(BINARY))).map((e) => e?.reason)).toEqual(['binary', 'binary', 'binary']);

    // Replaying poison whose cause is not fixed fails again at once, with one attempt: no retry storm.
    expect((await replayFailed(context(), 'parse', { reason: 'extract-binary' })).replayed).toBe(BINARY.length);
    await waitFor(
      async () => (await h.counts()).parse.failed === BINARY.length && (await h.counts()).parse.active === 0,
      {
        timeoutMs: 30_000,
        what: 'the poison to fail again',
      },
    );
    expect((await failedOf('parse')).every((f) => f.reason === 'extract-binary' && f.attempts === 1)).toBe(true);

    // The site serves its pages again: replaying the failed crawls indexes the missing articles.
    h.site.override = (i) =>
      BINARY.includes(i) ? { type: 'text/html; charset=UTF-8', body: binaryBody() } : undefined;
    expect((await replayFailed(context(), 'crawl')).replayed).toBe(MISSING.length);
    await waitFor(async () => (await h.counts()).crawl.failed === 0, { timeoutMs: 30_000, what: 'the crawl replay' });
    await h.waitUntilSettled(h.site.articleUrls, 60_000);
    const { indexed, failed } = await h.assertAccounting(h.site.articleUrls, urlsOf(BINARY));
    expect([indexed, failed]).toEqual([PAGES - BINARY.length, BINARY.length]);

    // Once the poison pages are fixed at the source, a forced re-crawl brings them in too.
    h.site.override = undefined;
    await h.enqueue(urlsOf(BINARY), { force: true });
    await waitFor(
      async () =>
        (await h.ledger(urlsOf(BINARY))).every((e) => e?.state === 'indexed') && (await h.counts()).crawl.pending === 0,
      { timeoutMs: 60_000, what: 'the fixed pages to be indexed' },
    );
    await h.waitUntilSettled(h.site.articleUrls, 60_000);
    expect((await h.assertAccounting(h.site.articleUrls)).indexed).toBe(PAGES);
  });
});
