import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { createFetcher, RobotsCache, type Fetcher } from '@gazette/fetch';
import { startHostileServer, type HostileServer } from '@gazette/fetch/testing';
import { discover } from './discover.ts';
import { parseSource } from './source.ts';

let server: HostileServer;
let fetcher: Fetcher;

beforeAll(async () => {
  server = await startHostileServer();
  fetcher = createFetcher({ allow: ['127.0.0.1'] });
  server.route('/', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(
      '<html><head><link rel="alternate" type="application/rss+xml" href="/feed.xml"></head>' +
        '<body><a href="/2025/07/26/linked">x</a></body></html>',
    );
  });
  server.route('/sitemap-index.xml', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/xml' });
    res.end(
      '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">' +
        '<sitemap><loc>/old.xml.gz</loc><lastmod>2020-01-01</lastmod></sitemap>' +
        '<sitemap><loc>/news-sitemap.xml</loc><lastmod>2025-07-26</lastmod></sitemap></sitemapindex>',
    );
  });
  server.route('/old.xml.gz', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/x-gzip' });
    res.end(
      gzipSync(
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>/2020/01/01/old</loc>' +
          '<lastmod>2020-01-01</lastmod></url></urlset>',
      ),
    );
  });
});

afterAll(async () => {
  await fetcher.close();
  await server.close();
});

describe('discover', () => {
  it('finds feed items (autodiscovered) and news sitemap entries (from robots.txt) with their dates', async () => {
    const source = parseSource({ id: 'hostile', name: 'Hostile', seeds: [`${server.origin}/`] });
    const found = await discover(source, fetcher);
    const byUrl = new Map(found.map((f) => [f.url, f.hints]));
    expect(byUrl.get(`${server.origin}/`)).toEqual({ from: 'seed' });
    expect(byUrl.get(`${server.origin}/2025/07/26/first-story`)).toEqual({
      from: 'feed',
      title: 'First & best',
      publishedAt: '2025-07-26T08:00:00.000Z',
    });
    expect(byUrl.get(`${server.origin}/2025/07/25/second-story`)).toEqual({
      from: 'feed',
      title: 'Second <story>',
      publishedAt: '2025-07-25T07:30:00.000Z',
    });
    expect(byUrl.get(`${server.origin}/2025/07/26/news-one`)).toEqual({
      from: 'sitemap',
      title: 'News one',
      publishedAt: '2025-07-26T07:00:00.000Z',
    });
    expect(byUrl.get(`${server.origin}/2025/07/26/news-two`)).toEqual({ from: 'sitemap' });
    // Links of the seed page are the crawler's business, not discovery's.
    expect(byUrl.has(`${server.origin}/2025/07/26/linked`)).toBe(false);
  });

  it('follows sitemap indexes (gzip children too) and drops entries older than `since`', async () => {
    const source = parseSource({
      id: 'hostile',
      name: 'Hostile',
      sitemaps: [`${server.origin}/sitemap-index.xml`],
      autodiscoverFeeds: false,
    });
    const all = await discover(source, fetcher, { robots: new RobotsCache({ fetcher }) });
    expect(all.map((f) => f.url)).toContain(`${server.origin}/2020/01/01/old`);
    const recent = await discover(source, fetcher, { since: new Date('2025-01-01T00:00:00Z') });
    expect(recent.map((f) => f.url).sort()).toEqual([
      `${server.origin}/2025/07/26/news-one`,
      `${server.origin}/2025/07/26/news-two`,
    ]);
  });

  it('tries common feed paths when pages advertise none, and reports problems', async () => {
    const other = await startHostileServer();
    const problems: string[] = [];
    try {
      other.route('/', (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html><body>no feeds here</body></html>');
      });
      other.route('/rss', (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/rss+xml' });
        res.end('<rss><channel><item><link>/2025/07/26/from-rss</link></item></channel></rss>');
      });
      other.route('/robots.txt', (_req, res) => {
        res.writeHead(404);
        res.end();
      });
      const source = parseSource({ id: 'other', name: 'Other', seeds: [`${other.origin}/`] });
      const found = await discover(source, fetcher, { onProblem: (p) => problems.push(`${p.what}:${p.reason}`) });
      expect(found.map((f) => f.url)).toEqual([`${other.origin}/`, `${other.origin}/2025/07/26/from-rss`]);
      expect(problems).toEqual(['robots:http-404']);
    } finally {
      await other.close();
    }
  });

  it('stops a huge gzip sitemap with a size reason, not bad-gzip', async () => {
    const other = await startHostileServer();
    const problems: string[] = [];
    try {
      // 1e6 URLs: about 60 MB of XML, a few hundred KB gzipped.
      const entry = Buffer.from('<url><loc>/2025/07/26/a-story-with-a-long-slug</loc></url>');
      const xml = Buffer.concat([
        Buffer.from('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'),
        Buffer.alloc(entry.length * 1_000_000).fill(entry),
        Buffer.from('</urlset>'),
      ]);
      const gz = gzipSync(xml, { level: 1 });
      other.route('/big.xml.gz', (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/x-gzip' });
        res.end(gz);
      });
      const source = parseSource({
        id: 'big',
        name: 'Big',
        seeds: [`${other.origin}/`],
        sitemaps: [`${other.origin}/big.xml.gz`],
        autodiscoverFeeds: false,
      });
      await discover(source, fetcher, {
        maxSitemapBytes: 8 * 1024 * 1024,
        onProblem: (p) => problems.push(`${p.what}:${p.reason}`),
      });
      expect(problems).toContain('sitemap:too-large');
      expect(problems).not.toContain('sitemap:bad-gzip');
    } finally {
      await other.close();
    }
  });
});
