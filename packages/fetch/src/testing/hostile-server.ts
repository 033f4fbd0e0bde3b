import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync, deflateRawSync, gzipSync } from 'node:zlib';

/**
 * A misbehaving web server on 127.0.0.1 for tests: every route is one way a
 * real site can hurt a crawler. Extra routes can be added per test.
 */
export interface HostileServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  port: number;
  /** Requests seen, in order, as `METHOD path`. */
  requests: string[];
  /** Add or replace a route. */
  route(path: string, handler: (req: IncomingMessage, res: ServerResponse) => void): void;
  close(): Promise<void>;
}

export const ARTICLE_HTML =
  '<!doctype html><html><head><title>A story</title><meta property="og:type" content="article"></head>' +
  '<body><article><h1>A story</h1><p>Some text.</p><a href="/2025/07/26/another-story-here">next</a></article></body></html>';

/** Bytes that are Latin-1 but will be served as UTF-8. */
export const LATIN1_BYTES = Buffer.from('<html><body><p>Caf\xe9 cr\xe8me br\xfbl\xe9e</p></body></html>', 'latin1');

/** `host`: the loopback address to listen on (default 127.0.0.1; any of 127.0.0.0/8 works on Linux). */
export async function startHostileServer(options: { host?: string } = {}): Promise<HostileServer> {
  const requests: string[] = [];
  const routes = new Map<string, (req: IncomingMessage, res: ServerResponse) => void>();
  const timers = new Set<NodeJS.Timeout>();
  const counters = new Map<string, number>();
  const count = (key: string): number => {
    const n = (counters.get(key) ?? 0) + 1;
    counters.set(key, n);
    return n;
  };
  const html = (
    res: ServerResponse,
    body: string | Buffer,
    status = 200,
    headers: Record<string, string> = {},
  ): void => {
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...headers });
    res.end(body);
  };
  // A gzip bomb: 64 MiB of zeros compress to ~64 KiB.
  const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024));

  routes.set('/ok', (_req, res) => html(res, ARTICLE_HTML));
  routes.set('/slow-headers', () => {
    // Never answer: the fetcher's headers timeout must fire.
  });
  routes.set('/endless', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.write('<html><body>');
    const timer = setInterval(() => res.write('<p>still going</p>'), 20);
    timers.add(timer);
    res.on('close', () => {
      clearInterval(timer);
      timers.delete(timer);
    });
  });
  routes.set('/bomb', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' });
    res.end(bomb);
  });
  routes.set('/huge', (_req, res) => {
    // No content-length: the cap must be enforced while streaming.
    res.writeHead(200, { 'content-type': 'text/html' });
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    let sent = 0;
    const pump = (): void => {
      while (sent < 64 * 1024 * 1024) {
        sent += chunk.length;
        if (!res.write(chunk)) {
          res.once('drain', pump);
          return;
        }
      }
      res.end();
    };
    res.on('close', () => res.removeAllListeners('drain'));
    pump();
  });
  routes.set('/huge-declared', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html', 'content-length': String(50 * 1024 * 1024) });
    res.write('<html>');
  });
  routes.set('/gzip', (_req, res) => html(res, gzipSync(ARTICLE_HTML), 200, { 'content-encoding': 'gzip' }));
  routes.set('/br', (_req, res) => html(res, brotliCompressSync(ARTICLE_HTML), 200, { 'content-encoding': 'br' }));
  routes.set('/deflate-raw', (_req, res) =>
    html(res, deflateRawSync(ARTICLE_HTML), 200, { 'content-encoding': 'deflate' }),
  );
  routes.set('/loop-a', (_req, res) => {
    res.writeHead(302, { location: '/loop-b' });
    res.end();
  });
  routes.set('/loop-b', (_req, res) => {
    res.writeHead(301, { location: '/loop-a' });
    res.end();
  });
  routes.set('/redirect-to', (req, res) => {
    const to = new URL(req.url ?? '/', 'http://x').searchParams.get('to') ?? '/ok';
    res.writeHead(302, { location: to });
    res.end();
  });
  routes.set('/too-limited', (_req, res) => {
    res.writeHead(429, { 'retry-after': '7', 'content-type': 'text/plain' });
    res.end('slow down');
  });
  routes.set('/flaky', (_req, res) => {
    if (count('flaky') === 1) {
      res.writeHead(503, { 'content-type': 'text/plain' });
      res.end('try later');
    } else html(res, ARTICLE_HTML);
  });
  routes.set('/gone', (_req, res) => html(res, 'gone', 410));
  routes.set('/teapot', (_req, res) => html(res, 'teapot', 418));
  routes.set('/pdf', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/pdf' });
    res.end('%PDF-1.4');
  });
  routes.set('/wrong-charset', (_req, res) => html(res, LATIN1_BYTES));
  routes.set('/etag', (req, res) => {
    if (req.headers['if-none-match'] === '"v1"') {
      res.writeHead(304, { etag: '"v1"' });
      res.end();
    } else html(res, ARTICLE_HTML, 200, { etag: '"v1"', 'last-modified': 'Sat, 26 Jul 2025 10:00:00 GMT' });
  });
  routes.set('/robots.txt', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(
      [
        'User-agent: *',
        'Disallow: /',
        '',
        'User-agent: GazetteBot',
        'Disallow: /private',
        'Allow: /private/public-*',
        'Crawl-delay: 2',
        '',
        'Sitemap: /news-sitemap.xml',
      ].join('\n'),
    );
  });
  routes.set('/feed.xml', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml' });
    res.end(
      `<?xml version="1.0"?><rss version="2.0"><channel><title>Hostile news</title>` +
        `<item><title>First &amp; best</title><link>/2025/07/26/first-story</link><pubDate>Sat, 26 Jul 2025 08:00:00 GMT</pubDate></item>` +
        `<item><title><![CDATA[Second <story>]]></title><link>/2025/07/25/second-story</link><pubDate>Fri, 25 Jul 2025 09:30:00 +0200</pubDate></item>` +
        `</channel></rss>`,
    );
  });
  routes.set('/news-sitemap.xml', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/xml' });
    res.end(
      `<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" ` +
        `xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">` +
        `<url><loc>/2025/07/26/news-one</loc><news:news><news:publication><news:name>Hostile</news:name>` +
        `<news:language>en</news:language></news:publication><news:publication_date>2025-07-26T07:00:00Z</news:publication_date>` +
        `<news:title>News one</news:title></news:news></url>` +
        `<url><loc>/2025/07/26/news-two</loc><lastmod>2025-07-26</lastmod></url>` +
        `</urlset>`,
    );
  });

  const server: Server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const handler = routes.get(path);
    if (handler) handler(req, res);
    else html(res, 'not found', 404);
  });
  await new Promise<void>((resolve) => server.listen(0, options.host ?? '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://${options.host ?? '127.0.0.1'}:${port}`,
    port,
    requests,
    route: (path, handler) => routes.set(path, handler),
    close: async () => {
      for (const t of timers) clearInterval(t);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
