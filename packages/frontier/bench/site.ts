/**
 * A generated news site for benchmarks: exactly `SITE_PAGES` pages (default
 * 10,000) on 127.0.0.1 — a home page, 9 section pages and articles — each
 * realistic-sized news HTML (nav, JSON-LD, ~5 KB of prose, related links,
 * a couple of external links) linking to others so the whole site is
 * reachable from `/`. Run as a child process: prints `{"origin": ...}`.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const WORDS =
  'council budget election river storm court minister school hospital market energy transport housing police festival museum harbour bridge climate health'.split(
    ' ',
  );
const SECTIONS = ['world', 'politics', 'business', 'science', 'health', 'sport', 'culture', 'opinion', 'local'];

export function siteSize(): number {
  return Number(process.env['SITE_PAGES'] ?? 10_000);
}

function articleCount(total: number): number {
  return total - 1 - SECTIONS.length;
}

function articlePath(i: number): string {
  const day = (i % 28) + 1;
  const month = (Math.floor(i / 28) % 12) + 1;
  const slug = [0, 1, 2, 3].map((k) => WORDS[(i * (k + 3) + k * 7) % WORDS.length]).join('-');
  return `/2025/${String(month).padStart(2, '0')}/${String(day).padStart(2, '0')}/${slug}-${i}`;
}

function parseArticle(path: string): number | null {
  const m = /^\/2025\/\d{2}\/\d{2}\/[a-z-]+-(\d+)$/.exec(path);
  return m ? Number(m[1]) : null;
}

function layout(title: string, main: string, ld: string): string {
  const nav = ['<a href="/">Home</a>', ...SECTIONS.map((s) => `<a href="/section/${s}/">${s}</a>`)].join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title} | Bench Gazette</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/static/site.css"><link rel="alternate" type="application/rss+xml" href="/feed.xml">
<script type="application/ld+json">${ld}</script>
<style>body{font-family:Georgia,serif;margin:0 auto;max-width:72rem}.nav a{margin-right:1rem}</style>
</head><body>
<header class="masthead"><div class="logo"><a href="/">Bench Gazette</a></div><nav class="nav">${nav}</nav></header>
<main>${main}</main>
<footer><p>© 2025 Bench Gazette</p><a href="https://twitter.example/benchgazette" rel="nofollow">Twitter</a>
<a href="https://facebook.example/benchgazette">Facebook</a></footer>
<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}gtag('js',new Date());</script>
</body></html>`;
}

function paragraph(i: number, k: number): string {
  const words: string[] = [];
  for (let w = 0; w < 100; w++) words.push(WORDS[(i * 13 + k * 7 + w * 3) % WORDS.length]!);
  return `<p>${words.join(' ')}.</p>`;
}

export function renderPage(path: string, total = siteSize()): string | null {
  const articles = articleCount(total);
  const teaser = (i: number): string =>
    `<li class="teaser"><a href="${articlePath(i)}"><h3>Story ${i}: ${WORDS[i % WORDS.length]} news</h3></a><p>Summary of story ${i}.</p></li>`;
  if (path === '/') {
    const items = Array.from({ length: Math.min(60, articles) }, (_, i) => teaser(i)).join('\n');
    return layout('Home', `<ul class="river">${items}</ul>`, '{"@type":"WebSite","name":"Bench Gazette"}');
  }
  const section = /^\/section\/([a-z]+)\/$/.exec(path);
  if (section) {
    const s = SECTIONS.indexOf(section[1]!);
    if (s === -1) return null;
    const items: string[] = [];
    for (let i = s; i < articles && items.length < 60; i += SECTIONS.length) items.push(teaser(i));
    return layout(section[1]!, `<ul class="river">${items.join('\n')}</ul>`, '{"@type":"CollectionPage"}');
  }
  const i = parseArticle(path);
  if (i === null || i >= articles || articlePath(i) !== path) return null;
  const related = new Set<number>();
  for (const n of [
    i + 1,
    i + 2,
    i + 3,
    i * 7 + 3,
    i * 31 + 7,
    i * 97 + 13,
    i * 211 + 5,
    i * 401 + 1,
    i + 500,
    i + 2500,
  ]) {
    related.add(n % articles);
  }
  for (let k = 1; related.size < 20; k++) related.add((i * 17 + k * 389) % articles);
  related.delete(i);
  const body = Array.from({ length: 8 }, (_, k) => paragraph(i, k)).join('\n');
  const links = [...related].map((n) => `<li><a href="${articlePath(n)}">Related story ${n}</a></li>`).join('\n');
  const ld = JSON.stringify({ '@context': 'https://schema.org', '@type': 'NewsArticle', headline: `Story ${i}` });
  return layout(
    `Story ${i}`,
    `<article><h1>Story ${i}</h1><p class="byline">By Bench Reporter</p>${body}</article>
<aside><h2>Related</h2><ul>${links}</ul></aside>`,
    ld,
  );
}

/** Every URL path of the site (for checks). */
export function allPaths(total = siteSize()): string[] {
  return [
    '/',
    ...SECTIONS.map((s) => `/section/${s}/`),
    ...Array.from({ length: articleCount(total) }, (_, i) => articlePath(i)),
  ];
}

async function main(): Promise<void> {
  const server = createServer((req, res) => {
    const page = renderPage(new URL(req.url ?? '/', 'http://x').pathname);
    if (page === null) {
      res.writeHead(404, { 'content-type': 'text/html' });
      res.end('<h1>Not found</h1>');
      return;
    }
    const body = Buffer.from(page);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': body.length });
    res.end(body);
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  console.log(JSON.stringify({ origin: `http://127.0.0.1:${port}` }));
  process.on('SIGTERM', () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
