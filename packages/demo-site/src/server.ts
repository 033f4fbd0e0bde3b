import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { demoArticles } from './articles.ts';
import {
  articlePath,
  listings,
  renderArticle,
  renderFeed,
  renderInfoPage,
  renderListing,
  renderNewsSitemap,
  renderRobots,
} from './render.ts';

export interface DemoSite {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  /** How many times each path was requested. */
  hits: Map<string, number>;
  close(): Promise<void>;
}

/** Serves the demo news site on 127.0.0.1 (port 0 picks a free one). */
export async function serveDemoSite(options: { port?: number; host?: string } = {}): Promise<DemoSite> {
  const hits = new Map<string, number>();
  let base = '';
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', base).pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'max-age=60' }).end(body);
    };
    if (path === '/robots.txt') return send(200, 'text/plain; charset=utf-8', renderRobots(base));
    if (path === '/feed/') return send(200, 'application/rss+xml; charset=utf-8', renderFeed(base));
    if (path === '/news-sitemap.xml') return send(200, 'application/xml; charset=utf-8', renderNewsSitemap(base));
    const paged = /^(.*\/)page\/(\d+)\/$/.exec(path);
    const listing = listings().find((l) => l.path === (paged ? paged[1] : path));
    if (listing) {
      return send(
        200,
        'text/html; charset=UTF-8',
        renderListing(base, { ...listing, page: paged ? Number(paged[2]) : 1 }),
      );
    }
    const info = renderInfoPage(base, path);
    if (info) return send(200, 'text/html; charset=UTF-8', info);
    const article = demoArticles.find((a) => articlePath(a) === path);
    if (article) return send(200, 'text/html; charset=UTF-8', renderArticle(base, article));
    return send(404, 'text/html; charset=UTF-8', '<!DOCTYPE html><title>Page not found</title><h1>404</h1>');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  base = `http://${options.host ?? '127.0.0.1'}:${port}`;
  return {
    url: base,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
