/**
 * Attacks on the crawler, each through a real crawl worker (BullMQ on the real Redis) running the
 * crawl step against hostile servers on 127.0.0.1/8: the outcome, the reason code, the number of
 * attempts spent, and what reached a server that should not have been reached.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DelayedError, Job, Queue, type Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WarcArchive } from '@gazette/archive';
import { createFetcher, RobotsCache, type Fetcher } from '@gazette/fetch';
import { startHostileServer, type HostileServer } from '@gazette/fetch/testing';
import { HostPoliteness, SeenSet } from '@gazette/frontier';
import { createRedis, createWorker, Producer } from '@gazette/jobs';
import { createLogger } from '@gazette/logger';
import { crawlStep, PageLedger } from '@gazette/pipeline';
import type { RedisConnection } from '@gazette/jobs';

const prefix = `test-security-crawl-${randomUUID().slice(0, 8)}`;
let redis: RedisConnection;
let site: HostileServer;
/** A server on 127.0.0.2, which the crawler's allow list (127.0.0.1) does not cover. */
let victim: HostileServer;
let fetcher: Fetcher;
let archiveDir: string;
let archive: WarcArchive;
let worker: Worker;
let queue: Queue;
let crawl: Producer<'crawl'>;
let parse: Producer<'parse'>;
let politeness: HostPoliteness;
const settled = new Map<string, (outcome: 'failed' | 'completed') => void>();

beforeAll(async () => {
  redis = createRedis(process.env.REDIS_URL!);
  site = await startHostileServer();
  victim = await startHostileServer({ host: '127.0.0.2' });
  fetcher = createFetcher({ allow: ['127.0.0.1'], headersTimeoutMs: 500, totalTimeoutMs: 3_000 });
  archiveDir = await mkdtemp(join(tmpdir(), 'gazette-security-'));
  archive = new WarcArchive({ dir: archiveDir });
  const context = { connection: redis, prefix };
  crawl = new Producer('crawl', context);
  parse = new Producer('parse', context);
  queue = new Queue('crawl', { connection: redis, prefix });
  politeness = new HostPoliteness({ redis, prefix: `${prefix}:polite:`, minIntervalMs: 0 });
  const robots = new RobotsCache({ fetcher, redis, prefix: `${prefix}:robots:` });
  const seen = new SeenSet({ redis, prefix: `${prefix}:seen:` });
  const ledger = new PageLedger(redis, prefix);
  worker = createWorker(
    'crawl',
    (payload, { job, log, token }) =>
      crawlStep(payload, {
        fetcher,
        robots,
        politeness,
        minIntervalMs: 0,
        maxConcurrencyPerHost: 4,
        seen,
        archive,
        parse,
        crawl,
        ledger,
        log,
        delayUntil: async (at) => {
          await job.moveToDelayed(at, token);
          throw new DelayedError();
        },
      }),
    { context, logger: createLogger({ name: 'security-test', level: 'silent' }), concurrency: 4 },
  );
  // The site's own robots.txt (a Crawl-delay) would slow every case down: none here.
  site.route('/robots.txt', (_req, res) => {
    res.writeHead(404);
    res.end();
  });
  worker.on('failed', (job) => job?.id && settled.get(job.id)?.('failed'));
  worker.on('completed', (job) => job.id && settled.get(job.id)?.('completed'));
});

afterAll(async () => {
  await worker.close();
  await Promise.all([crawl.close(), parse.close(), queue.close()]);
  await queue.obliterate({ force: true }).catch(() => undefined);
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
  await archive.close();
  await fetcher.close();
  await Promise.all([site.close(), victim.close()]);
  await rm(archiveDir, { recursive: true, force: true });
});

interface Settled {
  outcome: 'failed' | 'completed';
  state: string;
  attempts: number;
  reason: string | null;
}

/** Queue one crawl job (raw: no producer-side validation) and wait for its first attempt to end. */
async function crawlOnce(url: string): Promise<Settled> {
  const id = randomUUID();
  const done = new Promise<'failed' | 'completed'>((resolve) => settled.set(id, resolve));
  await queue.add('crawl', { url, depth: 0 }, { jobId: id, attempts: 5, backoff: { type: 'gazette', delay: 60_000 } });
  const outcome = await done;
  const job = (await Job.fromId(queue, id))!;
  const reason = /^\[([\w-]+)\]/.exec(job.failedReason ?? '')?.[1] ?? null;
  return { outcome, state: await job.getState(), attempts: job.attemptsMade, reason };
}

const permanentOnce = (reason: string) => ({ outcome: 'failed', state: 'failed', attempts: 1, reason });

describe('the network guard', () => {
  it.each([
    'http://127.0.0.2:PORT/x',
    'http://0x7f.0.0.2:PORT/x',
    'http://2130706434:PORT/x',
    'http://127.2:PORT/x',
    'http://[::ffff:127.0.0.2]:PORT/x',
    'http://[::ffff:7f00:2]:PORT/x',
    'http://[::ffff:0:a9fe:a9fe]/latest/meta-data',
    'http://[64:ff9b::a9fe:a9fe]/latest/meta-data',
    'http://[64:ff9b:1::a9fe:a9fe]/latest/meta-data',
    'http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/',
    'http://169.254.169.254/latest/meta-data/',
    'http://[::1]:PORT/x',
  ])('refuses %s once, permanently, as blocked-address, and nothing reaches it', async (template) => {
    const before = victim.requests.length;
    const result = await crawlOnce(template.replace('PORT', String(victim.port)));
    expect(result).toEqual(permanentOnce('blocked-address'));
    expect(victim.requests.length).toBe(before);
  });

  it('refuses a redirect from an allowed host to a blocked one', async () => {
    site.route('/to-victim', (_req, res) => {
      res.writeHead(302, { location: `http://127.0.0.2:${victim.port}/secret` });
      res.end();
    });
    const before = victim.requests.length;
    expect(await crawlOnce(`${site.origin}/to-victim`)).toEqual(permanentOnce('blocked-address'));
    expect(victim.requests.length).toBe(before);
  });
});

describe('URLs the crawler does not fetch', () => {
  it.each(['file:///etc/passwd', 'javascript:alert(1)', 'gopher://127.0.0.1:70/_x', 'ftp://example.org/a'])(
    'fails %s once at the queue boundary',
    async (url) => {
      expect(await crawlOnce(url)).toEqual(permanentOnce('invalid-payload'));
    },
  );

  it('fails a URL with credentials once as bad-url', async () => {
    expect(await crawlOnce(`http://user:pw@127.0.0.1:${site.port}/x`)).toEqual(permanentOnce('bad-url'));
  });
});

describe('robots.txt', () => {
  it('obeys Disallow at the top of a 10 MB robots.txt: the page is never fetched', async () => {
    const host = await startHostileServer();
    try {
      const big = `User-agent: *\nDisallow: /\n${'# padding\n'.repeat(1024 * 1024)}`;
      host.route('/robots.txt', (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end(big);
      });
      expect(await crawlOnce(`${host.origin}/2025/01/01/forbidden`)).toEqual(permanentOnce('robots-disallowed'));
      expect(host.requests).toEqual(['GET /robots.txt']);
    } finally {
      await host.close();
    }
  });

  it('treats a robots.txt answering 503 as disallow-all, retryable', async () => {
    const host = await startHostileServer();
    try {
      host.route('/robots.txt', (_req, res) => {
        res.writeHead(503);
        res.end();
      });
      const result = await crawlOnce(`${host.origin}/page`);
      expect(result).toMatchObject({ outcome: 'failed', state: 'delayed', attempts: 1, reason: 'robots-unavailable' });
      expect(host.requests).toEqual(['GET /robots.txt']);
    } finally {
      await host.close();
    }
  });
});

describe('hostile responses', () => {
  it('fails a 1 MB response header once as headers-too-large', async () => {
    site.route('/big-header', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html', 'x-filler': 'a'.repeat(1024 * 1024) });
      res.end('<p>x</p>');
    });
    expect(await crawlOnce(`${site.origin}/big-header`)).toEqual(permanentOnce('headers-too-large'));
  });

  it('fails a gzip bomb once as decompression-bomb', async () => {
    expect(await crawlOnce(`${site.origin}/bomb`)).toEqual(permanentOnce('decompression-bomb'));
  });

  it('fails a redirect loop once', async () => {
    site.route('/loop-a', (_req, res) => {
      res.writeHead(302, { location: '/loop-b' });
      res.end();
    });
    site.route('/loop-b', (_req, res) => {
      res.writeHead(302, { location: '/loop-a' });
      res.end();
    });
    expect(await crawlOnce(`${site.origin}/loop-a`)).toEqual(permanentOnce('redirect-loop'));
  });

  it('times out a server that never answers, and keeps the retry for later', async () => {
    expect(await crawlOnce(`${site.origin}/slow-headers`)).toMatchObject({
      outcome: 'failed',
      state: 'delayed',
      attempts: 1,
      reason: 'timeout-headers',
    });
  });

  it('refuses an endless body by size or time, never hangs', async () => {
    const result = await crawlOnce(`${site.origin}/endless`);
    expect(result.outcome).toBe('failed');
    expect(result.attempts).toBe(1);
    expect(['timeout-total', 'too-large']).toContain(result.reason);
  });

  it('gives a server asking for a day and more off up, once, and parks its host', async () => {
    const host = await startHostileServer();
    try {
      host.route('/robots.txt', (_req, res) => {
        res.writeHead(404);
        res.end();
      });
      host.route('/busy', (_req, res) => {
        res.writeHead(429, { 'retry-after': '99999' });
        res.end();
      });
      expect(await crawlOnce(`${host.origin}/busy`)).toEqual(permanentOnce('retry-after-too-long'));
      const parked = await redis.pttl(`${prefix}:polite:next:{127.0.0.1}`);
      expect(parked).toBeGreaterThan(23 * 3600_000);
      // Another page of the parked host waits (delayed, no attempt spent) instead of being fetched.
      const requestsBefore = host.requests.length;
      host.route('/other', (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<p>x</p>');
      });
      const id = randomUUID();
      await queue.add('crawl', { url: `${host.origin}/other`, depth: 0 }, { jobId: id, attempts: 5 });
      const job = await waitForState(id, 'delayed');
      expect(job.attemptsMade).toBe(0);
      expect(host.requests.length).toBe(requestsBefore);
    } finally {
      await redis.del(`${prefix}:polite:next:{127.0.0.1}`);
      await host.close();
    }
  });
});

/** Wait until a job reaches `state`, on BullMQ's own events. */
async function waitForState(id: string, state: string): Promise<Job> {
  const { QueueEvents } = await import('bullmq');
  const events = new QueueEvents('crawl', { connection: redis.duplicate(), prefix });
  try {
    await events.waitUntilReady();
    const reached = new Promise<void>((resolve) => {
      events.on(state as 'delayed', ({ jobId }) => jobId === id && resolve());
    });
    const job = (await Job.fromId(queue, id))!;
    if ((await job.getState()) !== state) await reached;
    return (await Job.fromId(queue, id))!;
  } finally {
    await events.close();
  }
}
