import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PermanentError, RetryableError } from '@gazette/errors';
import { createFetcher, type Fetcher } from './fetcher.ts';
import { RobotsCache, RobotsTxt, robotsDecisionToError } from './robots.ts';
import { startHostileServer, type HostileServer } from './testing/hostile-server.ts';

const UA = 'GazetteBot/0.1 (+https://github.com/gazette)';

describe('RobotsTxt (RFC 9309 matching)', () => {
  it('uses the longest match, allow winning ties', () => {
    const robots = new RobotsTxt(
      ['User-agent: *', 'Disallow: /news', 'Allow: /news/public', 'Disallow: /tie', 'Allow: /tie'].join('\n'),
    );
    expect(robots.isAllowed('/news/x', UA)).toBe(false);
    expect(robots.isAllowed('/news/public/x', UA)).toBe(true);
    expect(robots.isAllowed('/tie', UA)).toBe(true);
    expect(robots.isAllowed('/other', UA)).toBe(true);
  });

  it('supports * and $ wildcards', () => {
    const robots = new RobotsTxt(['User-agent: *', 'Disallow: /*.pdf$', 'Disallow: /search*q=', 'Allow: /'].join('\n'));
    expect(robots.isAllowed('/files/a.pdf', UA)).toBe(false);
    expect(robots.isAllowed('/files/a.pdf?x=1', UA)).toBe(true);
    expect(robots.isAllowed('/search?lang=en&q=x', UA)).toBe(false);
    expect(robots.isAllowed('/search', UA)).toBe(true);
  });

  it('selects the group of our product token, case-insensitively, merging duplicate groups', () => {
    const robots = new RobotsTxt(
      [
        'User-agent: *',
        'Disallow: /',
        '',
        'User-agent: otherbot',
        'User-agent: gazettebot',
        'Disallow: /a',
        '',
        'User-agent: GazetteBot/2.0',
        'Disallow: /b',
        'Crawl-delay: 1.5',
      ].join('\n'),
    );
    expect(robots.isAllowed('/a', UA)).toBe(false);
    expect(robots.isAllowed('/b', UA)).toBe(false);
    expect(robots.isAllowed('/c', UA)).toBe(true);
    expect(robots.isAllowed('/c', 'SomeoneElse/1.0')).toBe(false);
    expect(robots.crawlDelayMs(UA)).toBe(1500);
    expect(robots.crawlDelayMs('SomeoneElse')).toBeUndefined();
  });

  it('ignores empty disallow, comments and rules outside groups; always allows /robots.txt', () => {
    const robots = new RobotsTxt(
      ['Disallow: /orphan', '# comment', 'User-agent: * # everyone', 'Disallow:', 'Disallow: /'].join('\r\n'),
    );
    expect(robots.isAllowed('/orphan', UA)).toBe(false);
    expect(robots.isAllowed('/robots.txt', UA)).toBe(true);
    expect(new RobotsTxt('User-agent: *\nDisallow:\n').isAllowed('/x', UA)).toBe(true);
  });

  it('normalises percent-encoding on both sides', () => {
    const robots = new RobotsTxt(['User-agent: *', 'Disallow: /caf%c3%a9', 'Disallow: /ü'].join('\n'));
    expect(robots.isAllowed('https://x.test/caf%C3%A9/menu', UA)).toBe(false);
    expect(robots.isAllowed('https://x.test/%C3%BC', UA)).toBe(false);
    expect(robots.isAllowed('https://x.test/u', UA)).toBe(true);
  });

  it('collects Sitemap lines wherever they are', () => {
    const robots = new RobotsTxt('Sitemap: https://x.test/a.xml\nUser-agent: *\nDisallow: /x\nSitemap: /b.xml\n');
    expect(robots.sitemaps).toEqual(['https://x.test/a.xml', '/b.xml']);
  });
});

describe('RobotsCache (in-process) against the hostile server', () => {
  let server: HostileServer;
  let fetcher: Fetcher;

  beforeAll(async () => {
    server = await startHostileServer();
    fetcher = createFetcher({ allow: ['127.0.0.1'] });
  });
  afterAll(async () => {
    await fetcher.close();
    await server.close();
  });

  it('honours Disallow, Allow and Crawl-delay (capped) for our group, fetching robots.txt once', async () => {
    const cache = new RobotsCache({ fetcher, maxCrawlDelayMs: 1_000 });
    const disallowed = await cache.check(`${server.origin}/private/report`);
    expect(disallowed).toEqual({ allowed: false, reason: 'robots-disallowed', crawlDelayMs: 1_000 });
    expect(robotsDecisionToError('u', disallowed)).toBeInstanceOf(PermanentError);
    expect(await cache.check(`${server.origin}/private/public-note`)).toMatchObject({ allowed: true });
    expect(await cache.check(`${server.origin}/2025/07/26/story`)).toMatchObject({ allowed: true, reason: 'ok' });
    expect(await cache.sitemaps(server.origin)).toEqual([`${server.origin}/news-sitemap.xml`]);
    expect(server.requests.filter((r) => r === 'GET /robots.txt')).toHaveLength(1);
  });

  it('treats 4xx robots as allow-all and 5xx as disallowed for now (retryable)', async () => {
    const cache = new RobotsCache({ fetcher, userAgent: 'GazetteBot' });
    server.route('/robots.txt', (_req, res) => {
      res.writeHead(404);
      res.end();
    });
    expect(await cache.check(`${server.origin}/anything`)).toEqual({ allowed: true, reason: 'ok' });

    const other = await startHostileServer();
    try {
      other.route('/robots.txt', (_req, res) => {
        res.writeHead(503);
        res.end();
      });
      const decision = await cache.check(`${other.origin}/anything`);
      expect(decision).toEqual({ allowed: false, reason: 'robots-unavailable' });
      expect(robotsDecisionToError('u', decision)).toBeInstanceOf(RetryableError);
    } finally {
      await other.close();
    }
  });
});
