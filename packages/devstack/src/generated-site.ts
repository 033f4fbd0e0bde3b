/**
 * A generated news site for load and fault tests: any number of distinct
 * article pages (random vocabulary, seeded, so page `i` is the same on every
 * run), each wrapped in the boilerplate of a WordPress news theme (menus,
 * sidebar, inline styles and scripts, comments, footer) to a realistic
 * 30-60 KB. Served on 127.0.0.1 with no robots.txt rules.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export const GENERATED_SITE_NAME = 'The Lantern Gazette';

/** Small deterministic PRNG (mulberry32). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYLLABLES = [
  'ka', 'lo', 'mi', 'ren', 'tar', 'vel', 'os', 'un', 'bri', 'sta', 'gor', 'pel', 'dan', 'qui', 'ser', 'tho',
  'ma', 'nel', 'ri', 'cor', 'vin', 'ald', 'em', 'fra', 'lis', 'mon', 'pra', 'sol', 'tur', 'zen', 'ba', 'dor',
]; // prettier-ignore

/** A fixed vocabulary of invented words, so every page reads differently but tokenises like prose. */
const VOCABULARY: string[] = (() => {
  const next = prng(42);
  const words = new Set<string>();
  while (words.size < 6000) {
    const n = 1 + Math.floor(next() * 3);
    let w = '';
    for (let i = 0; i < n; i++) w += SYLLABLES[Math.floor(next() * SYLLABLES.length)]!;
    words.add(w);
  }
  return [...words];
})();
const COMMON = ['the', 'of', 'and', 'to', 'in', 'a', 'is', 'that', 'for', 'on', 'with', 'as', 'was', 'said', 'by'];

export interface GeneratedArticle {
  index: number;
  path: string;
  title: string;
  description: string;
  author: string;
  section: string;
  tags: string[];
  published: string;
  paragraphs: string[];
}

const SECTIONS = ['world', 'business', 'sport', 'science', 'culture', 'politics'];
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function sentence(next: () => number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) {
    out.push(
      next() < 0.35 ? COMMON[Math.floor(next() * COMMON.length)]! : VOCABULARY[Math.floor(next() * VOCABULARY.length)]!,
    );
  }
  return `${cap(out.join(' '))}.`;
}

/** Article `i` of the generated site: distinct text, 500-1,200 words. */
export function generatedArticle(i: number): GeneratedArticle {
  const next = prng(1_000_003 * (i + 1));
  const title = `${cap(sentence(next, 6 + Math.floor(next() * 5)).slice(0, -1))} (${i})`;
  const paragraphs: string[] = [];
  const count = 8 + Math.floor(next() * 10);
  for (let p = 0; p < count; p++) {
    const sentences = 3 + Math.floor(next() * 4);
    paragraphs.push(Array.from({ length: sentences }, () => sentence(next, 10 + Math.floor(next() * 14))).join(' '));
  }
  const day = 1 + (i % 28);
  const section = SECTIONS[i % SECTIONS.length]!;
  const slug = title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return {
    index: i,
    path: `/2025/06/${String(day).padStart(2, '0')}/${slug}/`,
    title,
    description: sentence(next, 18),
    author: `${cap(VOCABULARY[Math.floor(next() * 500)]!)} ${cap(VOCABULARY[Math.floor(next() * 500)]!)}`,
    section,
    tags: Array.from({ length: 3 }, () => VOCABULARY[Math.floor(next() * 300)]!),
    published: `2025-06-${String(day).padStart(2, '0')}T${String(6 + (i % 12)).padStart(2, '0')}:15:00+00:00`,
    paragraphs,
  };
}

// Boilerplate shared by every page (built once): theme CSS, a mega menu, tracking and theme scripts.
const BOILERPLATE = (() => {
  const next = prng(7);
  const css = Array.from(
    { length: 160 },
    (_, i) =>
      `.td-block-${i} .td-module-title a{color:#${Math.floor(next() * 0xffffff)
        .toString(16)
        .padStart(6, '0')};font-size:${12 + (i % 9)}px;line-height:1.${i % 10};margin:0 0 ${i % 7}px}`,
  ).join('\n');
  const menu = (base: string) =>
    SECTIONS.map(
      (s) =>
        `<li class="menu-item menu-item-has-children"><a href="${base}/category/${s}/">${cap(s)}</a><ul class="sub-menu">${Array.from(
          { length: 14 },
          (_, j) =>
            `<li class="menu-item"><a href="${base}/category/${s}/${VOCABULARY[j * 7 + s.length]!}/">${cap(VOCABULARY[j * 7 + s.length]!)}</a></li>`,
        ).join('')}</ul></li>`,
    ).join('');
  const script = `window.tdThemeSettings=${JSON.stringify(
    Object.fromEntries(Array.from({ length: 120 }, (_, i) => [`opt_${i}`, VOCABULARY[i * 3]!.repeat(1 + (i % 4))])),
  )};`;
  return { css, menu, script };
})();

/** The full HTML page of article `i` (30-60 KB). */
export function renderGeneratedArticle(base: string, i: number): string {
  const a = generatedArticle(i);
  const url = `${base}${a.path}`;
  const trending = Array.from({ length: 12 }, (_, k) => generatedArticle((i + 7 * k + 1) % 100_000));
  const jsonLd = {
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    headline: a.title,
    datePublished: a.published,
    author: { '@type': 'Person', name: a.author },
    publisher: { '@type': 'Organization', name: GENERATED_SITE_NAME },
    mainEntityOfPage: url,
    articleSection: cap(a.section),
    keywords: a.tags.join(', '),
    inLanguage: 'en',
  };
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${esc(a.title)} | ${GENERATED_SITE_NAME}</title>
<meta name="description" content="${esc(a.description)}">
<link rel="canonical" href="${url}">
<meta property="og:type" content="article">
<meta property="og:title" content="${esc(a.title)}">
<meta property="og:url" content="${url}">
<meta property="og:site_name" content="${GENERATED_SITE_NAME}">
<meta property="article:published_time" content="${a.published}">
<meta property="article:section" content="${cap(a.section)}">
${a.tags.map((t) => `<meta property="article:tag" content="${t}">`).join('\n')}
<meta name="author" content="${esc(a.author)}">
<script type="application/ld+json">${JSON.stringify(jsonLd)}</script>
<style id="td-theme-css">${BOILERPLATE.css}</style>
<script>${BOILERPLATE.script}</script>
</head>
<body class="post-template-default single single-post td-standard-pack">
<div id="cookie-notice" role="dialog"><p>We use cookies to improve your experience. By continuing you agree to our cookie policy.</p><button>Accept</button></div>
<header class="td-header-wrap">
  <div class="td-logo"><a href="${base}/"><img src="${base}/img/logo.png" alt="${GENERATED_SITE_NAME}"></a></div>
  <nav class="td-header-menu-wrap" role="navigation"><ul id="menu-main" class="sf-menu">${BOILERPLATE.menu(base)}</ul></nav>
</header>
<div class="td-main-content-wrap"><div class="td-container"><div class="td-pb-row">
<div class="td-pb-span8 td-main-content" role="main">
<article class="post type-post status-publish category-${a.section}">
  <header class="td-post-title">
    <ul class="td-category"><li><a href="${base}/category/${a.section}/">${cap(a.section)}</a></li></ul>
    <h1 class="entry-title">${esc(a.title)}</h1>
    <div class="td-module-meta-info"><div class="td-post-author-name">By <a href="${base}/author/${a.author.toLowerCase().replace(/\W+/g, '-')}/">${esc(a.author)}</a></div>
    <time class="entry-date" datetime="${a.published}">${a.published.slice(0, 10)}</time></div>
  </header>
  <div class="td-post-sharing-top"><a href="https://www.facebook.com/sharer.php?u=${encodeURIComponent(url)}">Facebook</a> <a href="https://twitter.com/intent/tweet?text=${encodeURIComponent(a.title)}">Twitter</a></div>
  <div class="td-post-content tagdiv-type">
    ${a.paragraphs.map((p) => `<p>${esc(p)}</p>`).join('\n    ')}
    <div class="td-a-rec td-a-rec-id-content_bottom"><span class="td-adspot-title">- Advertisement -</span></div>
  </div>
  <footer><ul class="td-tags"><li><span>TAGS</span></li>${a.tags.map((t) => `<li><a href="${base}/tag/${t}/">${t}</a></li>`).join('')}</ul></footer>
</article>
<div class="comments" id="comments"><h3 class="comment-reply-title">Leave a Reply</h3><p class="must-log-in">You must be logged in to post a comment.</p></div>
</div>
<aside class="td-pb-span4 td-main-sidebar" role="complementary">
  <div class="td_block_wrap td_block_trending_now"><h4 class="block-title"><span>Trending Now</span></h4>
  ${trending.map((t) => `<div class="td_module_6"><h3 class="entry-title td-module-title"><a href="${base}${t.path}" rel="bookmark">${esc(t.title)}</a></h3><span class="td-post-date">${t.published.slice(0, 10)}</span><div class="td-excerpt">${esc(t.description)}</div></div>`).join('\n  ')}
  </div>
  <div class="td-a-rec"><span class="td-adspot-title">- Advertisement -</span></div>
</aside>
</div></div></div>
<footer class="td-footer-wrapper">
  <div class="newsletter-signup"><h4>Subscribe to our newsletter</h4><form action="${base}/subscribe"><input type="email" name="email"><button>Subscribe</button></form></div>
  <ul class="footer-menu">${BOILERPLATE.menu(base)}</ul>
  <div class="td-sub-footer-copy">© Copyright 2025 - ${GENERATED_SITE_NAME}. All rights reserved.</div>
</footer>
<script>(function(){var d=document,s=d.createElement('script');s.async=true;s.src='${base}/wp-content/plugins/analytics.js?ver=${i % 97}';d.head.appendChild(s);})();</script>
</body>
</html>`;
}

/** What the site answers for one article; return undefined to serve the normal page. */
export type ArticleOverride = (
  index: number,
) => { status?: number; type?: string; body: string | Uint8Array } | undefined;

export interface GeneratedSite {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  /** The article URLs, in order. */
  articleUrls: string[];
  /** Requests per article index. */
  hits: Map<number, number>;
  /** Serve something else for some articles (poison pages), or undefined to serve them normally again. */
  override: ArticleOverride | undefined;
  /** Answer article requests this much later (a slow site keeps crawl jobs in flight). */
  delayMs: number;
  /** A listing page linking every article. */
  listingUrl: string;
  close(): Promise<void>;
}

/** Serves `count` generated article pages and a listing of them (`/latest/`) on 127.0.0.1 (port 0: any free port). */
export async function serveGeneratedSite(options: {
  count: number;
  port?: number;
  delayMs?: number;
}): Promise<GeneratedSite> {
  const byPath = new Map<string, number>();
  for (let i = 0; i < options.count; i++) byPath.set(generatedArticle(i).path, i);
  let base = '';
  const site: GeneratedSite = {
    url: '',
    articleUrls: [],
    hits: new Map(),
    override: undefined,
    delayMs: options.delayMs ?? 0,
    listingUrl: '',
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server: Server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', base).pathname;
    if (path === '/robots.txt') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('User-agent: *\nDisallow: /wp-admin/\n');
      return;
    }
    if (path === '/latest/') {
      const items = [...byPath.keys()].map(
        (p) => `<li><a href="${base}${p}">${esc(generatedArticle(byPath.get(p)!).title)}</a></li>`,
      );
      res
        .writeHead(200, { 'content-type': 'text/html; charset=UTF-8' })
        .end(
          `<!DOCTYPE html><html lang="en"><head><title>Latest | ${GENERATED_SITE_NAME}</title><meta property="og:type" content="website"></head><body><h1>Latest news</h1><ul>${items.join('')}</ul></body></html>`,
        );
      return;
    }
    const i = byPath.get(path);
    if (i === undefined) {
      res.writeHead(404, { 'content-type': 'text/html' }).end('<!DOCTYPE html><title>Not found</title>');
      return;
    }
    site.hits.set(i, (site.hits.get(i) ?? 0) + 1);
    if (site.delayMs > 0) await new Promise((r) => setTimeout(r, site.delayMs));
    const special = site.override?.(i);
    if (special) {
      res.writeHead(special.status ?? 200, { 'content-type': special.type ?? 'text/html; charset=UTF-8' });
      res.end(special.body);
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=UTF-8' }).end(renderGeneratedArticle(base, i));
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  site.url = base;
  site.articleUrls = [...byPath.keys()].map((p) => `${base}${p}`);
  site.listingUrl = `${base}/latest/`;
  return site;
}
