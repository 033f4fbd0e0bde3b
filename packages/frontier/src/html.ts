import { LinearParser } from '@gazette/extract';
import { tryNormalizeUrl, type NormalizeOptions } from './normalize.ts';

export interface ExtractedLink {
  /** Absolute, normalised URL (fragment dropped). */
  url: string;
  /** Anchor text, whitespace collapsed, at most 200 characters. */
  text: string;
  /** rel="nofollow" (or ugc/sponsored) on the anchor. */
  nofollow: boolean;
}

export interface FeedLink {
  url: string;
  type: string;
  title?: string;
}

/** What one pass over a page yields: links and the signals used to classify it. */
export interface PageScan {
  links: ExtractedLink[];
  /** `<link rel="alternate">` to RSS/Atom/JSON feeds. */
  feeds: FeedLink[];
  canonical?: string;
  title?: string;
  ogType?: string;
  /** `@type` values found in JSON-LD blocks (flattened, including @graph). */
  jsonLdTypes: string[];
  /** Characters of visible text outside links. */
  textChars: number;
  /** Characters of visible text inside links. */
  linkTextChars: number;
  /** Number of `<p>` elements with at least 80 characters of text. */
  longParagraphs: number;
  articleElements: number;
}

const SKIP_TEXT = new Set(['script', 'style', 'noscript', 'template', 'svg']);
/** The only tags whose attributes the scan reads: the parser skips every other element's attributes. */
const SCANNED_ATTRIBUTES: ReadonlySet<string> = new Set(['a', 'area', 'base', 'link', 'meta', 'script']);
const FEED_TYPES = new Set([
  'application/rss+xml',
  'application/atom+xml',
  'application/feed+json',
  'application/json',
  'application/rdf+xml',
]);

function collectJsonLdTypes(value: unknown, out: string[], depth = 0): void {
  if (depth > 6 || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const v of value) collectJsonLdTypes(v, out, depth + 1);
    return;
  }
  const record = value as Record<string, unknown>;
  const type = record['@type'];
  if (typeof type === 'string') out.push(type);
  else if (Array.isArray(type)) for (const t of type) if (typeof t === 'string') out.push(t);
  if (record['@graph']) collectJsonLdTypes(record['@graph'], out, depth + 1);
  if (record['mainEntity']) collectJsonLdTypes(record['mainEntity'], out, depth + 1);
}

export interface ScanOptions extends NormalizeOptions {
  /** Also gather classification signals (text sizes, JSON-LD, og:type). Default true. */
  signals?: boolean;
}

/** One streaming pass over HTML (htmlparser2): links, feed links and page signals. */
export function scanHtml(html: string, baseUrl: string, options: ScanOptions = {}): PageScan {
  const signals = options.signals ?? true;
  let base = baseUrl;
  let baseSeen = false;
  const raw: Array<{ href: string; text: string; nofollow: boolean }> = [];
  const feeds: Array<{ href: string; type: string; title?: string }> = [];
  const scan: PageScan = {
    links: [],
    feeds: [],
    jsonLdTypes: [],
    textChars: 0,
    linkTextChars: 0,
    longParagraphs: 0,
    articleElements: 0,
  };
  let canonicalHref: string | undefined;
  let skipDepth = 0;
  let anchor: { href: string; text: string; nofollow: boolean } | null = null;
  let inTitle = false;
  let title = '';
  let jsonLd: string | null = null;
  let paragraph: number | null = null;

  const parser = new LinearParser(
    {
      onopentag(name, attrs) {
        switch (name) {
          case 'a':
          case 'area': {
            const href = attrs['href'];
            if (href !== undefined) {
              const rel = (attrs['rel'] ?? '').toLowerCase();
              anchor = { href, text: '', nofollow: /\b(nofollow|ugc|sponsored)\b/.test(rel) };
              if (name === 'area') {
                raw.push(anchor);
                anchor = null;
              }
            }
            break;
          }
          case 'base':
            if (!baseSeen && attrs['href']) {
              baseSeen = true;
              try {
                base = new URL(attrs['href'], baseUrl).href;
              } catch {
                // keep the document URL
              }
            }
            break;
          case 'link': {
            const rel = (attrs['rel'] ?? '').toLowerCase().split(/\s+/);
            const href = attrs['href'];
            if (!href) break;
            if (rel.includes('canonical')) canonicalHref ??= href;
            const type = (attrs['type'] ?? '').toLowerCase().split(';')[0]!.trim();
            if (rel.includes('alternate') && FEED_TYPES.has(type)) {
              feeds.push({ href, type, ...(attrs['title'] ? { title: attrs['title'] } : {}) });
            }
            break;
          }
          case 'meta':
            if (signals && (attrs['property'] ?? attrs['name'])?.toLowerCase() === 'og:type' && attrs['content'])
              scan.ogType ??= attrs['content'].trim().toLowerCase();
            break;
          case 'script':
            if (signals && (attrs['type'] ?? '').toLowerCase() === 'application/ld+json') jsonLd = '';
            skipDepth++;
            break;
          case 'title':
            inTitle = true;
            break;
          case 'p':
            if (signals) paragraph = 0;
            break;
          case 'article':
            scan.articleElements++;
            break;
          default:
            if (SKIP_TEXT.has(name)) skipDepth++;
        }
      },
      ontext(text) {
        if (jsonLd !== null) {
          jsonLd += text;
          return;
        }
        if (inTitle) {
          title += text;
          return;
        }
        if (skipDepth > 0) return;
        if (anchor) anchor.text += text;
        if (!signals) return;
        const n = text.trim().length;
        if (n === 0) return;
        if (anchor) scan.linkTextChars += n;
        else {
          scan.textChars += n;
          if (paragraph !== null) paragraph += n;
        }
      },
      onclosetag(name) {
        switch (name) {
          case 'a':
            if (anchor) raw.push(anchor);
            anchor = null;
            break;
          case 'script':
            if (jsonLd !== null) {
              try {
                collectJsonLdTypes(JSON.parse(jsonLd), scan.jsonLdTypes);
              } catch {
                // invalid JSON-LD is common; ignore it
              }
              jsonLd = null;
            }
            skipDepth = Math.max(0, skipDepth - 1);
            break;
          case 'title':
            inTitle = false;
            break;
          case 'p':
            if (paragraph !== null && paragraph >= 80) scan.longParagraphs++;
            paragraph = null;
            break;
          default:
            if (SKIP_TEXT.has(name)) skipDepth = Math.max(0, skipDepth - 1);
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true, attributesOf: SCANNED_ATTRIBUTES },
  );
  parser.end(html);

  const seen = new Set<string>();
  for (const link of raw) {
    const href = link.href.trim();
    if (!href || /^(javascript|mailto|tel|data|sms|ftp|file):/i.test(href) || href.startsWith('#')) continue;
    const url = tryNormalizeUrl(href, base, options);
    if (!url || seen.has(url)) continue;
    seen.add(url);
    scan.links.push({ url, text: link.text.replace(/\s+/g, ' ').trim().slice(0, 200), nofollow: link.nofollow });
  }
  for (const feed of feeds) {
    const url = tryNormalizeUrl(feed.href, base, options);
    if (url) scan.feeds.push({ url, type: feed.type, ...(feed.title ? { title: feed.title } : {}) });
  }
  if (canonicalHref) {
    const canonical = tryNormalizeUrl(canonicalHref, base, options);
    if (canonical) scan.canonical = canonical;
  }
  const cleanTitle = title.replace(/\s+/g, ' ').trim();
  if (cleanTitle) scan.title = cleanTitle;
  return scan;
}

/** Every followable link of a page: absolute, normalised, deduplicated, in document order. */
export function extractLinks(html: string, baseUrl: string, options: NormalizeOptions = {}): ExtractedLink[] {
  return scanHtml(html, baseUrl, { ...options, signals: false }).links;
}
