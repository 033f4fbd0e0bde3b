/** The page ledger on the real Redis: one atomic write per state, validators carried over. */
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { deleteKeysWithPrefix } from '@gazette/devstack';
import { createRedis } from '@gazette/jobs';
import { PageLedger } from './index.ts';

const prefix = `ledger-test-${randomBytes(4).toString('hex')}`;
const redis = createRedis(process.env.REDIS_URL!);
const ledger = new PageLedger(redis, prefix);

afterAll(async () => {
  await deleteKeysWithPrefix(redis, `${prefix}:`);
  await redis.quit();
});

describe('PageLedger', () => {
  it('keeps validators and the article id across later states unless an update names them', async () => {
    const url = 'https://news.example/a/café?x=1';
    await ledger.record(url, { state: 'fetched', etag: '"v1"', lastModified: 'Tue, 01 Jul 2025 10:00:00 GMT' });
    await ledger.record(url, { state: 'parsed', articleId: 'abc' });
    await ledger.record(url, { state: 'indexed' });
    expect(await ledger.get(url)).toMatchObject({
      url,
      state: 'indexed',
      etag: '"v1"',
      lastModified: 'Tue, 01 Jul 2025 10:00:00 GMT',
      articleId: 'abc',
    });

    // A failure keeps its reason; the next success drops it.
    await ledger.record(url, { state: 'fetch-failed', reason: 'http-503' });
    expect((await ledger.get(url))?.reason).toBe('http-503');
    await ledger.record(url, { state: 'fetched', etag: '"v2"' });
    const after = await ledger.get(url);
    expect(after).toMatchObject({ state: 'fetched', etag: '"v2"', articleId: 'abc' });
    expect(after?.reason).toBeUndefined();

    // Naming a field as undefined clears it.
    await ledger.record(url, { state: 'fetched', etag: undefined, lastModified: undefined });
    const cleared = await ledger.get(url);
    expect(cleared?.etag).toBeUndefined();
    expect(cleared?.lastModified).toBeUndefined();
    expect(cleared?.articleId).toBe('abc');
  });

  it('leaves an entry already in the guard state for the same article as it is', async () => {
    const url = 'https://news.example/redelivered';
    await ledger.record(url, { state: 'fetched', archive: 'a.warc.gz:0:10' });
    expect(await ledger.record(url, { state: 'parsed', articleId: 'abc' }, { unlessAlready: 'indexed' })).toBe(true);
    await ledger.record(url, { state: 'indexed' });
    // The same parse again (its process died after queueing the index job, which has run since).
    expect(await ledger.record(url, { state: 'parsed', articleId: 'abc' }, { unlessAlready: 'indexed' })).toBe(false);
    expect(await ledger.get(url)).toMatchObject({ state: 'indexed', articleId: 'abc', archive: 'a.warc.gz:0:10' });
    // Another article from the same URL is written.
    expect(await ledger.record(url, { state: 'parsed', articleId: 'def' }, { unlessAlready: 'indexed' })).toBe(true);
    expect(await ledger.get(url)).toMatchObject({ state: 'parsed', articleId: 'def', archive: 'a.warc.gz:0:10' });
    // An entry with no previous value is written whatever the guard.
    const fresh = 'https://news.example/fresh';
    expect(await ledger.record(fresh, { state: 'parsed', articleId: 'abc' }, { unlessAlready: 'indexed' })).toBe(true);
  });

  it('takes concurrent writers for many URLs without losing any, and counts them by state', async () => {
    const urls = Array.from({ length: 300 }, (_, i) => `https://news.example/story-${i}`);
    await Promise.all(urls.map((url) => ledger.record(url, { state: 'fetched', etag: `"${url}"` })));
    await Promise.all(urls.map((url, i) => ledger.record(url, { state: i % 3 ? 'indexed' : 'not-article' })));
    const counts = await ledger.countByState();
    expect(counts.indexed).toBe(200);
    expect(counts['not-article']).toBe(100);
    for (const url of urls.slice(0, 5)) expect((await ledger.get(url))?.etag).toBe(`"${url}"`);
  });
});
