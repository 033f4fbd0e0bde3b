/**
 * One side of `npm run bench:render`: Gazette's Renderer (Debian's Chromium,
 * every request through the guarded fetcher) renders every URL of BENCH_URLS
 * (a JSON file) with BENCH_CONCURRENCY contexts. Prints one JSON line.
 */
import { readFileSync } from 'node:fs';
import { createFetcher } from '@gazette/fetch';
import { Renderer } from '../src/index.ts';

const targets = JSON.parse(readFileSync(process.env['BENCH_URLS']!, 'utf8')) as Array<{
  url: string;
  mustContain: string;
}>;
const concurrency = Number(process.env['BENCH_CONCURRENCY'] ?? 4);
const fetcher = createFetcher({ allow: ['127.0.0.1'], contentTypes: null });
const renderer = new Renderer({
  fetcher,
  concurrency,
  executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
});
await renderer.start();
console.log('ready');

const started = performance.now();
let complete = 0;
let failed = 0;
let next = 0;
const reasons: Record<string, number> = {};
const count = (reason: string) => {
  failed++;
  reasons[reason] = (reasons[reason] ?? 0) + 1;
};
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < targets.length) {
      const target = targets[next++]!;
      try {
        const result = await renderer.render({ url: target.url });
        if (result.html.includes(target.mustContain)) complete++;
        else count(result.settled ? 'incomplete' : 'incomplete-unsettled');
      } catch (error) {
        count((error as { reason?: string }).reason ?? 'unexpected');
      }
    }
  }),
);
const seconds = (performance.now() - started) / 1000;
await renderer.close();
await fetcher.close();
if (failed > 0) console.log(`failures: ${JSON.stringify(reasons)}`);
console.log(JSON.stringify({ name: 'gazette', pages: complete, failed, seconds }));
