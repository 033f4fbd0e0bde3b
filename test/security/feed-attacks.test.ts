/** XML attacks on the feed and sitemap parsers: external entities and entity expansion bombs. */
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { parseFeed, parseSitemap } from '@gazette/frontier';

const BASE = 'https://news.example/feed.xml';

describe('XXE', () => {
  it('never reads an external entity into a feed item', () => {
    const xml = `<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd"><!ENTITY remote SYSTEM "http://169.254.169.254/latest/meta-data/">]>
<rss version="2.0"><channel><title>t</title>
<item><title>&xxe;</title><link>https://news.example/2025/07/26/a</link><description>&remote;</description></item>
</channel></rss>`;
    const feed = parseFeed(xml, BASE);
    expect(feed?.items.map((i) => i.url)).toEqual(['https://news.example/2025/07/26/a']);
    expect(JSON.stringify(feed)).not.toMatch(/root:|ami-id|meta-data/);
  });

  it('never reads an external entity into a sitemap', () => {
    const xml = `<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY xxe SYSTEM "file:///etc/hostname">]>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://news.example/&xxe;</loc></url></urlset>`;
    const sitemap = parseSitemap(xml, BASE);
    expect(JSON.stringify(sitemap)).not.toContain(machineHostname());
  });
});

describe('entity expansion (billion laughs)', () => {
  it('does not expand nested entities: the item title stays small', () => {
    const levels = Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`).join('');
    const xml = `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY lol0 "lol">${levels}]>
<rss version="2.0"><channel><item><title>&lol9;</title><link>https://news.example/2025/07/26/b</link></item></channel></rss>`;
    const feed = parseFeed(xml, BASE);
    expect(feed?.items).toHaveLength(1);
    expect(JSON.stringify(feed).length).toBeLessThan(2_000);
  });
});

/** The machine's host name, which an XXE on /etc/hostname would leak. */
function machineHostname(): string {
  return hostname();
}
