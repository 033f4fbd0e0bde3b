/**
 * Run totals on the real Redis: each job of a run counts once however often it settles, and the
 * run is over when the last of its jobs settled, not before.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createRedis, scanKeys, unlinkKeys } from '@gazette/jobs';
import { RunTally } from './run-tally.ts';

const prefix = `{run-tally-test-${randomBytes(4).toString('hex')}}`;
const redis = createRedis(process.env.REDIS_URL!);
const tally = new RunTally(redis, prefix);

afterAll(async () => {
  await scanKeys(redis, `${prefix}:*`, (keys) => unlinkKeys(redis, keys).then(() => undefined));
  await redis.quit();
});

describe('run tally', () => {
  it('counts each job once and finishes with the last one', async () => {
    expect(await tally.open('r1', ['discover'])).toBe(1);
    expect(await tally.open('r1', ['crawl:a', 'crawl:b', 'crawl:a'], 'queued')).toBe(2);
    // The same job added again (a re-delivered schedule job) is neither queued nor open twice.
    expect(await tally.open('r1', ['crawl:a'], 'queued')).toBe(0);
    await tally.add('r1', { discovered: 2 });
    expect(await tally.settle('r1', 'discover', [])).toBe(2);
    expect(await tally.settle('r1', 'crawl:a', ['fetched'])).toBe(1);
    // A second settlement of the same job (re-run after a crash) adds nothing.
    expect(await tally.settle('r1', 'crawl:a', ['fetched'])).toBe(-1);
    let totals = await tally.totals('r1');
    expect(totals).toMatchObject({ discovered: 2, queued: 2, fetched: 1, open: 1, failed: {} });
    expect(totals.finishedAt).toBeUndefined();

    await tally.open('r1', ['parse:a']);
    expect(await tally.settle('r1', 'crawl:b', ['failed:http-404'])).toBe(1);
    expect(await tally.settle('r1', 'parse:a', ['notArticle'])).toBe(0);
    totals = await tally.totals('r1');
    expect(totals).toMatchObject({ fetched: 1, notArticle: 1, open: 0, failed: { 'http-404': 1 } });
    expect(totals.finishedAt).toBe(totals.lastSettledAt);
    expect(Date.parse(totals.finishedAt!)).not.toBeNaN();

    // More work for a finished run opens it again.
    await tally.open('r1', ['index:a']);
    expect((await tally.totals('r1')).finishedAt).toBeUndefined();
  });

  it('takes back a failure when its job is replayed, so the replay counts once', async () => {
    await tally.open('r2', ['crawl:a', 'crawl:b'], 'queued');
    expect(await tally.settle('r2', 'crawl:a', ['failed:http-503'])).toBe(1);
    expect(await tally.settle('r2', 'crawl:b', ['failed:http-503'])).toBe(0);
    expect((await tally.totals('r2')).finishedAt).toBeDefined();
    // A member still open, or never failed, is left alone.
    expect(await tally.reopen('r2', 'crawl:c')).toBeUndefined();

    expect(await tally.reopen('r2', 'crawl:a')).toBe('http-503');
    // Two replays racing: the second finds nothing to take back.
    expect(await tally.reopen('r2', 'crawl:a')).toBeUndefined();
    let totals = await tally.totals('r2');
    expect(totals).toMatchObject({ queued: 2, open: 1, failed: { 'http-503': 1 } });
    expect(totals.finishedAt).toBeUndefined();

    expect(await tally.settle('r2', 'crawl:a', ['fetched'])).toBe(0);
    // The replayed job re-delivered after a crash still counts once.
    expect(await tally.settle('r2', 'crawl:a', ['fetched'])).toBe(-1);
    expect(await tally.reopen('r2', 'crawl:a')).toBeUndefined();
    expect(await tally.reopen('r2', 'crawl:b')).toBe('http-503');
    expect(await tally.settle('r2', 'crawl:b', ['fetched'])).toBe(0);
    totals = await tally.totals('r2');
    expect(totals).toMatchObject({ queued: 2, fetched: 2, open: 0 });
    expect(totals.failed).toEqual({});
    expect(totals.finishedAt).toBeDefined();
  });

  it('reads an unknown run as all zero', async () => {
    expect(await tally.totals('nope')).toMatchObject({ queued: 0, indexed: 0, open: 0, failed: {} });
    expect((await tally.totals('nope')).finishedAt).toBeUndefined();
  });

  it('expires its keys', async () => {
    const ttl = await redis.ttl(`${prefix}:run:r1:totals`);
    expect(ttl).toBeGreaterThan(13 * 24 * 3600);
  });
});
