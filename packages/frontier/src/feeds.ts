import { Parser } from 'htmlparser2';
import { parseDate as parseMetadataDate } from '@gazette/extract';
import { tryNormalizeUrl, type NormalizeOptions } from './normalize.ts';

/** One URL a feed or sitemap announces, with what it tells about it. */
export interface DiscoveredItem {
  url: string;
  title?: string;
  /** ISO 8601. */
  publishedAt?: string;
}

export interface ParsedFeed {
  format: 'rss' | 'atom' | 'rdf' | 'json';
  title?: string;
  items: DiscoveredItem[];
}

export interface ParsedSitemap {
  format: 'urlset' | 'sitemapindex';
  /** Page URLs (urlset), with `news:title`/`news:publication_date` or `lastmod` as hints. */
  urls: Array<DiscoveredItem & { lastmod?: string }>;
  /** Child sitemaps (sitemapindex), newest `lastmod` first when given. */
  sitemaps: Array<{ url: string; lastmod?: string }>;
}

/** A zone JavaScript's own date parser reads the same on every host: GMT, UT(C), the US zones, an offset, Z. */
const EXPLICIT_ZONE = /(?:\b(?:GMT|UTC?|[ECMP][SD]T)\b|[+-]\d{4}\b|\dZ)$/;

/**
 * Parse a feed or sitemap date into ISO 8601, or undefined: RFC 822 with an offset or a named zone
 * (`CEST`, `AEST`, `PKT`: the parser's own table of zones), ISO 8601 and W3C dates. A date without a
 * zone is read as UTC, never in the host's zone, so every crawler reads it the same. A relative date
 * ("yesterday") says nothing without a clock and is not read.
 */
export function parseDate(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (!trimmed) return undefined;
  // No clock (`now` NaN): relative dates come back null.
  const parsed = parseMetadataDate(trimmed, { now: Number.NaN });
  if (parsed !== null) return new Date(parsed).toISOString();
  // What the metadata parser leaves, e.g. RFC 822's two-digit years ("26 Jul 25 10:00 GMT"): only
  // with a zone that is not the host's, and in the years it accepts (a feed's 1 January 1970 is a
  // placeholder, not a date).
  const ms = EXPLICIT_ZONE.test(trimmed) ? Date.parse(trimmed) : Number.NaN;
  if (Number.isNaN(ms)) return undefined;
  const year = new Date(ms).getUTCFullYear();
  return year >= 1990 && year <= 2100 ? new Date(ms).toISOString() : undefined;
}

interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  text: string;
}

/**
 * Stream an XML document, calling `onClose` with each element's local name
 * path (namespace prefixes kept, lower-cased: `rss/channel/item/title`),
 * attributes and direct text (CDATA included).
 */
function walkXml(
  xml: string,
  onClose: (path: string[], el: XmlElement) => void,
  onOpen?: (path: string[], attrs: Record<string, string>) => void,
) {
  const stack: XmlElement[] = [];
  const path: string[] = [];
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        const lower = name.toLowerCase();
        stack.push({ name: lower, attrs, text: '' });
        path.push(lower);
        onOpen?.(path, attrs);
      },
      ontext(text) {
        const top = stack.at(-1);
        if (top) top.text += text;
      },
      onclosetag() {
        const el = stack.pop();
        if (el) onClose(path, el);
        path.pop();
      },
    },
    { xmlMode: true, decodeEntities: true, recognizeCDATA: true },
  );
  parser.end(xml);
}

/** `ref` resolved against `base`, or `ref` as it is when either is not a URL (normalisation judges it later). */
function resolve(ref: string, base: string): string {
  try {
    return new URL(ref.trim(), base).href;
  } catch {
    return ref;
  }
}

function clean(text: string): string | undefined {
  const t = text.replace(/\s+/g, ' ').trim();
  return t || undefined;
}

function item(url: string | null, title: string | undefined, date: string | undefined): DiscoveredItem | null {
  if (!url) return null;
  const publishedAt = parseDate(date);
  return { url, ...(title ? { title } : {}), ...(publishedAt ? { publishedAt } : {}) };
}

/** Parse RSS 2.0 / RSS 1.0 (RDF) / Atom / JSON Feed. Null when `text` is none of them. */
export function parseFeed(text: string, baseUrl: string, options: NormalizeOptions = {}): ParsedFeed | null {
  const trimmed = text.replace(/^\uFEFF/, '').trimStart();
  if (trimmed.startsWith('{')) return parseJsonFeed(trimmed, baseUrl, options);
  if (!trimmed.startsWith('<')) return null;

  let format: ParsedFeed['format'] | null = null;
  let feedTitle: string | undefined;
  const items: DiscoveredItem[] = [];
  let current: { link?: string; altLink?: string; guid?: string; title?: string; date?: string } | null = null;
  // xml:base (Atom feeds use it): each element's base for relative links, the page's URL at the root.
  const bases: string[] = [baseUrl];

  walkXml(
    trimmed,
    (path, el) => {
      const base = bases.pop() ?? baseUrl;
      const depth = path.length;
      const name = el.name;
      if (current && (name === 'item' || name === 'entry')) {
        const raw = current.link ?? current.altLink ?? current.guid;
        const parsed = item(raw ? tryNormalizeUrl(raw.trim(), baseUrl, options) : null, current.title, current.date);
        if (parsed) items.push(parsed);
        current = null;
        return;
      }
      if (current) {
        switch (name) {
          case 'title':
            current.title ??= clean(el.text);
            break;
          case 'link': {
            if (format === 'atom') {
              const rel = el.attrs['rel'] ?? 'alternate';
              const type = el.attrs['type'] ?? 'text/html';
              const href = el.attrs['href'] ? resolve(el.attrs['href'], base) : undefined;
              if (href && rel === 'alternate' && /html/.test(type)) current.link ??= href;
              else if (href && rel === 'alternate') current.altLink ??= href;
            } else if (clean(el.text)) current.link ??= resolve(clean(el.text)!, base);
            break;
          }
          case 'guid':
            if ((el.attrs['ispermalink'] ?? el.attrs['isPermaLink']) !== 'false' && /^https?:/i.test(el.text.trim()))
              current.guid ??= el.text.trim();
            break;
          case 'pubdate':
          case 'published':
          case 'dc:date':
          case 'issued':
            current.date ??= el.text;
            break;
          case 'updated':
          case 'modified':
          case 'atom:updated':
            if (current.date === undefined) current.date = el.text;
            break;
        }
        return;
      }
      if (name === 'title' && depth <= 3 && feedTitle === undefined) feedTitle = clean(el.text);
    },
    (path, attrs) => {
      const parent = bases.at(-1) ?? baseUrl;
      bases.push(attrs['xml:base'] ? resolve(attrs['xml:base'], parent) : parent);
      const name = path.at(-1)!;
      if (path.length === 1) {
        if (name === 'rss') format = 'rss';
        else if (name === 'feed') format = 'atom';
        else if (name === 'rdf:rdf') format = 'rdf';
      }
      if ((name === 'item' || name === 'entry') && format !== null) current = {};
    },
  );
  if (format === null) return null;
  return { format, ...(feedTitle ? { title: feedTitle } : {}), items };
}

function parseJsonFeed(text: string, baseUrl: string, options: NormalizeOptions): ParsedFeed | null {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof doc !== 'object' || doc === null) return null;
  const feed = doc as { version?: unknown; title?: unknown; items?: unknown };
  if (typeof feed.version !== 'string' || !feed.version.includes('jsonfeed.org') || !Array.isArray(feed.items))
    return null;
  const items: DiscoveredItem[] = [];
  for (const raw of feed.items as Array<Record<string, unknown>>) {
    if (typeof raw !== 'object' || raw === null) continue;
    const link = typeof raw['url'] === 'string' ? raw['url'] : typeof raw['id'] === 'string' ? raw['id'] : null;
    const title = typeof raw['title'] === 'string' ? clean(raw['title']) : undefined;
    const date =
      typeof raw['date_published'] === 'string'
        ? raw['date_published']
        : typeof raw['date_modified'] === 'string'
          ? raw['date_modified']
          : undefined;
    const parsed = item(link ? tryNormalizeUrl(link, baseUrl, options) : null, title, date);
    if (parsed) items.push(parsed);
  }
  return { format: 'json', ...(typeof feed.title === 'string' ? { title: feed.title } : {}), items };
}

/** Parse a sitemap `urlset` (Google News extension included) or a `sitemapindex`. Null when neither. */
export function parseSitemap(xml: string, baseUrl: string, options: NormalizeOptions = {}): ParsedSitemap | null {
  let format: ParsedSitemap['format'] | null = null;
  const urls: ParsedSitemap['urls'] = [];
  const sitemaps: ParsedSitemap['sitemaps'] = [];
  let current: { loc?: string; lastmod?: string; newsTitle?: string; newsDate?: string } | null = null;
  walkXml(
    xml.replace(/^\uFEFF/, '').trimStart(),
    (_path, el) => {
      const name = el.name;
      if (current && (name === 'url' || name === 'sitemap')) {
        const loc = current.loc ? tryNormalizeUrl(current.loc, baseUrl, options) : null;
        if (loc && name === 'url') {
          const publishedAt = parseDate(current.newsDate);
          const lastmod = parseDate(current.lastmod);
          urls.push({
            url: loc,
            ...(current.newsTitle ? { title: current.newsTitle } : {}),
            ...(publishedAt ? { publishedAt } : {}),
            ...(lastmod ? { lastmod } : {}),
          });
        } else if (loc) {
          const lastmod = parseDate(current.lastmod);
          sitemaps.push({ url: loc, ...(lastmod ? { lastmod } : {}) });
        }
        current = null;
        return;
      }
      if (!current) return;
      if (name === 'loc') current.loc ??= el.text.trim();
      else if (name === 'lastmod') current.lastmod ??= el.text.trim();
      else if (name.endsWith(':title') && name !== 'image:title' && name !== 'video:title')
        current.newsTitle ??= clean(el.text);
      else if (name.endsWith(':publication_date')) current.newsDate ??= el.text.trim();
    },
    (path) => {
      const name = path.at(-1)!;
      if (path.length === 1) {
        if (name === 'urlset') format = 'urlset';
        else if (name === 'sitemapindex') format = 'sitemapindex';
      }
      if (path.length === 2 && (name === 'url' || name === 'sitemap')) current = {};
    },
  );
  if (format === null) return null;
  sitemaps.sort((a, b) => (b.lastmod ?? '').localeCompare(a.lastmod ?? ''));
  return { format, urls, sitemaps };
}

/** Paths tried for a feed when a site's pages advertise none. */
export const COMMON_FEED_PATHS = ['/feed', '/rss', '/feed.xml', '/rss.xml', '/atom.xml', '/index.xml', '/feed/'];
