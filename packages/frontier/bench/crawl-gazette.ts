/** Benchmark child: crawl the generated site with Gazette's fetch + frontier stack. */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { createFetcher } from '@gazette/fetch';
import { classifyPage, normalizeUrl, scanHtml, SeenSet } from '../src/index.ts';

const seed = process.env['SITE_URL']!;
const concurrency = Number(process.env['CONCURRENCY'] ?? 50);
const redis = new Redis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
const seen = new SeenSet({ redis, prefix: `bench:seen:${randomUUID()}:`, capacity: 100_000 });
const fetcher = createFetcher({ allow: ['127.0.0.1'], connectionsPerOrigin: concurrency });
const origin = new URL(seed).origin;

let pages = 0;
let failed = 0;
let articles = 0;
const queue: string[] = [normalizeUrl(seed)];
await seen.addIfNew(queue);

async function crawl(url: string): Promise<void> {
  const outcome = await fetcher.fetch(url);
  if (!outcome.ok || !outcome.body) {
    failed++;
    return;
  }
  pages++;
  const scan = scanHtml(outcome.body.toString('utf8'), outcome.finalUrl);
  if (classifyPage({ url: outcome.finalUrl, scan, origin: 'link' }).kind === 'article') articles++;
  const candidates = scan.links.filter((l) => l.url.startsWith(`${origin}/`)).map((l) => l.url);
  const fresh = await seen.addIfNew(candidates);
  candidates.forEach((u, i) => {
    if (fresh[i]) queue.push(u);
  });
}

const started = performance.now();
await new Promise<void>((resolve) => {
  let active = 0;
  const pump = (): void => {
    while (active < concurrency && queue.length > 0) {
      const url = queue.shift()!;
      active++;
      crawl(url)
        .catch(() => {
          failed++;
        })
        .finally(() => {
          active--;
          pump();
          if (active === 0 && queue.length === 0) resolve();
        });
    }
  };
  pump();
});
const seconds = (performance.now() - started) / 1000;
await seen.clear();
await redis.quit();
await fetcher.close();
console.log(
  JSON.stringify({
    name: 'gazette',
    pages,
    failed,
    articles,
    seconds,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  }),
);
