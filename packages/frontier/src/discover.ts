import { gunzipSync } from 'node:zlib';
import { RobotsTxt, type FetchOutcome, type Fetcher, type RobotsCache } from '@gazette/fetch';
import { COMMON_FEED_PATHS, parseFeed, parseSitemap, type DiscoveredItem } from './feeds.ts';
import { scanHtml } from './html.ts';
import { tryNormalizeUrl } from './normalize.ts';
import type { Source } from './source.ts';

export interface DiscoveredUrl {
  url: string;
  hints: { title?: string; publishedAt?: string; from: 'seed' | 'feed' | 'sitemap' };
}

export interface DiscoverOptions {
  /** Consulted before fetching feeds and sitemaps, and for robots `Sitemap:` lines. */
  robots?: RobotsCache;
  /** Sitemaps fetched at most (indexes included). Default 20. */
  maxSitemaps?: number;
  /** URLs returned at most. Default 50,000. */
  maxUrls?: number;
  /** Drop sitemap/feed entries published (or modified) before this date. */
  since?: Date;
  /** Cap on a gzip sitemap once decompressed. Default 50 MB (the sitemap protocol's limit). */
  maxSitemapBytes?: number;
  /** Called for every fetch that failed or did not parse (for logs and metrics). */
  onProblem?: (problem: { url: string; what: 'feed' | 'sitemap' | 'seed' | 'robots'; reason: string }) => void;
}

const FEED_CONTENT_TYPES = [
  'application/rss+xml',
  'application/atom+xml',
  'application/rdf+xml',
  'application/feed+json',
  'application/json',
  'application/xml',
  'text/xml',
  'text/html', // misconfigured servers
  'text/plain',
];
const SITEMAP_CONTENT_TYPES = [
  'application/xml',
  'text/xml',
  'text/plain',
  'application/x-gzip',
  'application/gzip',
  'application/octet-stream',
];

/**
 * Find URLs worth crawling for a source: its seeds, the items of its feeds
 * (configured, else autodiscovered from the seeds' `<link rel="alternate">`,
 * else the first of the common feed paths that parses) and the URLs of its
 * sitemaps (configured plus robots.txt `Sitemap:` lines; indexes followed,
 * newest first; gzip handled). Each URL comes with hints: title and
 * publication date where the feed or sitemap gives them, and where it came from.
 */
export async function discover(
  source: Source,
  fetcher: Fetcher,
  options: DiscoverOptions = {},
): Promise<DiscoveredUrl[]> {
  const norm = { trailingSlash: source.trailingSlash };
  const maxUrls = options.maxUrls ?? 50_000;
  const since = options.since?.toISOString();
  const found = new Map<string, DiscoveredUrl>();
  const problem = options.onProblem ?? (() => {});

  const add = (entry: DiscoveredItem & { lastmod?: string }, from: DiscoveredUrl['hints']['from']): void => {
    const date = entry.publishedAt ?? entry.lastmod;
    if (since && date && date < since) return;
    const existing = found.get(entry.url);
    if (existing) {
      if (existing.hints.from === 'seed') existing.hints.from = from;
      if (entry.title && !existing.hints.title) existing.hints.title = entry.title;
      if (entry.publishedAt && !existing.hints.publishedAt) existing.hints.publishedAt = entry.publishedAt;
      return;
    }
    if (found.size >= maxUrls) return;
    found.set(entry.url, {
      url: entry.url,
      hints: {
        from,
        ...(entry.title ? { title: entry.title } : {}),
        ...(entry.publishedAt ? { publishedAt: entry.publishedAt } : {}),
      },
    });
  };

  const allowed = async (url: string, what: 'feed' | 'sitemap' | 'seed'): Promise<boolean> => {
    if (!options.robots) return true;
    const decision = await options.robots.check(url);
    if (!decision.allowed) problem({ url, what, reason: decision.reason });
    return decision.allowed;
  };

  const get = async (
    url: string,
    what: 'feed' | 'sitemap' | 'seed' | 'robots',
    contentTypes: readonly string[] | null,
  ): Promise<FetchOutcome | null> => {
    if (what !== 'robots' && !(await allowed(url, what))) return null;
    const outcome = await fetcher.fetch(url, { contentTypes });
    if (!outcome.ok || !outcome.body) {
      problem({ url, what, reason: outcome.reason });
      return null;
    }
    return outcome;
  };

  for (const seed of source.seeds) {
    const url = tryNormalizeUrl(seed, undefined, norm);
    if (url) add({ url }, 'seed');
  }

  // Feeds.
  let feeds = [...source.feeds];
  if (feeds.length === 0 && source.autodiscoverFeeds) {
    const origins = new Set<string>();
    for (const seed of source.seeds) {
      origins.add(new URL(seed).origin);
      const page = await get(seed, 'seed', null);
      if (!page) continue;
      feeds.push(...scanHtml(page.body!.toString('utf8'), page.finalUrl, norm).feeds.map((f) => f.url));
    }
    if (feeds.length === 0) {
      for (const origin of origins) {
        for (const path of COMMON_FEED_PATHS) {
          const candidate = `${origin}${path}`;
          if (options.robots && !(await options.robots.check(candidate)).allowed) continue;
          const outcome = await fetcher.fetch(candidate, { contentTypes: FEED_CONTENT_TYPES });
          if (outcome.ok && outcome.body && parseFeed(outcome.body.toString('utf8'), outcome.finalUrl, norm)) {
            feeds.push(candidate);
            break;
          }
        }
      }
    }
  }
  feeds = [...new Set(feeds)];
  for (const feedUrl of feeds) {
    const outcome = await get(feedUrl, 'feed', FEED_CONTENT_TYPES);
    if (!outcome) continue;
    const feed = parseFeed(outcome.body!.toString('utf8'), outcome.finalUrl, norm);
    if (!feed) {
      problem({ url: feedUrl, what: 'feed', reason: 'unparseable' });
      continue;
    }
    for (const entry of feed.items) add(entry, 'feed');
  }

  // Sitemaps.
  const queue = [...source.sitemaps];
  const origins = new Set([...source.seeds, ...source.feeds, ...source.sitemaps].map((u) => new URL(u).origin));
  for (const origin of origins) {
    if (options.robots) queue.push(...(await options.robots.sitemaps(origin)));
    else {
      const robots = await get(`${origin}/robots.txt`, 'robots', null);
      if (robots) {
        for (const line of new RobotsTxt(robots.body!.toString('utf8')).sitemaps) {
          const u = tryNormalizeUrl(line, origin);
          if (u) queue.push(u);
        }
      }
    }
  }
  const visited = new Set<string>();
  const maxSitemaps = options.maxSitemaps ?? 20;
  while (queue.length > 0 && visited.size < maxSitemaps && found.size < maxUrls) {
    const sitemapUrl = queue.shift()!;
    if (visited.has(sitemapUrl)) continue;
    visited.add(sitemapUrl);
    const outcome = await get(sitemapUrl, 'sitemap', SITEMAP_CONTENT_TYPES);
    if (!outcome) continue;
    let body = outcome.body!;
    if (body[0] === 0x1f && body[1] === 0x8b) {
      try {
        body = gunzipSync(body, { maxOutputLength: options.maxSitemapBytes ?? 50 * 1024 * 1024 });
      } catch (error) {
        // Past the cap zlib stops with ERR_BUFFER_TOO_LARGE: a size problem, not a broken file.
        const tooLarge = (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE';
        problem({ url: sitemapUrl, what: 'sitemap', reason: tooLarge ? 'too-large' : 'bad-gzip' });
        continue;
      }
    }
    const sitemap = parseSitemap(body.toString('utf8'), outcome.finalUrl, norm);
    if (!sitemap) {
      problem({ url: sitemapUrl, what: 'sitemap', reason: 'unparseable' });
      continue;
    }
    for (const child of sitemap.sitemaps) {
      if (since && child.lastmod && child.lastmod < since) continue;
      queue.push(child.url);
    }
    for (const entry of sitemap.urls) add(entry, 'sitemap');
  }
  return [...found.values()];
}
