/**
 * Metadata with fallback chains: JSON-LD → OpenGraph/Twitter/meta → microdata → DOM heuristics → URL.
 * Runs on the untouched document (before the body extractor prunes it).
 */
import type { Element } from './dom.ts';
import { collapse, textContent, textContentPrefix, textOf } from './dom.ts';
import { closest, type DocIndex, select } from './doc-index.ts';
import { parseDate, type DateContext } from './dates.ts';
import { stripBylineWords } from './byline-i18n.ts';
import { pickArticle, str, strList, type LdNode } from './jsonld.ts';
import { detectLanguage, normaliseLanguage } from './language.ts';

/** detectLanguage reads this much of its sample. */
const LANGUAGE_SAMPLE_CHARS = 5_000;

/** UTC offsets (minutes) for languages spoken in essentially one time zone. */
const DEFAULT_OFFSETS: Record<string, number> = { ja: 540, ko: 540, zh: 480, ur: 300, hi: 330, th: 420, fa: 210 };

export interface Metadata {
  title: string | null;
  rawTitle: string | null;
  authors: string[];
  publishedAt: string | null;
  modifiedAt: string | null;
  language: string | null;
  siteName: string | null;
  section: string | null;
  tags: string[];
  description: string | null;
  leadImage: string | null;
  canonicalUrl: string | null;
  articleBody: string | null;
}

export interface MetaContext {
  url: string;
  now: number;
  hints?: { title?: string; publishedAt?: string };
}

export function absolutise(href: string | null | undefined, base: string): string | null {
  if (!href) return null;
  const h = href.trim();
  if (!h || /^(javascript|mailto|tel|data|about):/i.test(h)) return null;
  try {
    const u = new URL(h, base);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
    u.hash = '';
    return u.href;
  } catch {
    return null;
  }
}

/** Reads every `<meta>` into name → values (name, property, itemprop and http-equiv keys, lower-cased). */
function metaMap(metas: Element[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  metas.forEach((el) => {
    const a = el.attribs;
    const content = a.content ?? a.value;
    if (content === undefined) return;
    for (const key of [a.name, a.property, a.itemprop, a['http-equiv']]) {
      if (!key) continue;
      const k = key.trim().toLowerCase();
      const list = map.get(k) ?? [];
      list.push(content.trim());
      map.set(k, list);
    }
  });
  return map;
}

const SEPARATORS = /\s+[|\-–—·•:»/]\s+|\s+::\s+/;

function normKey(s: string): string {
  return s
    .toLowerCase()
    .replace(/^www\./, '')
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

/** Removes a " | Site Name" style suffix or prefix when one side names the site. */
export function cleanTitle(title: string, siteName: string | null, host: string, h1: string | null): string {
  const t = collapse(title);
  if (h1 && normKey(h1) && t.includes(h1) && h1.length >= t.length * 0.4) return h1;
  const parts = t.split(SEPARATORS);
  if (parts.length < 2) return t;
  const hostKey = normKey(host.replace(/\.(com|org|net|co|uk|in|de|fr|jp|ru|br|it|info|news|tv)(\.|$).*/, ''));
  const site = siteName ? normKey(siteName) : '';
  const isSite = (p: string): boolean => {
    const k = normKey(p);
    if (!k) return true;
    return (
      (site !== '' && (k === site || site.includes(k) || k.includes(site))) ||
      (hostKey !== '' && (k === hostKey || k.includes(hostKey) || hostKey.includes(k)))
    );
  };
  const kept = [...parts];
  while (kept.length > 1 && isSite(kept[kept.length - 1]!)) kept.pop();
  while (kept.length > 1 && isSite(kept[0]!)) kept.shift();
  if (kept.length < parts.length) {
    // Rejoin the remaining parts with their original separators.
    const first = kept[0]!;
    const last = kept[kept.length - 1]!;
    const start = t.indexOf(first);
    const end = t.lastIndexOf(last) + last.length;
    return t.slice(start, end).trim();
  }
  // No side names the site: a short last segment after " | " is still almost always the site.
  const m = /^(.{15,}?)\s+[|»]\s+([^|»]{2,40})$/.exec(t);
  if (m?.[1]) return m[1].trim();
  return t;
}

const ROLE_WORDS =
  /\b(staff|senior|chief|deputy|associate|assistant|contributing|special|political|foreign|business|sports|technology|tech|science|health|editor|editors|editorial|writer|writers|reporter|reporters|correspondent|columnist|contributor|producer|photographer|photos?|video|analyst|intern|freelance|news|desk|team|bureau|reviewed|updated|published|posted|fact[- ]checked|edited)\b/i;

/** Cleans one author string into zero or more names. */
export function splitAuthors(raw: string): string[] {
  let s = collapse(raw)
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/\S+@\S+\.\S+/g, ' ')
    .replace(/(^|\s)@\w+/g, ' ');
  // Author-archive link texts: "View all posts by Jane Doe", "View all of Jane Doe's posts".
  const archive =
    /^(?:view|see|read|browse|more)\b.{0,20}?\b(?:posts|articles|stories|entries)\s+(?:by|from)\s+(.+?)\.?$/i.exec(s) ??
    /^(?:view|see|read|browse)\s+all\s+(?:of\s+)?(.+?)['’]s?\s+(?:posts|articles|stories|entries)\.?$/i.exec(s);
  if (archive?.[1]) s = archive[1].replace(/['’]$/, '');
  s = s.replace(/^(written |reported |posted |words |text |story |photos? )?(by|von|par|por|door|от)\s*[:-]?\s+/i, '');
  s = s.replace(/^(?:di\s+|(?:記者|著|作者|文|取材|기자)\s*[:：]?\s*)/, '');
  s = stripBylineWords(s);
  s = s.replace(/\s*[|•·]\s*.*$/, ''); // "Name | Reuters"
  s = s.replace(/\s+(is|was)\s+(an?|the)\s+.*$/i, ''); // bio sentence
  s = s.replace(/\s*\((?:[^)]*)\)\s*/g, ' ');
  s = s.replace(/\s+[-–—]\s+.*$/, ''); // "Name - Staff Writer"
  const parts = s
    .split(/\s*(?:,|;|\s&\s|\sand\s|\sund\s|\set\s|\sy\s|\se\s|、|，|\/)\s*/i)
    .map((p) => p.trim().replace(/^(and|by)\s+/i, ''))
    .filter(Boolean);
  const out: string[] = [];
  for (const p of parts) {
    // Drop trailing roles: "Jane Doe, Staff Writer" arrives as its own part.
    const words = p.split(/\s+/);
    if (words.every((w) => ROLE_WORDS.test(w) || /^(of|the|at|for|and|&)$/i.test(w))) continue;
    if (ROLE_WORDS.test(p) && words.length <= 5 && !/^\p{Lu}\p{Ll}+ \p{Lu}\p{Ll}+$/u.test(p)) continue;
    if (/^(jr|sr|ii|iii|phd|md)\.?$/i.test(p) && out.length) {
      out[out.length - 1] += `, ${p}`;
      continue;
    }
    if (p.length < 2 || p.length > 60) continue;
    if (!/\p{L}/u.test(p)) continue;
    if (p.split(/\s+/).length > 6) continue;
    out.push(p);
  }
  return out;
}

function dedupe(list: string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const x of list) {
    const k = x.toLowerCase();
    if (!seen.has(k)) {
      seen.add(k);
      out.push(x);
    }
  }
  return out;
}

function authorsFromLd(node: LdNode | null, byId: Map<string, LdNode>): string[] {
  if (!node) return [];
  const raw = node.author ?? node.creator;
  const list = Array.isArray(raw) ? raw : raw ? [raw] : [];
  const names: string[] = [];
  for (const a of list) {
    if (typeof a === 'string') names.push(...splitAuthors(a));
    else if (a && typeof a === 'object') {
      let ref = a as LdNode;
      if (!ref.name && typeof ref['@id'] === 'string') ref = byId.get(ref['@id']) ?? ref;
      const n = typeof ref.name === 'string' ? ref.name : null;
      if (n && !/^https?:/.test(n)) names.push(...splitAuthors(n));
    }
  }
  return names;
}

const BYLINE_SELECTORS = [
  '[itemprop="author"] [itemprop="name"]',
  '[itemprop="author"]',
  '[rel="author"]',
  '.byline .author',
  '.author-name',
  '.byline__name',
  '.article-author',
  '.entry-author-name',
  '.post-author',
  '.author a',
  '.byline',
  '.author',
  '[class*="byline"]',
  '[class*="author"]',
  '[class*="autor"]',
];

/** Containers whose names are never the story's byline: comments, their form, replies. */
const NOT_BYLINE = [
  'form',
  '#comments',
  '#respond',
  '.comments',
  '.comments-area',
  '.comment-respond',
  '.comment-list',
  '.commentlist',
  '.comment',
  '.comment-body',
  '[class*="comment-form"]',
  '[class*="comment-author"]',
  '.wp-block-comments',
  '.wp-block-comment-template',
].join(', ');

/**
 * Section and tag links as CMSes print them: WordPress's classic themes mark categories
 * `rel="category tag"` and tags `rel="tag"`; its block themes print both as `rel="tag"` inside a
 * `taxonomy-category` or `taxonomy-post_tag` block; other themes and CMSes wrap them in
 * `cat-links`/`tags-links`-style containers. Links in comments and navigation do not count.
 */
function taxonomyLinks(links: Element[]): { sections: string[]; tags: string[] } {
  const sections: string[] = [];
  const tags: string[] = [];
  for (const el of links) {
    if (closest(el, `${NOT_BYLINE}, nav`)) continue;
    const rel = (el.attribs.rel ?? '').toLowerCase().split(/\s+/);
    const text = collapse(textOf(el));
    if (!text) continue;
    const inCategory =
      rel.includes('category') ||
      closest(
        el,
        '[class*="taxonomy-category"], [class*="cat-links"], [class*="categories"], [class*="category-links"]',
      ) !== null;
    if (inCategory) sections.push(text);
    else if (rel.includes('tag')) tags.push(text);
  }
  return { sections, tags };
}

const META_DATE_KEYS = [
  'article:published_time',
  'og:published_time',
  'datepublished',
  'publishdate',
  'publish-date',
  'pubdate',
  'publication_date',
  'parsely-pub-date',
  'sailthru.date',
  'dc.date.issued',
  'dc.date',
  'dcterms.created',
  'dcterms.date',
  'date',
  'article.published',
  'cxenseparse:recs:publishtime',
];
const META_MODIFIED_KEYS = [
  'article:modified_time',
  'og:updated_time',
  'datemodified',
  'last-modified',
  'dcterms.modified',
  'article.updated',
];

function first(map: Map<string, string[]>, keys: string[]): string | null {
  for (const k of keys) {
    const v = map.get(k)?.find((x) => x.trim());
    if (v) return v.trim();
  }
  return null;
}

function dateFromUrl(url: string): string | null {
  const m =
    /\/((?:19|20)\d{2})[/-](\d{1,2})[/-](\d{1,2})(?:\/|$|-)/.exec(url) ??
    /[/-]((?:19|20)\d{2})(\d{2})(\d{2})[/-]/.exec(url);
  if (!m) return null;
  const mo = +m[2]!;
  const d = +m[3]!;
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return null;
  return `${m[1]}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}T00:00:00Z`;
}

/** What every field's lookup reads: the document, its index, its `<meta>` map and its JSON-LD. */
interface Page {
  index: DocIndex;
  meta: Map<string, string[]>;
  nodes: LdNode[];
  /** The JSON-LD node describing the article, if any. */
  ld: LdNode | null;
  url: string;
  /** The page's host without `www.`. */
  host: string;
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname.replace(/^www\./, '');
  } catch {
    return '';
  }
}

/** The declared language (markup, JSON-LD, `<meta>`), else the one identified from headings and paragraphs. */
function languageOf({ index, ld, meta }: Page): string | null {
  const html = index.tag('html')[0]?.attribs;
  const markupLanguage =
    normaliseLanguage(html?.lang ?? html?.['xml:lang']) ??
    normaliseLanguage(str(ld?.inLanguage)) ??
    normaliseLanguage(first(meta, ['content-language', 'language', 'dc.language'])) ??
    normaliseLanguage(first(meta, ['og:locale'])) ??
    null;
  return (
    markupLanguage ??
    detectLanguage(
      [index.tag('title'), index.tag('h1'), index.tag('p').slice(0, 30)]
        .map((nodes) => textContentPrefix(nodes, LANGUAGE_SAMPLE_CHARS))
        .join(' '),
    )
  );
}

function siteNameOf({ meta, ld, nodes }: Page): string | null {
  return (
    first(meta, ['og:site_name', 'application-name', 'apple-mobile-web-app-title']) ??
    str(ld?.publisher) ??
    nodes.map((n) => (n['@type'] === 'WebSite' ? str(n.name) : null)).find(Boolean) ??
    null
  );
}

/** The headline as declared (`rawTitle`) and cleaned of the site's name (`title`). */
function titleOf(
  { index, meta, ld, url, host }: Page,
  siteName: string | null,
  hints: MetaContext['hints'],
): { title: string | null; rawTitle: string | null } {
  const h1s = index
    .tag('h1')
    .map((el) => collapse(textOf(el)))
    .filter((t) => t.length > 3 && t.length < 600);
  const h1 = h1s.length === 1 ? h1s[0]! : (h1s.find((t) => t.length > 15) ?? null);
  const titleEl = index.tag('title')[0];
  const docTitle = (titleEl && collapse(textContent(titleEl))) || null;
  const rawTitle =
    str(ld?.headline) ??
    first(meta, ['og:title', 'twitter:title', 'title', 'dc.title', 'headline', 'sailthru.title', 'parsely-title']) ??
    headlineProp(index) ??
    h1 ??
    docTitle ??
    hints?.title ??
    null;
  const title = (rawTitle ? cleanTitle(rawTitle, siteName, host, h1) : null) || titleFromUrl(url);
  return { title, rawTitle };
}

/** The text of the first `itemprop="headline"` element, if any. */
function headlineProp(index: DocIndex): string | null {
  const el = itemprop(index, 'headline')[0];
  return el ? textContent(el).trim() || null : null;
}

/** Elements whose `itemprop` is exactly `value`, in document order. */
function itemprop(index: DocIndex, value: string): Element[] {
  return index.itemprops.filter((el) => el.attribs.itemprop === value);
}

/** Authors from JSON-LD, else `<meta>`, else the first byline selector that names someone. */
function authorsOf({ index, meta, nodes, ld }: Page): string[] {
  const byId = new Map<string, LdNode>();
  for (const n of nodes) if (typeof n['@id'] === 'string') byId.set(n['@id'], n);
  let authors = authorsFromLd(ld, byId);
  if (!authors.length) {
    const metaAuthors = [
      ...(meta.get('author') ?? []),
      ...(meta.get('article:author') ?? []).filter((a) => !/^https?:/.test(a)),
      ...(meta.get('parsely-author') ?? []),
      ...(meta.get('sailthru.author') ?? []),
      ...(meta.get('dc.creator') ?? []),
      ...(meta.get('byl') ?? []),
    ];
    authors = metaAuthors.flatMap(splitAuthors);
  }
  if (!authors.length) {
    for (const sel of BYLINE_SELECTORS) {
      const found = select(index.marked, sel)
        // A comment form's "Name" field and the names of commenters are not bylines.
        .filter((el) => !closest(el, NOT_BYLINE))
        .slice(0, 6)
        .flatMap((el) => {
          const t = collapse(textOf(el));
          return t.length < 200 ? splitAuthors(t) : [];
        });
      if (found.length) {
        authors = found;
        break;
      }
    }
  }
  return dedupe(authors).slice(0, 12);
}

/** The first `itemprop` element's date: its `content`, `datetime` or text. */
function itempropDate({ index }: Page, prop: string): string | null {
  const el = itemprop(index, prop)[0];
  if (!el) return null;
  return el.attribs.content ?? el.attribs.datetime ?? (collapse(textContent(el)) || null);
}

function publishedOf(page: Page, dctx: DateContext, hints: MetaContext['hints']): string | null {
  const { ld, meta } = page;
  return (
    parseDate(str(ld?.datePublished), dctx) ??
    parseDate(first(meta, META_DATE_KEYS), dctx) ??
    parseDate(itempropDate(page, 'datePublished'), dctx) ??
    parseDate(str(ld?.dateCreated), dctx) ??
    domDate(page, dctx) ??
    dateFromUrl(page.url) ??
    parseDate(hints?.publishedAt, dctx) ??
    null
  );
}

function modifiedOf(page: Page, dctx: DateContext): string | null {
  return (
    parseDate(str(page.ld?.dateModified), dctx) ??
    parseDate(first(page.meta, META_MODIFIED_KEYS), dctx) ??
    parseDate(itempropDate(page, 'dateModified'), dctx) ??
    null
  );
}

/** Category and tag links of the page (see {@link taxonomyLinks}). */
function relLinksOf({ index }: Page): { sections: string[]; tags: string[] } {
  return taxonomyLinks(select(index.tag('a'), '[rel~="tag"], [rel~="category"]'));
}

function sectionOf(page: Page, relLinks: () => { sections: string[] }): string | null {
  return (
    str(page.ld?.articleSection) ??
    first(page.meta, ['article:section', 'section', 'parsely-section', 'category']) ??
    relLinks().sections[0] ??
    null
  );
}

function tagsOf({ ld, meta }: Page, relLinks: () => { tags: string[] }): string[] {
  let tags = strList(ld?.keywords).flatMap((k) => k.split(/\s*,\s*/));
  if (!tags.length) tags = meta.get('article:tag') ?? [];
  if (!tags.length) tags = (first(meta, ['news_keywords', 'keywords', 'parsely-tags']) ?? '').split(/\s*[,;]\s*/);
  if (!tags.filter((t) => t.trim()).length) tags = relLinks().tags;
  return dedupe(tags.map((t) => collapse(t)).filter((t) => t && t.length < 80)).slice(0, 50);
}

function descriptionOf({ ld, meta }: Page): string | null {
  return str(ld?.description) ?? first(meta, ['og:description', 'twitter:description', 'description']) ?? null;
}

function leadImageOf({ index, meta, ld, url }: Page): string | null {
  const imageProp = itemprop(index, 'image')[0]?.attribs;
  return (
    absolutise(ldImage(ld?.image), url) ??
    absolutise(
      first(meta, ['og:image', 'og:image:url', 'og:image:secure_url', 'twitter:image', 'twitter:image:src']),
      url,
    ) ??
    absolutise(select(index.tag('link'), '[rel="image_src"]')[0]?.attribs.href, url) ??
    absolutise(imageProp?.content ?? imageProp?.src, url) ??
    null
  );
}

function canonicalOf({ index, meta, ld, url }: Page): string | null {
  return pickCanonical(
    [
      select(index.tag('link'), '[rel~="canonical"]')[0]?.attribs.href,
      first(meta, ['og:url']) ?? undefined,
      str(ld?.mainEntityOfPage) ?? undefined,
      str(ld?.url) ?? undefined,
    ],
    url,
  );
}

/** Every metadata field of the page, each from its own fallback chain (`index` is the untouched document's). */
export function extractMetadata(index: DocIndex, ctx: MetaContext): Metadata {
  const meta = metaMap(index.tag('meta'));
  const nodes = index.jsonLd();
  const page: Page = { index, meta, nodes, ld: pickArticle(nodes), url: ctx.url, host: hostOf(ctx.url) };
  const language = languageOf(page);
  // Dates printed without a zone are read in the zone the page's language most likely implies.
  const dctx = { now: ctx.now, defaultOffset: DEFAULT_OFFSETS[(language ?? '').split('-')[0]!] ?? 0 };
  const siteName = siteNameOf(page);
  const { title, rawTitle } = titleOf(page, siteName, ctx.hints);
  let relLinks: { sections: string[]; tags: string[] } | undefined;
  const taxonomy = () => (relLinks ??= relLinksOf(page));
  const section = sectionOf(page, taxonomy);
  const description = descriptionOf(page);
  return {
    title: title ? collapse(title) : null,
    rawTitle,
    authors: authorsOf(page),
    publishedAt: publishedOf(page, dctx, ctx.hints),
    modifiedAt: modifiedOf(page, dctx),
    language,
    siteName: siteName ? collapse(siteName) : null,
    section: section ? collapse(section) : null,
    tags: tagsOf(page, taxonomy),
    description: description ? collapse(description) : null,
    leadImage: leadImageOf(page),
    canonicalUrl: canonicalOf(page),
    articleBody: typeof page.ld?.articleBody === 'string' ? page.ld.articleBody : null,
  };
}

function ldImage(v: unknown): string | null {
  if (!v) return null;
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return ldImage(v[0]);
  if (typeof v === 'object') {
    const o = v as LdNode;
    return str(o.url) ?? str(o.contentUrl) ?? str(o['@id']);
  }
  return null;
}

function pickCanonical(candidates: Array<string | undefined>, url: string): string | null {
  let page: URL | null = null;
  try {
    page = new URL(url);
  } catch {
    page = null;
  }
  for (const c of candidates) {
    const abs = absolutise(c, url);
    if (!abs) continue;
    const u = new URL(abs);
    // A canonical pointing at a site's home page from an article is a template mistake.
    if (page && u.pathname === '/' && page.pathname.length > 1 && !u.search) continue;
    return abs;
  }
  return page && (page.protocol === 'http:' || page.protocol === 'https:') ? absolutise(url, url) : null;
}

function domDate({ index }: Page, ctx: DateContext): string | null {
  const times = select(index.tag('time'), 'time[datetime], time[pubdate], [class*="date"] time, time').slice(0, 10);
  for (const el of times) {
    const e = el as Element;
    const v = parseDate(e.attribs.datetime ?? collapse(textOf(e)), ctx);
    if (v) return v;
  }
  const dated = select(index.marked, '[class*="date"], [class*="time"], [class*="published"], [id*="date"]').slice(
    0,
    20,
  );
  for (const el of dated) {
    const t = collapse(textOf(el));
    if (t.length > 80 || t.length < 5) continue;
    const v = parseDate(t.replace(/^(published|posted|updated|on|date)\s*:?\s*/i, ''), ctx);
    if (v) return v;
  }
  return null;
}

function titleFromUrl(url: string): string | null {
  try {
    const seg = new URL(url).pathname.split('/').filter(Boolean).pop();
    if (!seg) return null;
    const words = decodeURIComponent(seg)
      .replace(/\.\w+$/, '')
      .split(/[-_]+/)
      .filter((w) => w && !/^\d+$/.test(w));
    if (words.length < 2) return null;
    const t = words.join(' ');
    return t.charAt(0).toUpperCase() + t.slice(1);
  } catch {
    return null;
  }
}
