import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One article of the fixture site, as its JSON API serves it. */
export interface AppArticle {
  slug: string;
  title: string;
  author: string;
  publishedAt: string;
  section: string;
  /** Paragraphs served with the article. */
  lead: string[];
  /** Paragraphs served only when the reader scrolls to the end. */
  rest: string[];
}

export interface AppSite {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  articles: AppArticle[];
  /** Requests per path. */
  hits: Map<string, number>;
  close(): Promise<void>;
}

const TOPICS = [
  ['harbour', 'The harbour authority', 'dredging the eastern channel', 'container traffic'],
  ['library', 'The city library', 'restoring the reading room', 'rare maps'],
  ['orchard', 'Orchard growers', 'a late frost in the valley', 'the apple harvest'],
  ['tramway', 'The tramway company', 'extending the northern line', 'evening service'],
  ['observatory', 'The hill observatory', 'a new spectrograph', 'variable stars'],
  ['market', 'The covered market', 'reopening after repairs', 'weekend traders'],
] as const;

function paragraphs(subject: string, topic: string, object: string, from: number, count: number): string[] {
  return Array.from(
    { length: count },
    (_, i) =>
      `${subject} said on day ${from + i} that work on ${topic} would continue through the season, ` +
      `and that ${object} had been considered in every part of the plan discussed at the meeting. ` +
      `Residents asked detailed questions about costs, timing and noise, and officials promised a written answer ` +
      `before the next council session (paragraph ${from + i}).`,
  );
}

/** The articles of the fixture site (deterministic); past the six topics, slugs get a number. */
export function appArticles(count: number = TOPICS.length): AppArticle[] {
  return Array.from({ length: count }, (_, i) => {
    const [slug, subject, topic, object] = TOPICS[i % TOPICS.length]!;
    const round = Math.floor(i / TOPICS.length);
    return {
      slug: round === 0 ? slug : `${slug}-${round}`,
      title: `${subject} announces plans for ${topic}${round === 0 ? '' : ` (part ${round + 1})`}`,
      author: ['Ada Moreau', 'Bram Oster', 'Chiara Velt'][i % 3]!,
      publishedAt: `2026-03-${String(10 + (i % 18)).padStart(2, '0')}T08:30:00Z`,
      section: i % 2 ? 'City' : 'Region',
      lead: paragraphs(subject, topic, object, 1, 3),
      rest: paragraphs(subject, topic, object, 4, 3),
    };
  });
}

const SHELL = (title: string) => `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<script src="/static/app.js" defer></script></head>
<body><div id="app"></div>
<noscript>This site needs JavaScript: please enable JavaScript to read the news.</noscript>
<img src="/static/logo.png" alt=""></body></html>`;

/**
 * The client-side application: builds the home listing or an article from the
 * JSON API, then loads the second half of the article when the reader reaches
 * its end. It also asks for a script on another host, which must stay unloaded.
 */
const APP = `
(async () => {
  const app = document.getElementById('app');
  const tracker = document.createElement('script');
  tracker.src = 'http://localhost:' + location.port + '/static/tracker.js';
  document.head.appendChild(tracker);
  const path = location.pathname;
  if (path === '/') {
    const list = await (await fetch('/api/articles.json')).json();
    app.innerHTML = '<h1>Latest news</h1><ul>' + list.map((a) =>
      '<li><a href="/news/' + a.slug + '/">' + a.title + '</a></li>').join('') + '</ul>';
    return;
  }
  const m = /^\\/news\\/([a-z0-9-]+)\\/$/.exec(path);
  if (!m) { app.textContent = 'Not found'; return; }
  const a = await (await fetch('/api/articles/' + m[1] + '.json')).json();
  document.title = a.title;
  const meta = (name, content, attr) => { const el = document.createElement('meta'); el.setAttribute(attr || 'name', name); el.content = content; document.head.appendChild(el); };
  meta('author', a.author);
  meta('article:published_time', a.publishedAt, 'property');
  meta('og:type', 'article', 'property');
  meta('og:title', a.title, 'property');
  const ld = document.createElement('script');
  ld.type = 'application/ld+json';
  ld.textContent = JSON.stringify({ '@context': 'https://schema.org', '@type': 'NewsArticle', headline: a.title,
    datePublished: a.publishedAt, author: { '@type': 'Person', name: a.author }, articleSection: a.section });
  document.head.appendChild(ld);
  const article = document.createElement('article');
  article.innerHTML = '<h1>' + a.title + '</h1><p class="byline">By ' + a.author + '</p>' +
    '<time datetime="' + a.publishedAt + '">' + a.publishedAt.slice(0, 10) + '</time>' +
    a.lead.map((p) => '<p>' + p + '</p>').join('');
  app.appendChild(article);
  // Comments, related links, ...: the end of the article is far below the first screen.
  const below = document.createElement('div');
  below.style.height = '3000px';
  app.appendChild(below);
  const sentinel = document.createElement('div');
  sentinel.style.height = '1px';
  app.appendChild(sentinel);
  const seen = new IntersectionObserver(async (entries) => {
    if (!entries.some((e) => e.isIntersecting)) return;
    seen.disconnect();
    const rest = await (await fetch('/api/articles/' + a.slug + '/rest.json')).json();
    article.insertAdjacentHTML('beforeend', rest.map((p) => '<p>' + p + '</p>').join(''));
    sentinel.remove();
    below.remove();
  });
  seen.observe(sentinel);
})();
`;

/** A page whose script never yields: the load event never fires. */
const HANG = `<!DOCTYPE html><html><head><title>Busy</title></head><body><div id="app"></div>
<script>for (;;) {}</script></body></html>`;

/** A page that allocates without bound. */
const OOM = `<!DOCTYPE html><html><head><title>Hungry</title></head><body><div id="app"></div>
<script>const keep = []; for (;;) keep.push(new Array(1e6).fill(keep.length));</script></body></html>`;

/** A page whose script asks for a non-public address. */
const PROBE = (target: string) => `<!DOCTYPE html><html><head><title>Probe</title></head><body><div id="app"></div>
<script>fetch(${JSON.stringify(target)}).then(() => { document.getElementById('app').textContent = 'reached'; },
  () => { document.getElementById('app').textContent = 'refused'; });</script></body></html>`;

/**
 * A news site on 127.0.0.1 (port 0 by default) whose articles only exist
 * after scripts run: every page is an empty shell, the listing and the
 * articles come from a JSON API, and the second half of each article loads
 * when the reader scrolls to its end. `/trouble/hang`, `/trouble/oom` and
 * `/trouble/probe?to=URL` are pages that never settle, allocate without bound,
 * or reach for another address.
 */
export async function serveAppSite(
  options: { port?: number; host?: string; articles?: number } = {},
): Promise<AppSite> {
  const articles = appArticles(options.articles);
  const hits = new Map<string, number>();
  let base = '';
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', base);
    const path = url.pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const send = (status: number, type: string, body: string) =>
      res.writeHead(status, { 'content-type': type }).end(body);
    const json = (value: unknown) => send(200, 'application/json', JSON.stringify(value));
    if (path === '/robots.txt') return send(200, 'text/plain', 'User-agent: *\nDisallow: /private/\n');
    if (path === '/' || /^\/news\/[a-z0-9-]+\/$/.test(path) || path.startsWith('/private/'))
      return send(200, 'text/html; charset=utf-8', SHELL('Gazette fixture news'));
    if (path === '/static/app.js') return send(200, 'text/javascript', APP);
    if (path === '/static/tracker.js') return send(200, 'text/javascript', 'document.body.append("tracker loaded");');
    if (path === '/static/logo.png') return send(200, 'image/png', 'not really a png');
    if (path === '/api/articles.json')
      return json(articles.map(({ slug, title, publishedAt }) => ({ slug, title, publishedAt })));
    const api = /^\/api\/articles\/([a-z0-9-]+)(\/rest)?\.json$/.exec(path);
    const article = api ? articles.find((a) => a.slug === api[1]) : undefined;
    if (api && article) {
      if (api[2]) return json(article.rest);
      const { rest: _rest, ...lead } = article;
      return json(lead);
    }
    if (path === '/trouble/hang') return send(200, 'text/html', HANG);
    if (path === '/trouble/oom') return send(200, 'text/html', OOM);
    if (path === '/trouble/probe') return send(200, 'text/html', PROBE(url.searchParams.get('to') ?? ''));
    return send(404, 'text/html', '<!DOCTYPE html><title>Not found</title><h1>404</h1>');
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const { port, address } = server.address() as AddressInfo;
  base = `http://${address}:${port}`;
  return {
    url: base,
    articles,
    hits,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
