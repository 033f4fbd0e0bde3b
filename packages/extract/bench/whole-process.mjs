/**
 * `npm run bench:extract:process [-- --dir DIR --passes N --rounds N]`: Gazette's extractor against
 * Readability.js (on linkedom) as whole processes, start-up included: each process loads its
 * extractor, reads the benchmark's pages and extracts every page N times (default 3), then exits.
 * Plain JavaScript on both sides (Gazette's compiled `dist/`; run `npx turbo run build` first), the
 * processes alternated, each side's best of `--rounds` (default 3) wall times kept.
 *
 * Each process also reports its CPU time (all its threads: compilers and garbage collector
 * included), the time its extractor took to import and each pass's time, so start-up and the first,
 * unoptimised pass can be told apart from steady work. Each figure is its best over the rounds. On
 * a machine shared with other work the ratio by CPU time varies less than the one by wall time.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { performance } from 'node:perf_hooks';
import { TextDecoder } from 'node:util';
import { loadNow, recordBenchResult, wantsRecord } from '../../../test/bench/bench-record.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../../..');

/** @param {string} name */
function arg(name) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const dir = resolve(arg('--dir') ?? resolve(repoRoot, '../shared/datasets/article-extraction-benchmark'));
const passes = Number(arg('--passes') ?? 3);
const rounds = Number(arg('--rounds') ?? 3);

/** CPU milliseconds this process has used so far (user and system, all threads). */
function cpuMs() {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** @param {string} which */
async function worker(which) {
  const htmlDir = existsSync(join(dir, 'html')) ? join(dir, 'html') : dir;
  const truth = JSON.parse(readFileSync(join(dir, 'ground-truth.json'), 'utf8'));
  /** @type {Array<[string, Buffer]>} */
  const pages = [];
  for (const name of readdirSync(htmlDir).sort()) {
    const m = /^(.*)\.html(\.gz)?$/.exec(name);
    if (!m || !m[1]) continue;
    const raw = readFileSync(join(htmlDir, name));
    pages.push([truth[m[1]]?.url ?? `https://example.com/${m[1]}`, m[2] ? gunzipSync(raw) : raw]);
  }
  /** @type {(html: Buffer, url: string) => number} */
  let run;
  const importStart = [performance.now(), cpuMs()];
  if (which === 'gazette') {
    const { extract } = await import('@gazette/extract');
    const fetchedAt = new Date().toISOString();
    run = (html, url) => {
      try {
        const r = extract({ body: html, url, fetchedAt, contentType: 'text/html; charset=utf-8' });
        return r.kind === 'article' ? r.record.body.length : 0;
      } catch {
        return 0;
      }
    };
  } else {
    const { Readability } = await import('@mozilla/readability');
    const { parseHTML } = await import('linkedom');
    const decoder = new TextDecoder('utf-8');
    run = (html) => {
      try {
        const { document } = parseHTML(decoder.decode(html));
        return new Readability(document).parse()?.textContent?.length ?? 0;
      } catch {
        return 0;
      }
    };
  }
  const importMs = [performance.now() - importStart[0], cpuMs() - importStart[1]];
  let chars = 0;
  /** @type {number[][]} */
  const passMs = [];
  for (let pass = 0; pass < passes; pass++) {
    const t0 = performance.now();
    const c0 = cpuMs();
    for (const [url, html] of pages) chars += run(html, url);
    passMs.push([performance.now() - t0, cpuMs() - c0]);
  }
  process.stdout.write(JSON.stringify({ pages: pages.length, chars, importMs, passMs, cpuMs: cpuMs() }));
}

async function main() {
  const loadBefore = loadNow();
  if (!existsSync(join(here, '../dist/index.js'))) {
    console.error('packages/extract/dist is missing: run `npx turbo run build` first');
    process.exit(1);
  }
  /** @type {Record<string, number>} */
  const best = { gazette: Infinity, readability: Infinity };
  /** Per side, each figure's best over the rounds: [process CPU, import wall, import CPU, then wall and CPU of each pass]. */
  /** @type {Record<string, number[]>} */
  const figures = {};
  let pages = 0;
  for (let round = 0; round < rounds; round++) {
    for (const which of ['gazette', 'readability']) {
      const t0 = performance.now();
      const r = spawnSync(
        process.execPath,
        [fileURLToPath(import.meta.url), '--worker', which, ...process.argv.slice(2)],
        {
          encoding: 'utf8',
          maxBuffer: 1 << 20,
        },
      );
      const ms = performance.now() - t0;
      if (r.status !== 0) throw new Error(`${which} process failed: ${r.stderr}`);
      const out = JSON.parse(r.stdout);
      pages = out.pages;
      best[which] = Math.min(best[which] ?? Infinity, ms);
      const row = [out.cpuMs, ...out.importMs, .../** @type {number[][]} */ (out.passMs).flat()];
      figures[which] = row.map((v, i) => Math.min(v, figures[which]?.[i] ?? Infinity));
    }
  }
  const work = pages * passes;
  const gz = (work / (best.gazette ?? Infinity)) * 1000;
  const rd = (work / (best.readability ?? Infinity)) * 1000;
  console.log(
    `whole processes: ${pages} pages x ${passes} passes, start-up included, best of ${rounds} alternated runs`,
  );
  console.log(`Gazette          ${(best.gazette / 1000).toFixed(2)} s  ${gz.toFixed(1)} pages/s`);
  console.log(`Readability.js   ${(best.readability / 1000).toFixed(2)} s  ${rd.toFixed(1)} pages/s`);
  console.log(`Gazette / Readability.js pages per second (whole process): ${(gz / rd).toFixed(2)}×`);
  /** @param {number} ms */
  const f = (ms) => ms.toFixed(0);
  console.log('\nper process (each figure its best over the rounds; ms of wall / ms of CPU):');
  for (const [name, key] of [
    ['Gazette', 'gazette'],
    ['Readability.js', 'readability'],
  ]) {
    const [cpu = NaN, importWall = NaN, importCpu = NaN, ...pass] = figures[key] ?? [];
    const perPass = [];
    for (let i = 0; i + 1 < pass.length; i += 2) perPass.push(`${f(pass[i] ?? NaN)} / ${f(pass[i + 1] ?? NaN)}`);
    console.log(
      `${name.padEnd(16)} CPU ${(cpu / 1000).toFixed(2)} s; import ${f(importWall)} / ${f(importCpu)}; passes ${perPass.join(', ')}`,
    );
  }
  const gzCpu = figures.gazette?.[0] ?? NaN;
  const rdCpu = figures.readability?.[0] ?? NaN;
  console.log(`Gazette / Readability.js by CPU time per process: ${(rdCpu / gzCpu).toFixed(2)}×`);
  /** @param {number[] | undefined} row */
  const side = (row) => {
    const [cpu = NaN, importWall = NaN, importCpu = NaN, ...pass] = row ?? [];
    const passes = [];
    for (let i = 0; i + 1 < pass.length; i += 2) passes.push({ wallMs: round(pass[i]), cpuMs: round(pass[i + 1]) });
    return { cpuMs: round(cpu), importMs: { wall: round(importWall), cpu: round(importCpu) }, passes };
  };
  const summary = {
    pages,
    passes,
    rounds,
    gazette: { seconds: round(best.gazette / 1000, 3), pagesPerSecond: round(gz), ...side(figures.gazette) },
    readability: {
      seconds: round(best.readability / 1000, 3),
      pagesPerSecond: round(rd),
      ...side(figures.readability),
    },
    ratio: round(gz / rd, 2),
    ratioByCpu: round(rdCpu / gzCpu, 2),
  };
  console.log(JSON.stringify(summary));
  if (wantsRecord()) {
    recordBenchResult('extract-process', 'extract-process', 'bench:extract:process', summary, [loadBefore, loadNow()]);
  }
}

/** @param {number | undefined} x @param {number} [digits] */
function round(x, digits = 1) {
  return x === undefined || !Number.isFinite(x) ? null : Math.round(x * 10 ** digits) / 10 ** digits;
}

const at = process.argv.indexOf('--worker');
if (at !== -1) await worker(process.argv[at + 1] ?? '');
else await main();
