/**
 * Body extraction: scores containers by the paragraphs they hold (text length, commas, link
 * density, class/id hints), picks the best one and its matching siblings, then serialises it while
 * pruning boilerplate (share bars, related blocks, captions, bylines, newsletter prompts, inline
 * "Read more:" inserts, which become related links).
 */
import type { AnyNode, Document, Element } from './dom.ts';
import { ancestors, attr, classId, collapse, isBlock, isTag, isText, removeNode, toParagraphs, walk } from './dom.ts';

export interface BodyResult {
  paragraphs: string[];
  relatedLinks: Array<{ href: string; text: string }>;
  links: string[];
  /** The chosen container(s). */
  roots: Element[];
  /** Share of the chosen containers' text inside links: high on listing pages. */
  linkDensity: number;
}

/** Removed before anything is scored. */
const DROP_TAGS = new Set([
  'script', 'style', 'noscript', 'template', 'svg', 'math', 'canvas', 'iframe', 'object', 'embed', 'video', 'audio',
  'source', 'track', 'button', 'input', 'select', 'textarea', 'option', 'link', 'meta', 'map', 'dialog', 'head',
]); // prettier-ignore

const P_LIKE = new Set(['p', 'pre', 'blockquote', 'li', 'td', 'dd', 'h2', 'h3', 'h4', 'h5', 'h6', 'th', 'dt']);

const POSITIVE =
  /article|body|content|entry|hentry|h-entry|main|page|post|text|blog|story|prose|rich-?text|paragraph|column/;
const NEGATIVE =
  /(^|[\s_-])(ad|ads|advert\w*|adv|banner|combx|comments?|com-|contact|foot|footer|footnote|gdpr|masthead|media|meta|outbrain|promo\w*|related|scroll|share|sharing|shoutbox|sidebar|skyscraper|sponsor\w*|shopping|tags?|tool\w*|widget|social|newsletter|subscri\w*|byline|author|caption|credit|recommend\w*|trending|popular|nav\w*|menu|breadcrumbs?|teaser|signup|cookie|consent|modal|popup|rail|aside|more)([\s_-]|$)|taboola|sharedaddy|addtoany|jp-relatedposts|yarpp/;

/** Class/id words (lower-cased) that mark boilerplate inside the chosen content. */
const BOILER =
  /(^|[\s_-])(ad|ads|adv|advert\w*|ad-?slot|ad-?container|banner|share\w*|social\w*|related\w*|newsletter\w*|subscri\w*|signup|promo\w*|sponsor\w*|comments?|disqus|recommend\w*|trending|popular|most-?read|breadcrumbs?|byline\w*|author-?(bio|box|info|card|details)|about-?(the-?)?author|bio|tags?|tag-?list|keywords|topics|caption|credit\w*|copyright|toolbar|tools|pagination|pager|print|cookie\w*|consent|gdpr|paywall|modal|popup|overlay|widget|sidebar|rail|more-?(stories|news|from|articles)|read-?more|see-?also|also-?read|next-?(article|post|story)|prev-?(article|post)|post-?navigation|nav|navigation|menu|footer|header|masthead|timestamp|dateline|date|published|meta|hidden|visually-?hidden|sr-only|screen-?reader\w*|skip)([\s_-]|$)|sharedaddy|addtoany|jp-relatedposts|yarpp|adsbygoogle|taboola|outbrain/;

/** Short paragraphs that are page furniture, not article text. */
const FURNITURE =
  /^(advertisements?|advertising|advert|ad|comments?( comments)?|more|sponsored( content)?|story continues below( advertisement)?|continue reading( below)?|read more|read full (story|article)|show more|load more|share( this)?( article| story)?|tweet|email|print|copy link|click (here )?to (share|print|email)|sign up( for| to)? .{0,60}|subscribe( now)?( to .{0,60})?|follow us( on .{0,40})?|related( stories| articles| posts| news)?|recommended( for you)?|trending( now)?|most (read|popular)|more from .{0,40}|you (may|might) also like|image:? .{0,80}|photo:? .{0,80}|getty images|skip (to )?(main )?content|this (article|story) (was|is) (originally )?(published|posted) .{0,120})\.?:?$/i;

const READ_MORE =
  /^(read more|read also|also read|see also|related|related article|related story|related news|more|read|watch|listen|recommended|don't miss|don’t miss|must read|read next|also see)\s*[:：\-–—»>|]\s*/i;

interface Stats {
  text: number;
  link: number;
  /** Text of good paragraphs (long enough, few links) anywhere below, undecayed. */
  good: number;
  /** Number of `<a>` and `<blockquote>` elements below (inclusive). */
  anchors: number;
  quotes: number;
  score: number;
  scored: boolean;
}

/** A run of inline text between block boundaries or `<br>`s: one paragraph as a reader sees it. */
interface Segment {
  block: Element;
  len: number;
  link: number;
  commas: number;
}

/** Class/id words that make an element an unlikely container, unless it also looks like content. */
const UNLIKELY =
  /-ad-|ai2html|banner|breadcrumbs|combx|comment|community|cover-wrap|disqus|extra|footer|gdpr|header|legends|menu|related|remark|replies|rss|shoutbox|sidebar|skyscraper|social|sponsor|supplemental|ad-break|agegate|pagination|pager|popup|yom-remote|newsletter|outbrain|taboola|trending|recommend|most-?popular|most-?read/;
const MAYBE = /and|article|body|column|content|main|shadow/;
const UNLIKELY_ROLES = new Set(['menu', 'menubar', 'complementary', 'navigation', 'alert', 'alertdialog', 'dialog']);

function isUnlikely(el: Element): boolean {
  if (el.name === 'body' || el.name === 'html' || el.name === 'a' || el.name === 'article' || el.name === 'main') {
    return false;
  }
  const role = el.attribs.role;
  if (role && UNLIKELY_ROLES.has(role)) return true;
  const ci = classId(el);
  if (!ci) return false;
  return UNLIKELY.test(ci) && !MAYBE.test(ci);
}

function classWeight(el: Element, text: number): number {
  const ci = classId(el);
  let w = 0;
  if (ci) {
    if (NEGATIVE.test(ci)) w -= 25;
    if (POSITIVE.test(ci)) w += 25;
  }
  if (attr(el, 'itemprop')?.includes('articleBody')) w += 50;
  // A hint on a scrap of text says little.
  return w * Math.min(1, text / 1000);
}

function initScore(el: Element): number {
  switch (el.name) {
    case 'article':
      return 10;
    case 'div':
    case 'section':
    case 'main':
      return 5;
    case 'pre':
    case 'td':
    case 'blockquote':
      return 3;
    case 'address':
    case 'ol':
    case 'ul':
    case 'dl':
    case 'dd':
    case 'dt':
    case 'li':
    case 'form':
      return -3;
    case 'h1':
    case 'h2':
    case 'h3':
    case 'h4':
    case 'h5':
    case 'h6':
    case 'th':
    case 'header':
    case 'footer':
    case 'nav':
    case 'aside':
      return -5;
    default:
      return 0;
  }
}

function isHidden(el: Element): boolean {
  if (el.attribs.hidden !== undefined) return true;
  const style = el.attribs.style;
  if (style && /display\s*:\s*none|visibility\s*:\s*hidden/i.test(style)) return true;
  return false;
}

/** Drops scripts, styles, forms controls, hidden elements and comments from the whole document. */
export function sanitize(doc: Document): void {
  const doomed: AnyNode[] = [];
  walk(doc, (n) => {
    if (isTag(n)) {
      if (DROP_TAGS.has(n.name) || isHidden(n)) {
        doomed.push(n);
        return false;
      }
    } else if (!isText(n) && n.type !== 'root') {
      doomed.push(n);
      return false;
    }
  });
  for (const n of doomed) removeNode(n as Element);
}

const COMMA = /[,，、،]/g;

function countCommas(s: string): number {
  return s.match(COMMA)?.length ?? 0;
}

function visibleLength(t: string): number {
  let len = 0;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c > 32 && c !== 160) len++;
  }
  return len;
}

interface Collected {
  order: Element[];
  stats: Map<Element, Stats>;
  segments: Segment[];
}

/**
 * One iterative pass collecting per-element text and link lengths and the paragraph segments;
 * `excluded` subtrees are left out entirely.
 */
function collectStats(root: Element, excluded: Set<Element>): Collected {
  const order: Element[] = [];
  const stats = new Map<Element, Stats>();
  const segments: Segment[] = [];
  const blocks: Element[] = [];
  let seg: Segment | null = null;
  const close = (): void => {
    if (seg && seg.len) segments.push(seg);
    seg = null;
  };
  type Frame = { node: AnyNode; exit: boolean; inLink: boolean };
  const stack: Frame[] = [{ node: root, exit: false, inLink: false }];
  while (stack.length) {
    const { node, exit, inLink } = stack.pop()!;
    if (isText(node)) {
      const len = visibleLength(node.data);
      if (!len) continue;
      const parent = node.parent as Element;
      const s = stats.get(parent);
      if (s) {
        s.text += len;
        if (inLink) s.link += len;
      }
      const block = blocks[blocks.length - 1];
      if (!block) continue;
      if (!seg) seg = { block, len: 0, link: 0, commas: 0 };
      const cur: Segment = seg;
      cur.len += len;
      if (inLink) cur.link += len;
      cur.commas += countCommas(node.data);
      continue;
    }
    if (!isTag(node)) continue;
    const block = isBlock(node);
    if (exit) {
      if (block) {
        close();
        blocks.pop();
      }
      continue;
    }
    if (excluded.has(node)) continue;
    if (node.name === 'br') {
      close();
      continue;
    }
    order.push(node);
    stats.set(node, {
      text: 0,
      link: 0,
      good: 0,
      anchors: node.name === 'a' ? 1 : 0,
      quotes: node.name === 'blockquote' ? 1 : 0,
      score: 0,
      scored: false,
    });
    if (block) {
      close();
      blocks.push(node);
    }
    stack.push({ node, exit: true, inLink });
    const link = inLink || node.name === 'a';
    const kids = node.children;
    for (let i = kids.length - 1; i >= 0; i--) stack.push({ node: kids[i]!, exit: false, inLink: link });
  }
  close();
  for (const sg of segments) {
    if (sg.len >= 40 && sg.link / sg.len < 0.3) {
      const s = stats.get(sg.block);
      if (s) s.good += sg.len;
    }
  }
  for (let i = order.length - 1; i >= 0; i--) {
    const el = order[i]!;
    const p = el.parent;
    if (p && isTag(p)) {
      const s = stats.get(el)!;
      const ps = stats.get(p);
      if (!ps) continue;
      ps.text += s.text;
      ps.link += s.link;
      ps.good += s.good;
      ps.anchors += s.anchors;
      ps.quotes += s.quotes;
    }
  }
  return { order, stats, segments };
}

function linkDensity(s: Stats): number {
  return s.text ? s.link / s.text : 0;
}

/**
 * Scores every container Readability-style: each paragraph segment adds to its container and up
 * to four ancestors (less with each level), then scores are discounted by link density. Returns
 * the scored candidates and the best one.
 */
function scoreCandidates({ stats, segments }: Collected): {
  candidates: Element[];
  top: Element | null;
  topScore: number;
} {
  const candidates: Element[] = [];
  for (const sg of segments) {
    if (sg.len < 25) continue;
    const el = sg.block;
    if (el.name === 'h1') continue;
    const contentScore = (1 + sg.commas + Math.min(Math.floor(sg.len / 100), 3)) * (1 - Math.min(1, sg.link / sg.len));
    const start: Element | null = P_LIKE.has(el.name) ? (el.parent && isTag(el.parent) ? el.parent : null) : el;
    if (!start) continue;
    const chain = [start, ...ancestors(start, 4)];
    chain.forEach((anc, level) => {
      const as = stats.get(anc);
      if (!as) return;
      if (!as.scored) {
        as.scored = true;
        as.score = initScore(anc) + classWeight(anc, as.text);
        candidates.push(anc);
      }
      const divider = level === 0 ? 1 : level === 1 ? 2 : level * 3;
      as.score += contentScore / divider;
    });
  }
  let top: Element | null = null;
  let topScore = -Infinity;
  for (const c of candidates) {
    const s = stats.get(c)!;
    s.score *= 1 - linkDensity(s);
    if (s.score > topScore) {
      topScore = s.score;
      top = c;
    }
  }
  return { candidates, top, topScore };
}

/** Several strong candidates under one ancestor: that ancestor holds the article. */
function commonAncestor(
  body: Element,
  top: Element,
  topScore: number,
  candidates: Element[],
  stats: Map<Element, Stats>,
): Element {
  const strong = candidates
    .filter((c) => c !== top && stats.get(c)!.score >= topScore * 0.75)
    .sort((a, b) => stats.get(b)!.score - stats.get(a)!.score)
    .slice(0, 5);
  if (strong.length < 2) return top;
  const lists = strong.map((c) => new Set(ancestors(c)));
  for (const anc of ancestors(top)) {
    if (anc === body || anc.name === 'html') break;
    let containing = 0;
    for (const l of lists) if (l.has(anc)) containing++;
    if (containing >= 2) return anc;
  }
  return top;
}

/** A body split into chunks: siblings of the path up with the same class add much more article text. */
function joinSplitBody(body: Element, top: Element, stats: Map<Element, Stats>): Element {
  const base = stats.get(top)!.good;
  let child: Element = top;
  for (const anc of ancestors(top, 3)) {
    if (anc === body || anc.name === 'html') break;
    const cls = child.attribs.class;
    let extra = 0;
    if (cls) {
      for (const sib of anc.children) {
        if (sib !== child && isTag(sib) && sib.attribs.class === cls) extra += stats.get(sib)?.good ?? 0;
      }
    }
    if (extra >= base * 0.25 && extra > 100) return anc;
    child = anc;
  }
  return top;
}

/** An only child stands for its parent. */
function climbOnlyChildren(body: Element, top: Element): Element {
  while (top.parent && isTag(top.parent) && top.parent !== body && top.parent.name !== 'html') {
    const siblings = top.parent.children.filter((c) => isTag(c) || (isText(c) && c.data.trim()));
    if (siblings.length !== 1) break;
    top = top.parent;
  }
  return top;
}

/** The top element and those of its siblings that score close to it or read as prose paragraphs, in order. */
function withSiblings(top: Element, stats: Map<Element, Stats>): Element[] {
  const topStats = stats.get(top)!;
  const threshold = Math.max(10, topStats.score * 0.2);
  const parent = top.parent;
  if (!parent || !isTag(parent)) return [top];
  const roots: Element[] = [];
  for (const sib of parent.children) {
    if (!isTag(sib)) continue;
    if (sib === top) {
      roots.push(sib);
      continue;
    }
    const s = stats.get(sib);
    if (!s) continue;
    let bonus = 0;
    if (sib.attribs.class && sib.attribs.class === top.attribs.class) bonus += topStats.score * 0.2;
    if (s.scored && s.score + bonus >= threshold && linkDensity(s) < 0.3) {
      roots.push(sib);
      continue;
    }
    if (sib.name === 'p') {
      const ld = linkDensity(s);
      const text = collapse(toParagraphs([sib]).join(' '));
      if (
        (text.length > 80 && ld < 0.25) ||
        (text.length > 0 && text.length <= 80 && ld === 0 && /[.!?]$/.test(text))
      ) {
        roots.push(sib);
      }
    }
  }
  return roots;
}

/** Scores every container, Readability-style, and returns the chosen root elements in order. */
function chooseRoots(body: Element, collected: Collected): Element[] {
  const { stats } = collected;
  const { candidates, top: best, topScore } = scoreCandidates(collected);
  if (!best || best === body) return best ? [best] : [];
  let top = commonAncestor(body, best, topScore, candidates, stats);
  top = joinSplitBody(body, top, stats);
  top = climbOnlyChildren(body, top);
  return withSiblings(top, stats);
}

function isReadMore(el: Element, stats: Map<Element, Stats>): boolean {
  const s = stats.get(el);
  // A "Read more: <headline>" insert is mostly link; its headline may be long.
  if (!s || !s.link || s.text > 600 || s.link / s.text <= 0.4) return false;
  const text = collapse(toParagraphs([el]).join(' '));
  if (READ_MORE.test(text)) return text.length <= 600;
  return s.text <= 250 && text.length < 200 && /^(see more|don['’]t miss|more|related|read more)\b/i.test(text);
}

const STRONG_POSITIVE =
  /(entry|article|post|story|main|page|body)[-_]?(content|body|text)|articlebody|article__body|content__body|body-?text|rich-?text|field-?body/;

function boilerClass(el: Element): boolean {
  const ci = classId(el);
  if (!ci || !BOILER.test(ci)) return false;
  return !STRONG_POSITIVE.test(ci);
}

const CONTAINER_TAGS = new Set(['div', 'section', 'ul', 'ol', 'dl', 'table', 'center', 'form', 'fieldset']);

/** Class/id fragments of image and media furniture: captions, credits, embeds. */
const CAPTION = /caption|credit|image-?embed|imageembed|img-?cap|photo-?cap|wp-caption/;
const MEDIA = /image|img|photo|picture|figure|media|gallery|video|slideshow|carousel|embed|player/;

/** Extracts the article body from a sanitised document. */
export function extractBody(doc: Document, title: string | null, authors: string[] = []): BodyResult {
  let body: Element | null = null;
  walk(doc, (n) => {
    if (body) return false;
    if (isTag(n) && n.name === 'body') {
      body = n;
      return false;
    }
    if (isTag(n) && n.name === 'html') return true;
  });
  const root: Element | null = body ?? (doc.children.find((c) => isTag(c)) as Element | undefined) ?? null;
  if (!root) return { paragraphs: [], relatedLinks: [], links: [], roots: [], linkDensity: 0 };
  const unlikely = new Set<Element>();
  walk(root, (n) => {
    if (isTag(n) && isUnlikely(n)) {
      unlikely.add(n);
      return false;
    }
  });
  let result = extractFrom(root, unlikely, title, authors);
  if (unlikely.size) {
    const tokens = countTokens(result.paragraphs, 80);
    if (tokens < 80) {
      const retry = extractFrom(root, new Set(), title, authors);
      if (countTokens(retry.paragraphs, tokens + 1) > tokens) result = retry;
    }
  }
  return result;
}

/** An all-capitals paragraph that is one link: a "related story" headline inserted into the text. */
function isHeadlineLink(el: Element, s: Stats): boolean {
  if (!(el.name === 'p' || /^h[2-6]$/.test(el.name)) || s.text < 12 || s.link / s.text < 0.8) return false;
  const text = collapse(toParagraphs([el]).join(' '));
  const letters = text.replace(/[^\p{L}]/gu, '');
  return letters.length >= 10 && letters === letters.toUpperCase() && letters !== letters.toLowerCase();
}

/** Calls to action: newsletters, apps, social follows, sharing, comments. */
const CTA =
  /\b(newsletters?|subscribe|subscription|sign(ing)? up|click(ing)? here|tap here|get the .{0,30}app|download the .{0,30}app|delivered to your inbox|in your inbox|meet your inbox|share (it|this)( story| article)? with|like this (story|article)|follow (us|him|her|them|me|[A-Z][\w ]{1,40}) on (twitter|facebook|instagram|youtube|linkedin)|listen (to|back)|tell us what you think|affiliate (links?|commission)|disclosure (policy|page)|all rights reserved|copyright ©|©)/i;

/** Credit lines that close wire stories. */
const CREDITS =
  /^\(?(reporting|additional reporting|writing|editing|compiled|produced|research|graphics|photos?|video) by\b|^\(?(editing|reporting) by\b|^(contact|reach|email) (the )?(writer|reporter|author)|may be reached at|can be reached at/i;

const LEADING_META =
  /^(by|von|par|por)\s+\S.{0,80}$|^(updated|published|posted|last updated|first published)\b.{0,80}$|^\d{1,2}:\d{2}\s*(am|pm)?\b.{0,60}$/i;

/** Longer than any text {@link FURNITURE} matches (its longest alternative is under 170 characters). */
const FURNITURE_MAX = 200;
/** How far from either end of a paragraph {@link isFurniture} looks for a letter or digit. */
const FURNITURE_EDGE = 20;

/**
 * A paragraph that is page furniture once the punctuation around it is stripped. A paragraph with
 * a letter or digit near each end strips to nearly its whole length, too long to be furniture: it
 * is not rewritten and matched.
 */
function isFurniture(p: string): boolean {
  if (
    p.length > FURNITURE_MAX + 2 * FURNITURE_EDGE &&
    /[\p{L}\p{N}]/u.test(p.slice(0, FURNITURE_EDGE)) &&
    /[\p{L}\p{N}.!?]/u.test(p.slice(-FURNITURE_EDGE))
  ) {
    return false;
  }
  return FURNITURE.test(p.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}.!?]+$/gu, ''));
}

function cleanParagraphs(paragraphs: string[], title: string | null, authors: string[]): string[] {
  let out = paragraphs.filter((p) => !isFurniture(p));
  // The headline repeated at the top of the content is not body text.
  if (title && out.length && normaliseForCompare(out[0]!) === normaliseForCompare(title)) out.shift();
  // Bylines, datelines and timestamps above the text.
  while (out.length > 1 && out[0]!.length < 100 && (LEADING_META.test(out[0]!) || isOnlyAuthors(out[0]!, authors))) {
    out.shift();
  }
  out = out.filter((p) => !(p.length < 250 && CTA.test(p)));
  // Credits, contact lines and author bios below the text.
  const authorFirst = authors.map((a) => a.split(/\s+/)[0]!).filter((n) => n.length > 1);
  while (out.length > 1) {
    const last = out[out.length - 1]!;
    if (last.length > 400) break;
    const bio =
      authors.some((a) => last.startsWith(`${a} is `) || last.startsWith(`${a}’s `) || last.startsWith(`${a}'s `)) ||
      authorFirst.some((n) => new RegExp(`^${escapeRe(n)}( [A-Z][\\w.-]+){0,2} (is|was) (an?|the) `).test(last));
    if (CREDITS.test(last) || bio) out.pop();
    else break;
  }
  return out.filter((p) => p.length > 300 || !CREDITS.test(p));
}

function isOnlyAuthors(p: string, authors: string[]): boolean {
  if (!authors.length) return false;
  let rest = p;
  for (const a of authors) rest = rest.split(a).join(' ');
  return !/[\p{L}\p{N}]/u.test(rest.replace(/\b(by|and|with|staff|writer|reporter|correspondent|editor)\b/gi, ''));
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const TOKEN = /[\p{L}\p{N}]+/gu;

/** Runs of letters and digits in the paragraphs, counted up to `max` (what the callers compare against). */
function countTokens(paragraphs: string[], max: number): number {
  let n = 0;
  for (const p of paragraphs) {
    TOKEN.lastIndex = 0;
    while (n < max && TOKEN.test(p)) n++;
    if (n >= max) break;
  }
  return n;
}

function extractFrom(root: Element, excluded: Set<Element>, title: string | null, authors: string[]): BodyResult {
  const collected = collectStats(root, excluded);
  const { stats } = collected;
  const roots = chooseRoots(root, collected);
  if (!roots.length) return { paragraphs: [], relatedLinks: [], links: [], roots: [], linkDensity: 0 };

  const rootSet = new Set(roots);
  const relatedLinks: Array<{ href: string; text: string }> = [];
  const links: string[] = [];
  const totalText = roots.reduce((n, r) => n + stats.get(r)!.text, 0);

  const memo = new Map<Element, boolean>();
  const skip = (el: Element): boolean => {
    let v = memo.get(el);
    if (v === undefined) {
      v = decide(el);
      memo.set(el, v);
    }
    return v;
  };
  const decide = (el: Element): boolean => {
    if (rootSet.has(el)) return false;
    if (excluded.has(el)) return true;
    const s = stats.get(el);
    if (!s) return false;
    const big = s.text >= totalText * 0.5;
    switch (el.name) {
      case 'nav':
      case 'aside':
      case 'footer':
      case 'header':
      case 'figcaption':
      case 'figure':
      case 'form':
      case 'h1':
      case 'address':
      case 'time':
        if (!big) return true;
    }
    if (isReadMore(el, stats) && (isBlock(el) || el.name === 'strong' || el.name === 'em' || el.name === 'b')) {
      walk(el, (n) => {
        if (isTag(n) && n.name === 'a' && n.attribs.href) {
          relatedLinks.push({ href: n.attribs.href, text: collapse(toParagraphs([n]).join(' ')) });
        }
      });
      return true;
    }
    if (isHeadlineLink(el, s)) {
      walk(el, (n) => {
        if (isTag(n) && n.name === 'a' && n.attribs.href) {
          relatedLinks.push({ href: n.attribs.href, text: collapse(toParagraphs([n]).join(' ')) });
        }
      });
      return true;
    }
    const ci = classId(el);
    if (ci && !big && el.name !== 'blockquote' && !s.quotes) {
      if (boilerClass(el)) return true;
      if (CAPTION.test(ci)) return true;
      if (MEDIA.test(ci) && !STRONG_POSITIVE.test(ci) && s.text < 400 && isBlock(el)) return true;
    }
    // A cluster of links inside a paragraph (hover cards, inline link lists) is not prose.
    if (!isBlock(el) && el.name !== 'a' && s.text > 60 && linkDensity(s) > 0.9 && s.anchors >= 2) return true;
    const role = el.attribs.role;
    if (role && /^(navigation|complementary|banner|contentinfo|dialog|alert|menu|menubar)$/.test(role)) return true;
    const ld = linkDensity(s);
    if (el.name === 'blockquote') return s.text > 0 && ld > 0.8;
    if (!CONTAINER_TAGS.has(el.name) || big) return false;
    if (s.text > 0 && ld > 0.5 && s.text < 600) return true;
    if (s.text < 200 && ld > 0.33) return true;
    return false;
  };

  const paragraphs = cleanParagraphs(toParagraphs(roots, skip), title, authors);
  for (const r of roots) {
    walk(r, (n) => {
      if (isTag(n)) {
        if (!rootSet.has(n) && skip(n)) return false;
        if (n.name === 'a' && n.attribs.href) links.push(n.attribs.href);
      }
    });
  }
  const linkText = roots.reduce((n, r) => n + stats.get(r)!.link, 0);
  return { paragraphs, relatedLinks, links, roots, linkDensity: totalText ? linkText / totalText : 0 };
}

function normaliseForCompare(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
