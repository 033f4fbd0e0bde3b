import { describe, expect, it } from 'vitest';
import { parseDate, parseFeed, parseSitemap } from './feeds.ts';

const BASE = 'https://news.test/feed';

describe('parseFeed', () => {
  it('parses RSS 2.0 with CDATA, entities, guid fallback and dates', () => {
    const feed = parseFeed(
      `<?xml version="1.0"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>News</title>
      <item><title>A &amp; B</title><link>https://news.test/2025/07/26/a-b?utm_source=rss</link>
        <pubDate>Sat, 26 Jul 2025 08:00:00 GMT</pubDate></item>
      <item><title><![CDATA[<b>Bold</b> move]]></title><guid isPermaLink="true">https://news.test/2025/07/25/bold</guid>
        <dc:date>2025-07-25T10:00:00+02:00</dc:date></item>
      <item><title>No link</title></item>
      </channel></rss>`,
      BASE,
    );
    expect(feed).toEqual({
      format: 'rss',
      title: 'News',
      items: [
        { url: 'https://news.test/2025/07/26/a-b', title: 'A & B', publishedAt: '2025-07-26T08:00:00.000Z' },
        {
          url: 'https://news.test/2025/07/25/bold',
          title: '<b>Bold</b> move',
          publishedAt: '2025-07-25T08:00:00.000Z',
        },
      ],
    });
  });

  it('parses Atom, preferring the html alternate link', () => {
    const feed = parseFeed(
      `<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom news</title>
      <entry><title type="html">Entry</title><link rel="enclosure" href="/a.mp3"/><link rel="alternate" type="text/html" href="/2025/07/26/entry"/>
      <published>2025-07-26T06:00:00Z</published><updated>2025-07-26T07:00:00Z</updated></entry>
      <entry><title>Updated only</title><link href="https://news.test/u"/><updated>2025-07-20T00:00:00Z</updated></entry></feed>`,
      BASE,
    );
    expect(feed?.format).toBe('atom');
    expect(feed?.title).toBe('Atom news');
    expect(feed?.items).toEqual([
      { url: 'https://news.test/2025/07/26/entry', title: 'Entry', publishedAt: '2025-07-26T06:00:00.000Z' },
      { url: 'https://news.test/u', title: 'Updated only', publishedAt: '2025-07-20T00:00:00.000Z' },
    ]);
  });

  it('resolves Atom links against xml:base, nested bases against their parent', () => {
    const feed = parseFeed(
      `<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://news.test/blog/">
      <entry><title>Relative</title><link href="2025/07/first"/></entry>
      <entry xml:base="world/"><title>Nested</title><link href="second"/></entry>
      <entry xml:base="https://other.test/x/"><title>Elsewhere</title><link href="../third"/></entry>
      <entry><title>Absolute</title><link href="https://news.test/fourth"/></entry></feed>`,
      'https://news.test/feed.xml',
    );
    expect(feed?.items.map((i) => i.url)).toEqual([
      'https://news.test/blog/2025/07/first',
      'https://news.test/blog/world/second',
      'https://other.test/third',
      'https://news.test/fourth',
    ]);
  });

  it('parses RSS 1.0 (RDF)', () => {
    const feed = parseFeed(
      `<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
      <channel><title>RDF</title></channel><item><title>R</title><link>https://news.test/r</link></item></rdf:RDF>`,
      BASE,
    );
    expect(feed).toEqual({ format: 'rdf', title: 'RDF', items: [{ url: 'https://news.test/r', title: 'R' }] });
  });

  it('parses JSON Feed', () => {
    const feed = parseFeed(
      JSON.stringify({
        version: 'https://jsonfeed.org/version/1.1',
        title: 'JSON news',
        items: [
          { id: '1', url: '/2025/07/26/json', title: 'J', date_published: '2025-07-26T05:00:00Z' },
          { id: 'https://news.test/by-id' },
          'junk',
        ],
      }),
      BASE,
    );
    expect(feed).toEqual({
      format: 'json',
      title: 'JSON news',
      items: [
        { url: 'https://news.test/2025/07/26/json', title: 'J', publishedAt: '2025-07-26T05:00:00.000Z' },
        { url: 'https://news.test/by-id' },
      ],
    });
  });

  it('returns null for anything else', () => {
    expect(parseFeed('<html><body>hi</body></html>', BASE)).toBeNull();
    expect(parseFeed('{"a":1}', BASE)).toBeNull();
    expect(parseFeed('plain', BASE)).toBeNull();
  });
});

describe('parseSitemap', () => {
  it('parses a Google News urlset', () => {
    const sitemap = parseSitemap(
      `<?xml version="1.0" encoding="UTF-8"?>
      <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"
              xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
      <url><loc>https://news.test/2025/07/26/one</loc>
        <image:image><image:loc>https://news.test/i.jpg</image:loc><image:title>Picture</image:title></image:image>
        <news:news><news:publication><news:name>N</news:name><news:language>en</news:language></news:publication>
        <news:publication_date>2025-07-26T07:00:00+01:00</news:publication_date><news:title>One &amp; only</news:title></news:news></url>
      <url><loc> https://news.test/2025/07/26/two </loc><lastmod>2025-07-26</lastmod></url>
      </urlset>`,
      'https://news.test/sitemap.xml',
    );
    expect(sitemap).toEqual({
      format: 'urlset',
      sitemaps: [],
      urls: [
        { url: 'https://news.test/2025/07/26/one', title: 'One & only', publishedAt: '2025-07-26T06:00:00.000Z' },
        { url: 'https://news.test/2025/07/26/two', lastmod: '2025-07-26T00:00:00.000Z' },
      ],
    });
  });

  it('parses a sitemap index, newest first', () => {
    const sitemap = parseSitemap(
      `<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <sitemap><loc>https://news.test/s-2025-06.xml.gz</loc><lastmod>2025-06-30</lastmod></sitemap>
      <sitemap><loc>https://news.test/s-2025-07.xml</loc><lastmod>2025-07-26</lastmod></sitemap>
      </sitemapindex>`,
      'https://news.test/sitemap.xml',
    );
    expect(sitemap?.format).toBe('sitemapindex');
    expect(sitemap?.sitemaps.map((s) => s.url)).toEqual([
      'https://news.test/s-2025-07.xml',
      'https://news.test/s-2025-06.xml.gz',
    ]);
  });

  it('returns null for a non-sitemap', () => {
    expect(parseSitemap('<rss><channel/></rss>', BASE)).toBeNull();
  });
});

describe('parseDate', () => {
  it('reads RFC 822, ISO and W3C dates, and rejects junk', () => {
    expect(parseDate('Fri, 25 Jul 2025 09:30:00 +0200')).toBe('2025-07-25T07:30:00.000Z');
    expect(parseDate('2025-07-26')).toBe('2025-07-26T00:00:00.000Z');
    // A named zone JavaScript does not know is read with the parser's table, not as GMT.
    expect(parseDate('Sat, 26 Jul 2025 10:00:00 CEST')).toBe('2025-07-26T08:00:00.000Z');
    expect(parseDate('Sat, 26 Jul 2025 10:00:00 AEST')).toBe('2025-07-26T00:00:00.000Z');
    expect(parseDate('Sat, 26 Jul 2025 15:30:00 PKT')).toBe('2025-07-26T10:30:00.000Z');
    expect(parseDate('Tue, 8 Jul 2025 1:05:00 pm EDT')).toBe('2025-07-08T17:05:00.000Z');
    expect(parseDate('2025-07-26T10:00:00.123+02:00')).toBe('2025-07-26T08:00:00.000Z');
    // RFC 822 allows two-digit years.
    expect(parseDate('Sat, 26 Jul 25 10:00:00 GMT')).toBe('2025-07-26T10:00:00.000Z');
    // The epoch as a placeholder, and no clock for relative dates.
    expect(parseDate('Thu, 01 Jan 1970 00:00:00 GMT')).toBeUndefined();
    expect(parseDate('3 hours ago')).toBeUndefined();
    expect(parseDate('yesterday')).toBeUndefined();
    expect(parseDate('')).toBeUndefined();
  });

  it('reads a date without a zone as UTC whatever the host’s zone', () => {
    const zone = process.env.TZ;
    try {
      for (const tz of ['Asia/Tokyo', 'America/Los_Angeles', 'UTC']) {
        process.env.TZ = tz;
        expect(parseDate('2025-07-26T10:00:00')).toBe('2025-07-26T10:00:00.000Z');
        expect(parseDate('Sat, 26 Jul 2025 10:00:00')).toBe('2025-07-26T10:00:00.000Z');
      }
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });
});
