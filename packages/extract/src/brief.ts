/**
 * Short news: a brief of two or three sentences, or a one-line flash whose headline is the whole
 * story, is still an article. A body under `MIN_BODY_WORDS` words is accepted when the page says
 * it is an article in at least two independent ways and the text reads as prose, not as page
 * furniture (a cookie notice, an error page, a list of links).
 */
import { collapse, textContent, type Element } from './dom.ts';
import { descendants, type DocIndex, select } from './doc-index.ts';

/** A brief has at least this many words. */
export const MIN_BRIEF_WORDS = 5;
/** A flash (a page whose only text is its headline) has a headline of at least this many words. */
export const MIN_FLASH_WORDS = 6;

export interface ArticleEvidence {
  /** `og:type` is `article`, or JSON-LD declares an Article type. */
  declared: boolean;
  /** One `<article>` element (or an `articleBody`/`articleBody`-like itemprop) holds the headline or the text. */
  articleElement: boolean;
  /** The page carries a publication date. */
  dated: boolean;
  /** The page names an author. */
  byline: boolean;
  /** The page's `<h1>` inside the article element, if one (collapsed text). */
  headline: string | null;
}

const ARTICLE_TYPES = /"@type"\s*:\s*(\[[^\]]*)?"(News|Report|Reportage|Analysis|Opinion|Blog|Backgrounder)?Article"/;

const isH1 = (el: Element): boolean => el.name === 'h1';

/** Reads the page's own claims to be an article (`index` is the document's before it is sanitised). */
export function articleEvidence(
  index: DocIndex,
  meta: { publishedAt: string | null; authors: string[] },
): ArticleEvidence {
  const ogType = (select(index.tag('meta'), '[property="og:type"]')[0]?.attribs.content ?? '').trim().toLowerCase();
  let declared = ogType === 'article' || ogType.startsWith('article.') || ogType === 'news';
  if (!declared) {
    for (const text of index.ldScripts()) {
      if (ARTICLE_TYPES.test(text)) {
        declared = true;
        break;
      }
    }
  }
  const articles = index.tag('article');
  const bodyProp = select(index.itemprops, '[itemprop="articleBody"]');
  const articleElement = articles.length === 1 || bodyProp.length === 1;
  const scope = articles.length === 1 ? articles[0]! : bodyProp.length === 1 ? bodyProp[0]! : null;
  const h1s = index.tag('h1');
  const h1 = scope ? descendants(scope, isH1, 1)[0] : h1s.length === 1 ? h1s[0] : undefined;
  const headline = h1 ? collapse(textContent(h1)) || null : null;
  return { declared, articleElement, dated: !!meta.publishedAt, byline: meta.authors.length > 0, headline };
}

/** Text that pages show when they hold no article: consent walls, errors, sign-in and paywall prompts. */
const FURNITURE =
  /\b((we|this (site|website)) uses? cookies|accept (all )?cookies|cookie (settings|policy|preferences)|manage (your )?consent|enable javascript|javascript is (disabled|required)|(update|upgrade) your browser|sign in to|log in to|subscribe to (continue|read)|subscribers only|page (was )?not found|404|403|access denied|are you a robot|captcha|something went wrong|coming soon|under construction|all rights reserved|terms of (use|service)|privacy policy)\b/i;

const words = (s: string) => s.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;

export type ShortVerdict = { accept: true; body: string[]; kind: 'brief' | 'flash' } | { accept: false; why: string };

/**
 * Decides about a page whose best candidate is under `MIN_BODY_WORDS` words. `paragraphs` is the
 * extracted body, `linkDensity` the share of its text inside links.
 */
export function judgeShort(evidence: ArticleEvidence, paragraphs: string[], linkDensity: number): ShortVerdict {
  const points = [evidence.declared, evidence.articleElement, evidence.dated, evidence.byline].filter(Boolean).length;
  if (points < 2) return { accept: false, why: 'the page does not present itself as an article' };
  const text = collapse(paragraphs.join(' '));
  const n = words(text);
  if (n > 0) {
    if (linkDensity > 0.2) return { accept: false, why: 'the text is mostly links' };
    if (n < MIN_BRIEF_WORDS) return { accept: false, why: `the text has ${n} words, fewer than ${MIN_BRIEF_WORDS}` };
    if (FURNITURE.test(text)) return { accept: false, why: 'the text reads as page furniture, not news' };
    return { accept: true, body: paragraphs, kind: 'brief' };
  }
  // A flash: the headline is the whole story, so it must read as a sentence.
  const h = evidence.headline;
  if (!h) return { accept: false, why: 'no headline and no text' };
  if (words(h) < MIN_FLASH_WORDS || !/[.!?]["'”’)]?$/.test(h)) {
    return { accept: false, why: 'the only text is a headline that is not a sentence' };
  }
  if (FURNITURE.test(h)) return { accept: false, why: 'the headline reads as page furniture, not news' };
  return { accept: true, body: [h], kind: 'flash' };
}
