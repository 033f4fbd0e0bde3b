/**
 * The extractor alone, as the peer of `bench:pipeline`: one process that runs `extract()` on the
 * generated site's pages (the same HTML the site serves at `--base`), sequentially, and prints one
 * JSON line: pages, seconds spent extracting, pages/s, CPU ms per page, p50/p99 per page, peak RSS.
 *
 * `node [--conditions=@gazette/source] --import tsx test/bench/extract-alone.ts --base URL --pages N --sample K`
 *
 * K pages spread evenly over the N (all of them when K >= N); each page is rendered before its
 * timing starts, so only the extraction is measured. A warm-up pass over the first 50 comes first,
 * as a parser process warms up on its first jobs.
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { generatedArticle, renderGeneratedArticle } from '@gazette/devstack';
import { extract } from '@gazette/extract';

const { values } = parseArgs({
  options: {
    base: { type: 'string' },
    pages: { type: 'string' },
    sample: { type: 'string' },
  },
});
const base = values.base ?? '';
const n = Number(values.pages);
const sample = Math.min(n, Number(values.sample ?? values.pages));
if (!base || !Number.isInteger(n) || n <= 0 || !Number.isInteger(sample) || sample <= 0) {
  throw new Error('usage: extract-alone.ts --base URL --pages N [--sample K]');
}

const indices = Array.from({ length: sample }, (_, k) => Math.floor((k * n) / sample));
const fetchedAt = new Date().toISOString();
let articles = 0;
let cpuMicros = 0;
function once(i: number): number {
  const body = Buffer.from(renderGeneratedArticle(base, i));
  const url = `${base}${generatedArticle(i).path}`;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const r = extract({ body, url, contentType: 'text/html; charset=UTF-8', fetchedAt });
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  cpuMicros += cpu.user + cpu.system;
  if (r.kind === 'article') articles++;
  return ms;
}

for (const i of indices.slice(0, 50)) once(i);
articles = 0;
cpuMicros = 0;
const times: number[] = [];
for (const i of indices) times.push(once(i));
const seconds = times.reduce((a, b) => a + b, 0) / 1000;
const sorted = [...times].sort((a, b) => a - b);
const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
console.log(
  JSON.stringify({
    pages: sample,
    articles,
    seconds: Number(seconds.toFixed(2)),
    pagesPerSecond: Number((sample / seconds).toFixed(1)),
    // CPU of extract() alone (user + system), which contention on a shared machine does not inflate as it does wall time.
    cpuMsPerPage: Number((cpuMicros / 1000 / sample).toFixed(2)),
    p50Ms: Number(pct(50).toFixed(2)),
    p99Ms: Number(pct(99).toFixed(2)),
    maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
