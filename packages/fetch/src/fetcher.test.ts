import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PermanentError, RetryableError } from '@gazette/errors';
import { createFetcher, type Fetcher } from './fetcher.ts';
import { outcomeToError } from './outcome.ts';
import { ARTICLE_HTML, LATIN1_BYTES, startHostileServer, type HostileServer } from './testing/hostile-server.ts';

let server: HostileServer;
let fetcher: Fetcher;

beforeAll(async () => {
  server = await startHostileServer();
  fetcher = createFetcher({
    allow: ['127.0.0.1'],
    headersTimeoutMs: 500,
    totalTimeoutMs: 2_000,
  });
});

afterAll(async () => {
  await fetcher.close();
  await server.close();
});

describe('fetcher against a hostile server', () => {
  it('fetches a page and records status, headers, bytes and timings', async () => {
    const out = await fetcher.fetch(`${server.origin}/ok#frag`);
    expect(out).toMatchObject({ ok: true, reason: 'ok', status: 200, notModified: false, redirects: [] });
    expect(out.finalUrl).toBe(`${server.origin}/ok`);
    expect(out.body?.toString()).toBe(ARTICLE_HTML);
    expect(out.bytes).toBe(Buffer.byteLength(ARTICLE_HTML));
    expect(out.headers['content-type']).toMatch(/text\/html/);
    expect(out.timings.totalMs).toBeGreaterThanOrEqual(0);
    expect(out.timings.headersMs).not.toBeNull();
    expect(server.requests.at(-1)).toBe('GET /ok');
  });

  it('sends the configured user agent', async () => {
    let seen = '';
    server.route('/ua', (req, res) => {
      seen = req.headers['user-agent'] ?? '';
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
    });
    await fetcher.fetch(`${server.origin}/ua`);
    expect(seen).toMatch(/^GazetteBot\//);
  });

  it('times out slow headers', async () => {
    const out = await fetcher.fetch(`${server.origin}/slow-headers`);
    expect(out).toMatchObject({ ok: false, reason: 'timeout-headers', status: null });
    expect(outcomeToError(out)).toBeInstanceOf(RetryableError);
  });

  it('gives up on a body that never ends (total timeout)', async () => {
    const out = await fetcher.fetch(`${server.origin}/endless`);
    expect(out).toMatchObject({ ok: false, reason: 'timeout-total', status: 200, body: null });
    expect(outcomeToError(out)).toBeInstanceOf(RetryableError);
  });

  it('refuses a gzip bomb while decoding', async () => {
    const out = await fetcher.fetch(`${server.origin}/bomb`);
    expect(out).toMatchObject({ ok: false, reason: 'decompression-bomb', status: 200, body: null });
    expect(outcomeToError(out)).toBeInstanceOf(PermanentError);
  });

  it('caps an undeclared huge body while streaming', async () => {
    const out = await fetcher.fetch(`${server.origin}/huge`);
    expect(out).toMatchObject({ ok: false, reason: 'too-large', status: 200 });
  });

  it('refuses a declared huge body before reading it', async () => {
    const out = await fetcher.fetch(`${server.origin}/huge-declared`);
    expect(out).toMatchObject({ ok: false, reason: 'too-large' });
    expect(outcomeToError(out)).toBeInstanceOf(PermanentError);
  });

  it.each(['/gzip', '/br', '/deflate-raw'])('decodes content-encoding (%s)', async (path) => {
    const out = await fetcher.fetch(`${server.origin}${path}`);
    expect(out.reason).toBe('ok');
    expect(out.body?.toString()).toBe(ARTICLE_HTML);
    expect(out.wireBytes).toBeLessThan(out.bytes);
  });

  it('detects a redirect loop and records the hops', async () => {
    const out = await fetcher.fetch(`${server.origin}/loop-a`);
    expect(out.reason).toBe('redirect-loop');
    expect(out.redirects).toEqual([`${server.origin}/loop-b`, `${server.origin}/loop-a`]);
    expect(outcomeToError(out)).toBeInstanceOf(PermanentError);
  });

  it('stops after maxRedirects hops', async () => {
    const f = createFetcher({ allow: ['127.0.0.1'], maxRedirects: 2 });
    try {
      // hop(n) answers with n + 1 redirects before /ok.
      const hop = (n: number): string => `/redirect-to?to=${encodeURIComponent(n === 0 ? '/ok' : hop(n - 1))}`;
      const out = await f.fetch(`${server.origin}${hop(2)}`);
      expect(out.reason).toBe('too-many-redirects');
      expect(out.redirects).toHaveLength(2);
      const fine = await f.fetch(`${server.origin}${hop(1)}`);
      expect(fine.reason).toBe('ok');
      expect(fine.finalUrl).toBe(`${server.origin}/ok`);
      expect(fine.redirects).toHaveLength(2);
    } finally {
      await f.close();
    }
  });

  it('reports 429 with Retry-After as retryable after that delay', async () => {
    const out = await fetcher.fetch(`${server.origin}/too-limited`);
    expect(out).toMatchObject({ ok: false, reason: 'http-429', status: 429, retryAfterMs: 7_000 });
    const error = outcomeToError(out);
    expect(error).toBeInstanceOf(RetryableError);
    expect((error as RetryableError).retryAfterMs).toBe(7_000);
  });

  it('reports 503 as retryable, and the next fetch succeeds', async () => {
    const first = await fetcher.fetch(`${server.origin}/flaky`);
    expect(first).toMatchObject({ ok: false, reason: 'http-5xx', status: 503 });
    expect(outcomeToError(first)).toBeInstanceOf(RetryableError);
    const second = await fetcher.fetch(`${server.origin}/flaky`);
    expect(second).toMatchObject({ ok: true, reason: 'ok', status: 200 });
  });

  it.each([
    ['/nowhere', 'http-404', 404],
    ['/gone', 'http-410', 410],
    ['/teapot', 'http-4xx', 418],
  ])('maps %s to a permanent %s', async (path, reason, status) => {
    const out = await fetcher.fetch(`${server.origin}${path}`);
    expect(out).toMatchObject({ ok: false, reason, status, body: null });
    expect(outcomeToError(out)).toBeInstanceOf(PermanentError);
  });

  it('refuses a content type outside the allowlist', async () => {
    const out = await fetcher.fetch(`${server.origin}/pdf`);
    expect(out).toMatchObject({ ok: false, reason: 'content-type', status: 200 });
    expect(outcomeToError(out)).toBeInstanceOf(PermanentError);
    const anyType = await fetcher.fetch(`${server.origin}/pdf`, { contentTypes: null });
    expect(anyType.reason).toBe('ok');
  });

  it('returns body bytes intact whatever the charset header claims', async () => {
    const out = await fetcher.fetch(`${server.origin}/wrong-charset`);
    expect(out.reason).toBe('ok');
    expect(out.headers['content-type']).toContain('charset=utf-8');
    expect(out.body?.equals(LATIN1_BYTES)).toBe(true);
  });

  it('sends validators and reports 304 as not modified', async () => {
    const first = await fetcher.fetch(`${server.origin}/etag`);
    expect(first.headers['etag']).toBe('"v1"');
    const again = await fetcher.fetch(`${server.origin}/etag`, {
      etag: first.headers['etag'],
      lastModified: first.headers['last-modified'],
    });
    expect(again).toMatchObject({ ok: true, reason: 'not-modified', notModified: true, status: 304, body: null });
    expect(() => outcomeToError(again)).toThrow(TypeError);
  });

  it('reports a caller abort', async () => {
    const controller = new AbortController();
    const pending = fetcher.fetch(`${server.origin}/slow-headers`, { signal: controller.signal });
    controller.abort();
    expect((await pending).reason).toBe('aborted');
  });

  it('refuses URLs it cannot fetch', async () => {
    expect((await fetcher.fetch('not a url')).reason).toBe('bad-url');
    expect((await fetcher.fetch('ftp://127.0.0.1/x')).reason).toBe('bad-url');
    const out = await fetcher.fetch(`${server.origin}/redirect-to?to=${encodeURIComponent('file:///etc/passwd')}`);
    expect(out.reason).toBe('bad-url');
  });
});

describe('network guard', () => {
  it('blocks a loopback target unless allowed', async () => {
    const strict = createFetcher();
    try {
      const before = server.requests.length;
      const out = await strict.fetch(`${server.origin}/ok`);
      expect(out).toMatchObject({ ok: false, reason: 'blocked-address', status: null });
      expect(outcomeToError(out)).toBeInstanceOf(PermanentError);
      expect(server.requests.length).toBe(before);
    } finally {
      await strict.close();
    }
  });

  it('blocks a hostname that resolves to loopback (checked after DNS)', async () => {
    const strict = createFetcher();
    try {
      const out = await strict.fetch(`http://localhost:${server.port}/ok`);
      expect(out.reason).toBe('blocked-address');
    } finally {
      await strict.close();
    }
  });

  it('refuses a redirect from an allowed host to a blocked one', async () => {
    const onlyLocalhost = createFetcher({ allow: ['localhost'] });
    try {
      const direct = await onlyLocalhost.fetch(`http://localhost:${server.port}/ok`);
      expect(direct.reason).toBe('ok');
      const before = server.requests.length;
      const target = `${server.origin}/ok`;
      const out = await onlyLocalhost.fetch(
        `http://localhost:${server.port}/redirect-to?to=${encodeURIComponent(target)}`,
      );
      expect(out).toMatchObject({ ok: false, reason: 'blocked-address', redirects: [target], finalUrl: target });
      // The redirect itself was served; the blocked hop never reached the server.
      expect(server.requests.slice(before)).toEqual([`GET /redirect-to?to=${encodeURIComponent(target)}`]);
    } finally {
      await onlyLocalhost.close();
    }
  });

  it.each([
    'http://169.254.169.254/latest/meta-data/',
    'http://[fd00:ec2::254]/latest/meta-data/',
    'http://[::ffff:127.0.0.1]/',
    'http://[::1]/',
    'http://0.0.0.0/',
    'http://10.1.2.3/',
  ])('blocks %s before any packet is sent', async (url) => {
    const strict = createFetcher();
    try {
      expect((await strict.fetch(url)).reason).toBe('blocked-address');
    } finally {
      await strict.close();
    }
  });
});
