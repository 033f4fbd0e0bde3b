/**
 * A genuine WordPress (Debian's package on MariaDB and PHP, started and filled by
 * infra/wordpress/wp.sh) crawled end to end with each of two themes Debian ships, a block theme and a
 * classic one: a source with the home page, the feed and the sitemap, link depth 2, through the
 * crawler, parser, indexer and api. Every post is indexed once with its text, title, author, date,
 * section, tags and Read More links; no home page, archive, static page or feed is indexed; comment
 * reply links are not followed. The site's own pages also go through the extractor one by one: an
 * archive's last page with a single excerpt is a listing, About/Contact/Privacy are static pages.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extract } from '@gazette/extract';
import {
  WP_THEMES,
  crawlWordPress,
  scoreCrawl,
  setTheme,
  startWordPress,
  stopWordPress,
  type WordPressSite,
} from '../support/wordpress.ts';

const redisUrl = process.env.REDIS_URL!;
const esUrl = process.env.ELASTICSEARCH_URL!;
const PER_PAGE = 4;

let site: WordPressSite;

beforeAll(async () => {
  site = await startWordPress();
}, 900_000);

afterAll(async () => {
  await setTheme('twentytwentythree').catch(() => undefined);
  await stopWordPress();
});

/** Archive pages whose last page holds exactly one excerpt, and other listings of the site. */
function listingUrls(): string[] {
  const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  const byCategory = new Map<string, number>();
  for (const p of site.truth.posts) byCategory.set(p.categories[0]!, (byCategory.get(p.categories[0]!) ?? 0) + 1);
  const lastPages = [...byCategory]
    .filter(([, n]) => n % PER_PAGE === 1 && n > PER_PAGE)
    .map(([name, n]) => `${site.url}/category/${slug(name)}/page/${Math.ceil(n / PER_PAGE)}/`);
  expect(lastPages.length, 'categories whose last page holds one excerpt').toBeGreaterThan(0);
  const first = site.truth.posts[0]!;
  const [y, m] = first.date.split('-');
  return [
    ...lastPages,
    `${site.url}/`,
    `${site.url}/page/2/`,
    `${site.url}/category/${slug(first.categories[0]!)}/`,
    `${site.url}/tag/${slug(first.tags[0]!)}/`,
    `${site.url}/author/${slug(first.author)}/`,
    `${site.url}/${y}/${m}/`,
    `${site.url}/?s=police`,
  ];
}

async function extractUrl(url: string) {
  const res = await fetch(url);
  expect(res.status, `GET ${url}`).toBe(200);
  return extract({
    body: new Uint8Array(await res.arrayBuffer()),
    url,
    contentType: res.headers.get('content-type') ?? 'text/html',
    fetchedAt: new Date().toISOString(),
  });
}

describe.each(WP_THEMES)('WordPress with %s', (theme) => {
  beforeAll(async () => {
    await setTheme(theme);
  });

  it('tells its listings and static pages from its posts, page by page', async () => {
    for (const url of listingUrls()) {
      const result = await extractUrl(url);
      expect(result.kind === 'not-article' && result.reason, url).toBe('listing-page');
    }
    for (const page of site.truth.pages) {
      const result = await extractUrl(page.url);
      expect(result.kind === 'not-article' && result.reason, page.url).toBe('static-page');
    }
    const post = site.truth.posts.find((p) => p.comments > 0)!;
    const result = await extractUrl(post.url);
    expect(result.kind).toBe('article');
    if (result.kind === 'article') {
      // The comment form's "Name" label and the commenters are not authors.
      expect(result.record.authors).toEqual([post.author]);
      expect(result.record.section).toBe(post.categories[0]);
      expect([...result.record.tags].sort()).toEqual([...post.tags].sort());
    }
  });

  it('crawls the site from its home page, feed and sitemap and indexes every post once, nothing else', async () => {
    const crawl = await crawlWordPress({
      site,
      redisUrl,
      esUrl,
      name: theme,
      inspect: site.truth.pages.map((p) => p.url),
    });
    const score = scoreCrawl(site.truth, crawl);
    expect(score.nonArticles).toEqual([]);
    expect(score.indexedOnce).toBe(score.posts);
    expect(score.bodyF1).toBeGreaterThanOrEqual(0.97);
    expect(score.titles).toBeGreaterThanOrEqual(0.98);
    expect(score.authors).toBeGreaterThanOrEqual(0.98);
    expect(score.dates).toBeGreaterThanOrEqual(0.98);
    expect(score.sections).toBeGreaterThanOrEqual(0.95);
    expect(score.tags).toBeGreaterThanOrEqual(0.95);
    expect(score.readMore).toBeGreaterThanOrEqual(0.95);
    // Comment "Reply" links (rel="nofollow", ?replytocom=) are never fetched.
    expect(score.replyFetches).toBe(0);
    expect(crawl.fetched.some((u) => /replytocom/.test(u))).toBe(false);
    expect(crawl.failed).toEqual([]);
    // Static pages were judged by their content and recorded with their type.
    for (const page of site.truth.pages) {
      const entry = crawl.pages.get(page.url);
      expect(entry?.state, page.url).toBe('not-article');
      expect(entry?.reason, page.url).toBe('static-page');
    }
  });
});
