import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PermanentError } from '@gazette/errors';
import { createFetcher, type Fetcher } from './fetcher.ts';
import { RobotsCache, robotsDecisionToError } from './robots.ts';
import { startHostileServer, type HostileServer } from './testing/hostile-server.ts';

/** RFC 9309 on robots.txt files that are too large, unreadable or behind the network guard. */
let server: HostileServer;
let fetcher: Fetcher;

beforeAll(async () => {
  server = await startHostileServer();
  fetcher = createFetcher({ allow: ['127.0.0.1'], maxBodyBytes: 1024 * 1024 });
});

afterAll(async () => {
  await fetcher.close();
  await server.close();
});

const serve = (body: Buffer | string, headers: Record<string, string> = {}, status = 200) =>
  server.route('/robots.txt', (_req, res) => {
    res.writeHead(status, { 'content-type': 'text/plain', ...headers });
    res.end(body);
  });

describe('robots.txt larger than the body cap', () => {
  it('parses the first 500 KiB instead of allowing everything', async () => {
    // 10 MB: far over the 1 MB body cap; the rules come first, then filler comments.
    const head = 'User-agent: *\nDisallow: /\n';
    serve(head + '# filler\n'.repeat((10 * 1024 * 1024) / 9));
    const cache = new RobotsCache({ fetcher });
    expect(await cache.check(`${server.origin}/2025/01/01/forbidden-story`)).toMatchObject({
      allowed: false,
      reason: 'robots-disallowed',
    });
  });

  it('reads rules anywhere within the first 500 KiB, and no rule after it', async () => {
    const filler = '# x\n'.repeat(100 * 1024); // 400 KiB
    serve(`User-agent: *\n${filler}Disallow: /early\n${'# y\n'.repeat(100 * 1024)}Disallow: /late\n`);
    const cache = new RobotsCache({ fetcher });
    expect((await cache.check(`${server.origin}/early/a`)).reason).toBe('robots-disallowed');
    expect((await cache.check(`${server.origin}/late/a`)).reason).toBe('ok');
  });
});

describe('robots.txt that cannot be read', () => {
  it('treats a corrupt gzip robots.txt as unreachable (disallow), not allow-all', async () => {
    serve(Buffer.concat([gzipSync('User-agent: *\nDisallow: /\n').subarray(0, 12), Buffer.alloc(64, 7)]), {
      'content-encoding': 'gzip',
    });
    const cache = new RobotsCache({ fetcher });
    expect(await cache.check(`${server.origin}/a`)).toEqual({ allowed: false, reason: 'robots-unavailable' });
  });

  it('treats a decompression bomb as unreachable (disallow)', async () => {
    serve(gzipSync(Buffer.alloc(64 * 1024 * 1024)), { 'content-encoding': 'gzip' });
    const small = createFetcher({ allow: ['127.0.0.1'], maxDecompressedBytes: 256 * 1024 });
    try {
      // The decoded-size cap (256 KiB here) trips before the 500 KiB read completes.
      const cache = new RobotsCache({ fetcher: small });
      const decision = await cache.check(`${server.origin}/a`);
      expect(decision.reason).toBe('robots-unavailable');
    } finally {
      await small.close();
    }
  });

  it('reads invalid UTF-8 around the rules instead of giving up', async () => {
    serve(Buffer.concat([Buffer.from('User-agent: *\n# \xff\xfe\n', 'latin1'), Buffer.from('Disallow: /x\n')]));
    const cache = new RobotsCache({ fetcher });
    expect((await cache.check(`${server.origin}/x/1`)).reason).toBe('robots-disallowed');
    expect((await cache.check(`${server.origin}/y/1`)).reason).toBe('ok');
  });

  it('5xx means disallow everything; 4xx means allow everything', async () => {
    serve('', {}, 503);
    expect((await new RobotsCache({ fetcher }).check(`${server.origin}/a`)).reason).toBe('robots-unavailable');
    serve('', {}, 404);
    expect((await new RobotsCache({ fetcher }).check(`${server.origin}/a`)).reason).toBe('ok');
  });
});

describe('robots.txt of a host the network guard refuses', () => {
  it('is a permanent blocked-address verdict, and nothing reaches the host', async () => {
    const guarded = createFetcher(); // 127.0.0.1 not allowed
    try {
      const before = server.requests.length;
      const cache = new RobotsCache({ fetcher: guarded });
      const decision = await cache.check(`${server.origin}/a`);
      expect(decision).toEqual({ allowed: false, reason: 'blocked-address' });
      const error = robotsDecisionToError(`${server.origin}/a`, decision);
      expect(error).toBeInstanceOf(PermanentError);
      expect(error.reason).toBe('blocked-address');
      expect(server.requests.length).toBe(before);
    } finally {
      await guarded.close();
    }
  });
});
