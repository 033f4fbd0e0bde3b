/**
 * `gazette archive verify` on the real Redis and a real archive: references in parse jobs and in the
 * page ledger are read back; bad ones are listed with their reason, and `repair` queues a fresh
 * fetch of each such page and drops its stale parse job.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WarcArchive, type ArchiveRef } from '@gazette/archive';
import { deleteKeysWithPrefix } from '@gazette/devstack';
import { Producer, createRedis, openQueue } from '@gazette/jobs';
import { PageLedger } from '@gazette/pipeline';
import { verifyArchive } from './index.ts';

const prefix = `verify-test-${randomBytes(4).toString('hex')}`;
const redis = createRedis(process.env.REDIS_URL!);
const context = { connection: redis, prefix };
const parse = new Producer('parse', context);
const crawl = new Producer('crawl', context);
let dir: string;
let archive: WarcArchive;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gazette-verify-'));
  archive = new WarcArchive({ dir, writerId: 'v' });
});
afterAll(async () => {
  await archive.close();
  await Promise.all([parse.close(), crawl.close()]);
  await deleteKeysWithPrefix(redis, `${prefix}:`);
  await redis.quit();
  await rm(dir, { recursive: true, force: true });
});

const url = (n: number) => `https://news.example/verify-${n}`;
const page = (n: number) => ({
  url: url(n),
  finalUrl: url(n),
  status: 200,
  headers: { 'content-type': 'text/html' },
  body: Buffer.from(`<p>story ${n}</p>`),
  fetchedAt: new Date().toISOString(),
  fetchMs: 1,
  redirects: [],
});
const parseJob = (n: number, ref: ArchiveRef) => ({
  url: url(n),
  finalUrl: url(n),
  fetchedAt: new Date().toISOString(),
  archive: ref,
});

describe('verifyArchive', () => {
  it('finds references to bytes that are not a record and repairs them by fetching again', async () => {
    const good = await archive.append(page(1));
    const other = await archive.append(page(2));
    const ledger = new PageLedger(redis, prefix);
    // A parse job pointing into the middle of a record (drifted offset) and a ledger entry on a missing file.
    await parse.add(parseJob(1, good), { jobId: 'good' });
    await parse.add(parseJob(2, { ...other, offset: other.offset + 7 }), { jobId: 'drifted' });
    await ledger.record(url(1), { state: 'indexed', archive: `${good.file}:${good.offset}:${good.length}` });
    await ledger.record(url(3), { state: 'parsed', archive: 'gazette-20240101000000-gone-00000.warc.gz:0:100' });

    const found = await verifyArchive({ archive, context, crawl });
    expect(found.checked).toBe(4);
    expect(found.ok).toBe(2);
    expect(found.bad.map((b) => [b.where, b.url, b.reason]).sort()).toEqual([
      ['ledger', url(3), 'archive-not-found'],
      ['parse:waiting', url(2), 'archive-corrupt'],
    ]);
    expect(found.refetched).toBe(0);

    const repaired = await verifyArchive({ archive, context, crawl, repair: true });
    expect(repaired.refetched).toBe(2);
    expect(repaired.removedJobs).toBe(1);
    const parseQueue = openQueue(context, 'parse');
    expect(await parseQueue.getJob('drifted')).toBeUndefined();
    expect(await parseQueue.getJob('good')).toBeDefined();
    const crawlQueue = openQueue(context, 'crawl');
    const crawlJobs = await crawlQueue.getJobs(['waiting']);
    expect(crawlJobs.map((j) => j.data.url).sort()).toEqual([url(2), url(3)]);
    expect(crawlJobs.every((j) => j.data.force === true)).toBe(true);
    // Repairing again queues nothing twice (the fresh fetches are still waiting under their ids).
    await verifyArchive({ archive, context, crawl, repair: true });
    expect(await crawlQueue.getJobCounts('waiting')).toEqual({ waiting: 2 });
    await Promise.all([parseQueue.close(), crawlQueue.close()]);
  });
});
