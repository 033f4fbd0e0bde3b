/**
 * What kind of page a document is, from its structure and metadata, before any body is extracted:
 * a listing (home, section, tag, author and date archives, search results, their pagination, however
 * few excerpts they hold), a static page (about, contact, privacy, terms), an error page, or
 * possibly an article (the body extractor decides). Signals, strongest first:
 *
 * 1. CMS body classes. WordPress prints the template on `<body>`: `single`/`single-post` (a post),
 *    `page page-id-N` (a static page), `archive`, `category`, `tag`, `author`, `date`, `blog`,
 *    `home`, `search`, `paged` (listings), `error404`. Drupal prints `page-node-type-page`,
 *    `path-taxonomy`, `path-frontpage`.
 * 2. Explicit metadata when no article type is declared: JSON-LD `CollectionPage`, `ItemList`,
 *    `SearchResultsPage` (listing), `AboutPage`, `ContactPage`, `ProfilePage` (static page);
 *    `og:type=profile` (an author page).
 * 3. Repeated post cards: two or more entries (`<article>`, `.hentry`, `.wp-block-post`, ...) each
 *    headed by a link to another page, or one such entry ending in an excerpt marker ("Continue
 *    reading", "Read more", "[…]"): a listing whatever its word count. Cards inside asides,
 *    footers and navigation (a story's "related" box) do not count, and a page that declares
 *    itself an article is never judged by its cards.
 */
import type { Element } from './dom.ts';
import { collapse, isTag, textOf } from './dom.ts';
import { closest, descendants, type DocIndex, select } from './doc-index.ts';
import { isArticleNode, types } from './jsonld.ts';

export type PageType = 'article' | 'listing' | 'static-page' | 'error-page';

export interface PageTypeResult {
  type: PageType;
  /** Machine-readable rule, e.g. `body-class:category`, `json-ld:AboutPage`, `post-cards:4`. */
  reason: string;
}

const LISTING_CLASSES = ['archive', 'category', 'tag', 'author', 'date', 'blog', 'search', 'paged', 'tax'];
const LISTING_LD = new Set(['collectionpage', 'itemlist', 'searchresultspage']);
const STATIC_LD = new Set(['aboutpage', 'contactpage', 'profilepage', 'faqpage', 'checkoutpage']);
const CARD_SELECTOR = 'article, .hentry, .wp-block-post, .type-post, .post-card, [class*="post-card"], .teaser';
const EXCERPT_MARKER =
  /^(continue reading|read more|read the rest|keep reading|more)\b|(\[(…|\.\.\.|&hellip;)\]|»|…)$|^(weiterlesen|lire la suite|leer más|continua a leggere|lees meer)\b/i;

export type NonArticleType = { type: Exclude<PageType, 'article'>; reason: string };

/** Classes of the `<body>` element, lower-cased. */
function bodyClasses(index: DocIndex): Set<string> {
  const cls = index.tag('body')[0]?.attribs.class ?? '';
  return new Set(cls.toLowerCase().split(/\s+/).filter(Boolean));
}

function fromBodyClasses(classes: Set<string>): PageTypeResult | null {
  if (classes.size === 0) return null;
  if (classes.has('error404')) return { type: 'error-page', reason: 'body-class:error404' };
  // A post (WordPress `single`, Drupal `page-node-type-article`): the body extractor decides.
  if (classes.has('single') || classes.has('single-post') || [...classes].some((c) => /^postid-\d+$/.test(c)))
    return { type: 'article', reason: 'body-class:single' };
  // Drupal.
  if (classes.has('page-node-type-page')) return { type: 'static-page', reason: 'body-class:page-node-type-page' };
  if (classes.has('path-taxonomy') || classes.has('path-frontpage'))
    return {
      type: 'listing',
      reason: `body-class:${classes.has('path-taxonomy') ? 'path-taxonomy' : 'path-frontpage'}`,
    };
  // WordPress templates: listings carry the template name, static pages `page page-id-N`.
  const wpTemplate = [...classes].some((c) => /^(page-id|page-template|term|category|tag|author|paged)-/.test(c));
  // Plain words like `home` or `archive` alone are too common to mean anything; WordPress's pairs are not.
  const wpListing =
    (classes.has('home') && classes.has('blog')) ||
    (classes.has('archive') && classes.has('date')) ||
    classes.has('search-results') ||
    classes.has('search-no-results');
  if (!wpTemplate && !wpListing) return null;
  for (const c of LISTING_CLASSES) if (classes.has(c)) return { type: 'listing', reason: `body-class:${c}` };
  if (classes.has('home')) return { type: 'listing', reason: 'body-class:home' };
  if (classes.has('page') && [...classes].some((c) => /^page-id-\d+$/.test(c)))
    return { type: 'static-page', reason: 'body-class:page' };
  return null;
}

function outermost(els: Element[]): Element[] {
  const set = new Set(els);
  return els.filter((el) => {
    for (let p = el.parent; p; p = p.parent) if (set.has(p as Element)) return false;
    return true;
  });
}

const sameDoc = (href: string, url: string): boolean => {
  try {
    const a = new URL(href, url);
    const b = new URL(url);
    return a.origin === b.origin && a.pathname.replace(/\/$/, '') === b.pathname.replace(/\/$/, '');
  } catch {
    return true;
  }
};

const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4']);
const MARKER_TAGS = new Set(['a', 'p', 'span', 'div']);

/** The first link below `card` inside an `h1`–`h4` that is the card or below it (cheerio's `find('h1 a[href], …, h4 a[href]')`). */
function headingLinkIn(card: Element): Element | undefined {
  return descendants(
    card,
    (el) => {
      if (el.name !== 'a' || el.attribs.href === undefined) return false;
      for (let p = el.parent; p && isTag(p); p = p.parent) {
        if (HEADINGS.has(p.name)) return true;
        if (p === card) break;
      }
      return false;
    },
    1,
  )[0];
}

/** Entries headed by a link to another page, outside asides, footers and navigation. */
function postCards(index: DocIndex, url: string): { cards: number; withMarker: number } {
  const candidates = select(index.marked, CARD_SELECTOR).filter(
    (el) => !closest(el, 'aside, footer, nav, [role="complementary"], .related, [class*="related"]'),
  );
  let cards = 0;
  let withMarker = 0;
  for (const card of outermost(candidates as Element[])) {
    const href = headingLinkIn(card)?.attribs.href;
    if (!href || sameDoc(href, url)) continue;
    cards++;
    const marker = descendants(card, (m) => MARKER_TAGS.has(m.name)).some((m) => {
      const t = collapse(textOf(m));
      return (
        t.length > 0 &&
        t.length < 200 &&
        EXCERPT_MARKER.test(t) &&
        ((m as Element).name === 'a' || /\[(…|\.\.\.)\]$/.test(t))
      );
    });
    if (marker) withMarker++;
  }
  return { cards, withMarker };
}

/**
 * The page's type from its structure and metadata (run on the untouched document); `null` when
 * nothing says, and the body extractor decides. `url` is the page's canonical or final URL.
 */
export function classifyPageType(index: DocIndex, url: string): NonArticleType | null {
  const byClass = fromBodyClasses(bodyClasses(index));
  if (byClass) return byClass.type === 'article' ? null : { type: byClass.type, reason: byClass.reason };
  const ogType = (select(index.tag('meta'), 'meta[property="og:type"], meta[name="og:type"]')[0]?.attribs.content ?? '')
    .trim()
    .toLowerCase();
  const nodes = index.jsonLd();
  if (ogType === 'article' || nodes.some(isArticleNode)) return null;
  const ldTypes = nodes.flatMap(types);
  const listingLd = ldTypes.find((t) => LISTING_LD.has(t.toLowerCase()));
  if (listingLd) return { type: 'listing', reason: `json-ld:${listingLd}` };
  const staticLd = ldTypes.find((t) => STATIC_LD.has(t.toLowerCase()));
  if (staticLd) return { type: 'static-page', reason: `json-ld:${staticLd}` };
  if (ogType === 'profile') return { type: 'static-page', reason: 'og:type=profile' };
  const { cards, withMarker } = postCards(index, url);
  if (cards >= 2) return { type: 'listing', reason: `post-cards:${cards}` };
  if (withMarker >= 1) return { type: 'listing', reason: 'excerpt' };
  return null;
}
