import { describe, expect, it } from 'vitest';
import { extractLinks, scanHtml } from './html.ts';

const PAGE = `<!doctype html><html><head>
<title> Front  page </title>
<base href="https://news.test/world/">
<link rel="canonical" href="/world/?utm_source=x">
<link rel="alternate" type="application/rss+xml" title="World" href="/world/rss.xml">
<link rel="alternate" hreflang="fr" href="/fr/">
<meta property="og:type" content="website">
<script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"WebSite"},{"@type":["CollectionPage"]}]}</script>
<script>var x = '<a href="/not-a-link">';</script>
</head><body>
<a href="2025/07/26/story-one#comments">Story <b>one</b></a>
<a href="/2025/07/26/story-two?utm_campaign=x" rel="nofollow">Two</a>
<a href="https://news.test/world/2025/07/26/story-one">dup</a>
<a href="mailto:x@y.z">mail</a><a href="javascript:void(0)">js</a><a href="#top">top</a><a>no href</a>
<map><area href="/map-target"></map>
<a href="https://other.test/x">other</a>
</body></html>`;

describe('extractLinks', () => {
  it('resolves against <base>, normalises, drops fragments and non-http schemes, dedupes', () => {
    const links = extractLinks(PAGE, 'https://news.test/');
    expect(links.map((l) => l.url)).toEqual([
      'https://news.test/world/2025/07/26/story-one',
      'https://news.test/2025/07/26/story-two',
      'https://news.test/map-target',
      'https://other.test/x',
    ]);
    expect(links[0]).toMatchObject({ text: 'Story one', nofollow: false });
    expect(links[1]).toMatchObject({ nofollow: true });
    expect(links.some((l) => l.url.includes('not-a-link'))).toBe(false);
  });

  it('applies the trailing slash policy', () => {
    const links = extractLinks('<a href="/section/">s</a>', 'https://news.test/', { trailingSlash: 'strip' });
    expect(links[0]?.url).toBe('https://news.test/section');
  });
});

describe('scanHtml', () => {
  it('collects feeds, canonical, title and metadata signals', () => {
    const scan = scanHtml(PAGE, 'https://news.test/');
    expect(scan.title).toBe('Front page');
    expect(scan.canonical).toBe('https://news.test/world/');
    expect(scan.feeds).toEqual([
      { url: 'https://news.test/world/rss.xml', type: 'application/rss+xml', title: 'World' },
    ]);
    expect(scan.ogType).toBe('website');
    expect(scan.jsonLdTypes).toEqual(['WebSite', 'CollectionPage']);
    expect(scan.linkTextChars).toBeGreaterThan(0);
  });
});
