/**
 * The other side of `npm run bench:render`: Crawlee's PlaywrightCrawler on the
 * same Debian Chromium (launchContext.executablePath, no browser download),
 * same URLs and concurrency; each page is loaded, left to settle (network
 * idle), and scrolled to its end by Crawlee's infiniteScroll until no new
 * request starts, before its HTML is taken. Prints one JSON line.
 */
import { readFileSync } from 'node:fs';
import { Configuration, PlaywrightCrawler, playwrightUtils } from 'crawlee';
import { chromium } from 'playwright';
import { CHROMIUM_ARGS } from '../src/index.ts';

const targets = JSON.parse(readFileSync(process.env['BENCH_URLS']!, 'utf8')) as Array<{
  url: string;
  mustContain: string;
}>;
const expected = new Map(targets.map((t) => [t.url, t.mustContain]));
const concurrency = Number(process.env['BENCH_CONCURRENCY'] ?? 4);
let complete = 0;
let failed = 0;

const crawler = new PlaywrightCrawler(
  {
    launchContext: {
      launcher: chromium,
      launchOptions: {
        executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
        headless: true,
        args: [...CHROMIUM_ARGS],
      },
    },
    minConcurrency: concurrency,
    maxConcurrency: concurrency,
    maxRequestRetries: 0,
    requestHandlerTimeoutSecs: 30,
    preNavigationHooks: [async ({ page }) => playwrightUtils.blockRequests(page)],
    async requestHandler({ page, request }) {
      // The same steps as Gazette's renderer: settle after load, then Crawlee's own helper scrolls to the
      // end until no new request starts for a second (its finest setting).
      await page.waitForLoadState('networkidle');
      await playwrightUtils.infiniteScroll(page, { waitForSecs: 1 });
      const html = await page.content();
      if (html.includes(expected.get(request.url) ?? '\u0000')) complete++;
      else failed++;
    },
    failedRequestHandler() {
      failed++;
    },
  },
  new Configuration({ persistStorage: false, purgeOnStart: true }),
);

console.log('ready');
const started = performance.now();
await crawler.run(targets.map((t) => t.url));
const seconds = (performance.now() - started) / 1000;
console.log(JSON.stringify({ name: 'crawlee', pages: complete, failed, seconds }));
