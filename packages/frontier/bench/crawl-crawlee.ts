/** Benchmark child: crawl the generated site with Crawlee's CheerioCrawler (in-memory storage, no politeness). */
import { CheerioCrawler, Configuration, log } from 'crawlee';

const seed = process.env['SITE_URL']!;
const concurrency = Number(process.env['CONCURRENCY'] ?? 50);
log.setLevel(log.LEVELS.WARNING);

let pages = 0;
let failed = 0;
const config = new Configuration({ persistStorage: false, purgeOnStart: true });
const crawler = new CheerioCrawler(
  {
    minConcurrency: concurrency,
    maxConcurrency: concurrency,
    maxRequestRetries: 0,
    maxRequestsPerCrawl: 1_000_000,
    requestHandlerTimeoutSecs: 60,
    async requestHandler({ enqueueLinks }) {
      pages++;
      await enqueueLinks({ strategy: 'same-hostname' });
    },
    failedRequestHandler() {
      failed++;
    },
  },
  config,
);

const started = performance.now();
await crawler.run([seed]);
const seconds = (performance.now() - started) / 1000;
console.log(
  JSON.stringify({ name: 'crawlee', pages, failed, seconds, peakRssMb: process.resourceUsage().maxRSS / 1024 }),
);
