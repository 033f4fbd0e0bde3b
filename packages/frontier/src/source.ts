import { z } from 'zod';
import { regexSourceSchema } from '@gazette/jobs';
import { normalizeUrl } from './normalize.ts';

const httpUrl = z.url({ protocol: /^https?$/ });

/** A source id: a lower-case slug of at most 64 characters. */
export const SOURCE_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** A news site Gazette crawls: where to start, what to follow, how politely. */
export const sourceSchema = z
  .object({
    /** Stable slug, used in job payloads and keys. */
    id: z.string().regex(SOURCE_ID_PATTERN),
    name: z.string().min(1),
    /** Home or section pages the crawl starts from. */
    seeds: z.array(httpUrl).default([]),
    /** RSS, Atom or JSON feeds; found by autodiscovery on the seeds when empty. */
    feeds: z.array(httpUrl).default([]),
    /** Sitemaps (or sitemap indexes); robots.txt `Sitemap:` lines are added. */
    sitemaps: z.array(httpUrl).default([]),
    /** Regexes over normalised URLs; when any are given a link must match one to be followed. */
    allow: z.array(regexSourceSchema).default([]),
    /** Regexes over normalised URLs; a match is never followed (deny beats allow). */
    deny: z.array(regexSourceSchema).default([]),
    /** Link hops from a seed, feed or sitemap URL beyond which links are not followed. */
    maxDepth: z.number().int().min(0).max(20).default(3),
    /** Follow only links on the same site (registrable domain) as the seeds, feeds and sitemaps. */
    sameSite: z.boolean().default(true),
    trailingSlash: z.enum(['keep', 'strip', 'add']).default('keep'),
    /**
     * Minimum time between two request starts on one host for this source's crawl jobs; robots
     * Crawl-delay and the crawler's CRAWLER_POLITENESS_MS can only raise it.
     */
    minIntervalMs: z.number().int().min(0).default(1_000),
    /** Concurrent requests on one host for this source's crawl jobs (CRAWLER_HOST_CONCURRENCY caps it). */
    maxConcurrency: z.number().int().min(1).max(32).default(2),
    /** How often feeds, sitemaps and seeds are fetched again. */
    recrawlIntervalMs: z
      .number()
      .int()
      .min(60_000)
      .default(15 * 60_000),
    /** Look for `<link rel="alternate">` feeds and common feed paths when `feeds` is empty. */
    autodiscoverFeeds: z.boolean().default(true),
    /**
     * Render pages in a browser (the render worker): `never`; `always`; or `auto`, when the plain
     * page looks like an empty application shell. See docs/rendering.md for the costs.
     */
    render: z.enum(['never', 'always', 'auto']).default('never'),
    /**
     * Each run fetches again (conditionally: If-None-Match / If-Modified-Since) the source's articles
     * first indexed within this many days, so corrections, updates and removals reach the index; 0:
     * a run fetches only seeds and new URLs.
     */
    revisitDays: z.number().min(0).max(3650).default(14),
  })
  .strict();

export type Source = z.infer<typeof sourceSchema>;
export type SourceInput = z.input<typeof sourceSchema>;

export function parseSource(input: unknown): Source {
  return sourceSchema.parse(input);
}

const SHORT_SLD = new Set(['co', 'com', 'net', 'org', 'gov', 'ac', 'edu', 'ne', 'or', 'go', 'gob', 'nic', 'mil']);

/**
 * Approximate registrable domain (no public-suffix list): the last two
 * labels, or three when the second-level label is a common one under a
 * two-letter country code (`bbc.co.uk`, `abc.net.au`). IPs stay as they are.
 */
export function siteOf(hostname: string): string {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (/^[\d.]+$/.test(host) || host.includes(':')) return host;
  const labels = host.split('.');
  if (labels.length <= 2) return host;
  const tld = labels.at(-1)!;
  const sld = labels.at(-2)!;
  const take = tld.length === 2 && SHORT_SLD.has(sld) ? 3 : 2;
  return labels.slice(-take).join('.');
}

export interface LinkDecision {
  follow: boolean;
  /** `ok`, `depth`, `other-site`, `denied`, `not-allowed`, `bad-url`. */
  reason: 'ok' | 'depth' | 'other-site' | 'denied' | 'not-allowed' | 'bad-url';
}

/** A source's link rules as one function: may `url`, found at link depth `depth`, be followed? */
export function createLinkPolicy(source: Source): (url: string, depth: number) => LinkDecision {
  const sites = new Set<string>();
  for (const u of [...source.seeds, ...source.feeds, ...source.sitemaps]) {
    try {
      sites.add(siteOf(new URL(u).hostname));
    } catch {
      // schema already validated these
    }
  }
  const allow = source.allow.map((r) => new RegExp(r));
  const deny = source.deny.map((r) => new RegExp(r));
  return (url, depth) => {
    if (depth > source.maxDepth) return { follow: false, reason: 'depth' };
    let normalized: string;
    try {
      normalized = normalizeUrl(url, { trailingSlash: source.trailingSlash });
    } catch {
      return { follow: false, reason: 'bad-url' };
    }
    if (source.sameSite && !sites.has(siteOf(new URL(normalized).hostname)))
      return { follow: false, reason: 'other-site' };
    if (deny.some((r) => r.test(normalized))) return { follow: false, reason: 'denied' };
    if (allow.length > 0 && !allow.some((r) => r.test(normalized))) return { follow: false, reason: 'not-allowed' };
    return { follow: true, reason: 'ok' };
  };
}
