import { scanHtml, type PageScan } from './html.ts';

export type PageKind = 'article' | 'listing';

export interface Classification {
  kind: PageKind;
  /** Short machine-readable rule name, e.g. `date-path`, `og:type=article`, `taxonomy:tag`. */
  reason: string;
  /** 0.5 (a guess) … 1 (explicit metadata). */
  confidence: number;
}

export type UrlOrigin = 'feed' | 'sitemap' | 'link' | 'seed';

const TAXONOMY = new Set([
  'tag',
  'tags',
  'category',
  'categories',
  'section',
  'sections',
  'topic',
  'topics',
  'author',
  'authors',
  'search',
  'archive',
  'archives',
  'feed',
  'rss',
  'latest',
  'page',
  'series',
  'collection',
  'collections',
  'hub',
]);

const INDEX_FILES = /^(index|default|home|main)\.(s?html?|php|aspx?|jsp)$/i;
const ARTICLE_FILE = /\.(s?html?|php|aspx?|jsp)$/i;
const YEAR = /^(19|20)\d{2}$/;
const MONTH = /^(0?[1-9]|1[0-2])$/;
const DAY = /^(0?[1-9]|[12]\d|3[01])$/;
const COMPACT_DATE = /^(19|20)\d{2}-?(0[1-9]|1[0-2])-?(0[1-9]|[12]\d|3[01])$/;

const article = (reason: string, confidence: number): Classification => ({ kind: 'article', reason, confidence });
const listing = (reason: string, confidence: number): Classification => ({ kind: 'listing', reason, confidence });

function hyphenWords(segment: string): number {
  return segment.split(/[-_]+/).filter((w) => /[a-z\u00c0-\uffff]/i.test(w)).length;
}

/**
 * Article or listing from the URL alone. Rules, first match wins:
 * root → listing; pagination (`/page/2`, `?page=2`) → listing;
 * date path (`/2025/07/26/…`, `/2025/07/…`, `/20250726/…`) followed by a slug → article, without one → listing;
 * taxonomy segment (`/tag/`, `/category/`, `/section/`, `/topic/`, `/author/`, …) → listing;
 * `index.html` → listing; `.html` file with a hyphenated or numeric name → article;
 * last segment a slug of ≥ 4 hyphen-separated words → article;
 * numeric id (≥ 5 digits as a segment, a `-12345` suffix, or `?id=`) → article;
 * one or two short segments (`/world/`, `/news/politics`) → listing;
 * anything else → listing with low confidence.
 */
export function classifyUrl(input: string): Classification {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return listing('invalid-url', 0.5);
  }
  const segments = url.pathname
    .split('/')
    .filter((s) => s !== '')
    .map((s) => {
      try {
        return decodeURIComponent(s).toLowerCase();
      } catch {
        return s.toLowerCase();
      }
    });
  const params = url.searchParams;
  if (segments.length === 0 && !params.has('p') && !params.has('id')) return listing('root', 0.9);

  const pageIdx = segments.findIndex((s, i) => (s === 'page' || s === 'p') && /^\d+$/.test(segments[i + 1] ?? ''));
  if (pageIdx !== -1 || /^\d+$/.test(params.get('page') ?? params.get('pg') ?? '')) return listing('pagination', 0.9);

  // Date paths.
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i]!;
    let end = -1;
    if (YEAR.test(s) && MONTH.test(segments[i + 1] ?? '')) {
      end = DAY.test(segments[i + 2] ?? '') ? i + 3 : i + 2;
    } else if (COMPACT_DATE.test(s)) end = i + 1;
    if (end === -1) continue;
    const rest = segments.slice(end).filter((r) => r !== 'index.html');
    if (rest.length === 0) return listing('date-archive', 0.8);
    return article('date-path', 0.85);
  }

  const taxonomy = segments.find((s) => TAXONOMY.has(s));
  if (taxonomy) return listing(`taxonomy:${taxonomy}`, 0.85);

  const last = segments.at(-1) ?? '';
  if (INDEX_FILES.test(last)) return listing('index-file', 0.8);
  const stem = last.replace(ARTICLE_FILE, '');
  if (ARTICLE_FILE.test(last) && (hyphenWords(stem) >= 2 || /\d{4,}/.test(stem))) return article('html-file', 0.75);
  if (hyphenWords(last) >= 4 && last.length >= 20) return article('slug', 0.75);
  if (/^\d{5,}$/.test(last) || /[-_]\d{5,}$/.test(stem) || /^[a-z]?\d{6,}$/.test(stem))
    return article('numeric-id', 0.7);
  for (const key of ['id', 'p', 'articleid', 'article_id', 'storyid', 'story_id']) {
    if (/^\d+$/.test(params.get(key) ?? '')) return article('numeric-id-param', 0.65);
  }
  if (segments.length <= 2 && segments.every((s) => hyphenWords(s) <= 2 && s.length <= 30))
    return listing('section', 0.7);
  return listing('no-article-shape', 0.5);
}

const ARTICLE_LD_TYPES = new Set([
  'newsarticle',
  'article',
  'blogposting',
  'reportagenewsarticle',
  'analysisnewsarticle',
  'opinionnewsarticle',
  'reviewnewsarticle',
  'backgroundnewsarticle',
  'askpublicnewsarticle',
  'liveblogposting',
  'report',
  'techarticle',
]);
const LISTING_LD_TYPES = new Set(['collectionpage', 'itemlist', 'searchresultspage']);

export interface ClassifyPageInput {
  url: string;
  /** The page, or a scan of it already made by {@link scanHtml}. */
  html?: string;
  scan?: PageScan;
  /** Where the URL came from: feeds and news sitemaps list articles. */
  origin: UrlOrigin;
}

/**
 * Article or listing from the page itself, falling back on the URL. Explicit
 * metadata wins (`og:type=article`, JSON-LD `NewsArticle`/`Article`/…, or
 * JSON-LD `CollectionPage`/`ItemList`), then the text shape (many links and
 * little prose → listing; several long paragraphs → article), then the URL
 * rules of {@link classifyUrl}; a URL of no particular shape that came from a
 * feed or sitemap counts as an article.
 */
export function classifyPage(input: ClassifyPageInput): Classification {
  const scan = input.scan ?? (input.html !== undefined ? scanHtml(input.html, input.url) : undefined);
  const byUrl = classifyUrl(input.url);
  if (scan) {
    if (scan.ogType === 'article') return article('og:type=article', 1);
    const ldArticle = scan.jsonLdTypes.find((t) => ARTICLE_LD_TYPES.has(t.toLowerCase()));
    if (ldArticle) return article(`json-ld:${ldArticle}`, 1);
    const ldListing = scan.jsonLdTypes.find((t) => LISTING_LD_TYPES.has(t.toLowerCase()));
    if (ldListing) return listing(`json-ld:${ldListing}`, 0.95);
    const total = scan.textChars + scan.linkTextChars;
    const linkDensity = total === 0 ? 0 : scan.linkTextChars / total;
    if (scan.links.length >= 40 && linkDensity > 0.5) return listing('link-dense', 0.8);
    if (scan.longParagraphs >= 4 && scan.textChars >= 1500) return article('long-text', 0.8);
    if (byUrl.kind === 'listing' && total > 0 && scan.longParagraphs === 0 && linkDensity > 0.3)
      return listing(`${byUrl.reason}+few-paragraphs`, Math.min(1, byUrl.confidence + 0.1));
  }
  if (byUrl.reason === 'no-article-shape' && (input.origin === 'feed' || input.origin === 'sitemap'))
    return article(`from-${input.origin}`, 0.6);
  return byUrl;
}
