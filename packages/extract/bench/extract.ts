/**
 * `npm run bench:extract [-- --dir DIR --truth FILE --rounds N]`: scores Gazette and Readability.js (run live,
 * each in its own worker process so peak RSS is its own) on the article-extraction benchmark, and
 * the stored peers' outputs with the same scorer.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { performance } from 'node:perf_hooks';
import { loadNow, recordBenchResult, wantsRecord } from '../../../test/bench/bench-record.mjs';
import { scorePage, summarise, type Summary } from './score.ts';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../../..');
const DEFAULT_DIR = resolve(repoRoot, '../shared/datasets/article-extraction-benchmark');

/** Timed passes per extractor process (after one warm-up pass). */
const ROUNDS = 3;
/** Processes per extractor, alternated (`--rounds N`). */
const PROCESS_ROUNDS = Number(arg('--rounds') ?? 3);

interface Truth {
  [id: string]: { articleBody: string; url: string };
}

interface WorkerResult {
  outputs: Record<string, string>;
  times: number[];
  /** Gazette only: milliseconds per extraction stage over the timed passes. */
  stages?: Record<string, number>;
  maxRssMb: number;
  errors: number;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function loadPages(dir: string): Map<string, Buffer> {
  const htmlDir = existsSync(join(dir, 'html')) ? join(dir, 'html') : dir;
  const pages = new Map<string, Buffer>();
  for (const name of readdirSync(htmlDir).sort()) {
    const m = /^(.*)\.html(\.gz)?$/.exec(name);
    if (!m) continue;
    const raw = readFileSync(join(htmlDir, name));
    pages.set(m[1]!, m[2] ? gunzipSync(raw) : raw);
  }
  return pages;
}

type Runner = ((html: Buffer, url: string) => string) & { stages?: Record<string, number> };

async function makeRunner(which: string): Promise<Runner> {
  if (which === 'gazette') {
    const { emptyTimings, extract } = await import('../src/index.ts');
    const fetchedAt = new Date().toISOString();
    const stages = emptyTimings();
    const run: Runner = (html, url) => {
      try {
        const r = extract({ body: html, url, fetchedAt, contentType: 'text/html; charset=utf-8' }, stages);
        return r.kind === 'article' ? r.record.body : '';
      } catch {
        return '';
      }
    };
    run.stages = stages as unknown as Record<string, number>;
    return run;
  }
  const { Readability } = await import('@mozilla/readability');
  const { parseHTML } = await import('linkedom');
  const decoder = new TextDecoder('utf-8');
  return (html) => {
    try {
      const { document } = parseHTML(decoder.decode(html));
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const article = new Readability(document as any).parse();
      return article?.textContent ?? '';
    } catch {
      return '';
    }
  };
}

/** Worker mode: run one extractor over every page (a warm-up pass, then a timed pass). */
async function worker(which: string, dir: string, truthFile: string): Promise<void> {
  const truth = JSON.parse(readFileSync(truthFile, 'utf8')) as Truth;
  const pages = loadPages(dir);
  const run = await makeRunner(which);
  for (const [id, html] of pages) run(html, truth[id]?.url ?? `https://example.com/${id}`);
  if (run.stages) for (const k of Object.keys(run.stages)) run.stages[k] = 0;
  // Several timed passes; each page keeps its fastest time, which filters out noise from other load.
  const outputs: Record<string, string> = {};
  const times: number[] = new Array<number>(pages.size).fill(Infinity);
  let errors = 0;
  for (let pass = 0; pass < ROUNDS; pass++) {
    let i = 0;
    for (const [id, html] of pages) {
      const t0 = performance.now();
      const body = run(html, truth[id]?.url ?? `https://example.com/${id}`);
      times[i] = Math.min(times[i]!, performance.now() - t0);
      i++;
      if (pass === 0) {
        if (!body) errors++;
        outputs[id] = body;
      }
    }
  }
  const result: WorkerResult = {
    outputs,
    times,
    stages: run.stages,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    errors,
  };
  process.stdout.write(JSON.stringify(result));
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

interface Row {
  name: string;
  s: Summary;
  pps?: number;
  p50?: number;
  p99?: number;
  rss?: number;
}

function fmt(n: number | undefined, digits: number): string {
  return n === undefined ? '—' : n.toFixed(digits);
}

async function main(): Promise<void> {
  const dir = resolve(arg('--dir') ?? DEFAULT_DIR);
  const truthFile = resolve(arg('--truth') ?? join(dir, 'ground-truth.json'));
  const which = arg('--worker');
  if (which) return worker(which, dir, truthFile);
  const loadBefore = loadNow();

  const truth = JSON.parse(readFileSync(truthFile, 'utf8')) as Truth;
  const ids = Object.keys(truth);
  const score = (outputs: Record<string, string | undefined>): Summary =>
    summarise(ids.map((id) => scorePage(truth[id]!.articleBody, outputs[id] ?? '')));

  const rows: Row[] = [];
  let stages: Record<string, number> | undefined;
  // The extractors' processes alternate, PROCESS_ROUNDS times each; each page keeps its fastest time
  // over all of them, so load from other processes on a shared machine hits both sides alike.
  const extractors = [
    ['Gazette', 'gazette'],
    ['Readability.js (live, linkedom)', 'readability'],
  ] as const;
  const results = new Map<string, WorkerResult>();
  for (let round = 0; round < PROCESS_ROUNDS; round++) {
    for (const [, key] of extractors) {
      const out = execFileSync(
        process.execPath,
        [...process.execArgv, fileURLToPath(import.meta.url), '--worker', key, '--dir', dir, '--truth', truthFile],
        { maxBuffer: 512 * 1024 * 1024, encoding: 'utf8' },
      );
      const r = JSON.parse(out) as WorkerResult;
      const best = results.get(key);
      if (!best) {
        results.set(key, r);
        continue;
      }
      best.times = best.times.map((t, i) => Math.min(t, r.times[i]!));
      best.maxRssMb = Math.max(best.maxRssMb, r.maxRssMb);
      if (best.stages && r.stages) for (const k of Object.keys(best.stages)) best.stages[k]! += r.stages[k] ?? 0;
    }
  }
  for (const [name, key] of extractors) {
    const r = results.get(key)!;
    stages ??= r.stages;
    const sorted = [...r.times].sort((a, b) => a - b);
    const total = r.times.reduce((a, b) => a + b, 0);
    rows.push({
      name,
      s: score(r.outputs),
      pps: (r.times.length / total) * 1000,
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      rss: r.maxRssMb,
    });
  }
  const peerDir = join(dir, 'peer-output');
  if (existsSync(peerDir)) {
    for (const file of readdirSync(peerDir).sort()) {
      if (!file.endsWith('.json')) continue;
      const data = JSON.parse(readFileSync(join(peerDir, file), 'utf8')) as {
        output: Record<string, { articleBody?: string }>;
      };
      const outputs: Record<string, string | undefined> = {};
      for (const [id, v] of Object.entries(data.output)) outputs[id] = v.articleBody;
      rows.push({ name: `${file.replace(/\.json$/, '')} (stored)`, s: score(outputs) });
    }
  }
  const header = ['extractor', 'F1', 'precision', 'recall', 'accuracy', 'pages/s', 'p50 ms', 'p99 ms', 'peak RSS MB'];
  const lines = rows.map((r) => [
    r.name,
    fmt(r.s.f1, 3),
    fmt(r.s.precision, 3),
    fmt(r.s.recall, 3),
    fmt(r.s.accuracy, 3),
    fmt(r.pps, 1),
    fmt(r.p50, 1),
    fmt(r.p99, 1),
    fmt(r.rss, 0),
  ]);
  console.log(`article-extraction benchmark: ${ids.length} pages\n`);
  console.log(`| ${header.join(' | ')} |`);
  console.log(`|${header.map(() => '---').join('|')}|`);
  for (const l of lines) console.log(`| ${l.join(' | ')} |`);
  const g = rows[0]!;
  const rd = rows[1]!;
  if (g.pps && rd.pps) console.log(`\nGazette / Readability.js pages per second: ${(g.pps / rd.pps).toFixed(2)}×`);
  if (stages) {
    const total = Object.values(stages).reduce((a, b) => a + b, 0);
    const share = Object.entries(stages).map(([k, v]) => `${k} ${((100 * v) / total).toFixed(1)}%`);
    console.log(`Gazette time by stage (body = sanitising, scoring, serialising): ${share.join(', ')}`);
  }
  console.log(
    `timing: each extractor in its own process, ${PROCESS_ROUNDS} processes each, alternated; each process makes one warm-up pass, then ${ROUNDS} timed passes; each page keeps its fastest time over all of them (filters out load from other processes); pages/s = pages / sum of those times`,
  );
  const figures = (r: Row) => ({
    f1: r.s.f1,
    precision: r.s.precision,
    recall: r.s.recall,
    accuracy: r.s.accuracy,
    pagesPerSecond: r.pps ?? null,
    p50Ms: r.p50 ?? null,
    p99Ms: r.p99 ?? null,
    maxRssMb: r.rss ?? null,
  });
  const stored = rows.slice(2).sort((a, b) => b.s.f1 - a.s.f1)[0];
  const summary = {
    pages: ids.length,
    gazette: figures(g),
    readability: figures(rd),
    ratio: g.pps && rd.pps ? Math.round((g.pps / rd.pps) * 100) / 100 : null,
    bestStoredPeer: stored ? { name: stored.name, f1: stored.s.f1, accuracy: stored.s.accuracy } : null,
  };
  if (wantsRecord()) recordBenchResult('extract', 'extract', 'bench:extract', summary, [loadBefore, loadNow()]);
}

await main();
