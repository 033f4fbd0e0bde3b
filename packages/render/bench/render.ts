/**
 * `npm run bench:render`: the script-built fixture site on 127.0.0.1 (every
 * article needs its scripts, the second half loads on scroll), rendered by
 * Gazette's Renderer and by Crawlee's PlaywrightCrawler in the same run, both
 * on Debian's Chromium, same URLs and concurrency, each in its own process.
 * Prints rendered pages/s and the peak memory of each side's process tree
 * (Node.js and every Chromium process): RSS summed over the processes, and
 * PSS (shared pages counted once), per browser context.
 *
 * Env: BENCH_PAGES (60), BENCH_CONCURRENCY (4), CHROMIUM_PATH (/usr/bin/chromium).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { serveAppSite } from '../src/testing/app-site.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = fileURLToPath(new URL('../../../', import.meta.url));
const pages = Number(process.env['BENCH_PAGES'] ?? 60);
const concurrency = Number(process.env['BENCH_CONCURRENCY'] ?? 4);

interface Result {
  name: string;
  pages: number;
  failed: number;
  seconds: number;
  peakRssMb: number;
  peakPssMb: number;
  processes: number;
}

/** Every descendant of `pid` (and itself), from /proc. */
function tree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(entry));
      children.set(ppid, list);
    } catch {
      // gone
    }
  }
  const out = [pid];
  for (let i = 0; i < out.length; i++) out.push(...(children.get(out[i]!) ?? []));
  return out;
}

/** RSS and PSS (kB) of one process, from smaps_rollup. */
function memory(pid: number): { rss: number; pss: number } {
  try {
    const text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0);
    return { rss: field('Rss'), pss: field('Pss') };
  } catch {
    return { rss: 0, pss: 0 };
  }
}

async function runSide(file: string, env: Record<string, string>): Promise<Result> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(here, file)], {
    cwd: root,
    env: { ...process.env, ...env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1', CRAWLEE_LOG_LEVEL: 'WARNING' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let peakRss = 0;
  let peakPss = 0;
  let processes = 0;
  const sample = () => {
    const pids = tree(child.pid!);
    let rss = 0;
    let pss = 0;
    for (const pid of pids) {
      const m = memory(pid);
      rss += m.rss;
      pss += m.pss;
    }
    peakRss = Math.max(peakRss, rss);
    peakPss = Math.max(peakPss, pss);
    processes = Math.max(processes, pids.length);
  };
  const timer = setInterval(sample, 100);
  let last = '';
  for await (const line of createInterface({ input: child.stdout })) {
    if (line.startsWith('{')) last = line;
    else if (line !== 'ready') console.log(`  [${file}] ${line}`);
  }
  clearInterval(timer);
  const code = await new Promise<number | null>((resolve) =>
    child.exitCode !== null ? resolve(child.exitCode) : child.on('close', resolve),
  );
  if (code !== 0 || !last) throw new Error(`${file} exited with ${code}`);
  return {
    ...(JSON.parse(last) as Omit<Result, 'peakRssMb' | 'peakPssMb' | 'processes'>),
    peakRssMb: peakRss / 1024,
    peakPssMb: peakPss / 1024,
    processes,
  };
}

const site = await serveAppSite({ articles: pages });
const work = mkdtempSync(join(tmpdir(), 'gazette-bench-render-'));
const urlsFile = join(work, 'urls.json');
writeFileSync(
  urlsFile,
  JSON.stringify(site.articles.map((a) => ({ url: `${site.url}/news/${a.slug}/`, mustContain: a.rest.at(-1) }))),
);
console.log(
  `site: ${pages} script-built articles at ${site.url}; concurrency ${concurrency}; node ${process.version}; ` +
    readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ') +
    ' load',
);
const results: Result[] = [];
try {
  const env = {
    BENCH_URLS: urlsFile,
    BENCH_CONCURRENCY: String(concurrency),
    CRAWLEE_STORAGE_DIR: join(work, 'crawlee'),
  };
  results.push(await runSide('render-gazette.ts', env));
  results.push(await runSide('render-crawlee.ts', env));
} finally {
  await site.close();
  rmSync(work, { recursive: true, force: true });
}

console.log('');
console.log('pages: rendered completely (second half included); pages/s: complete pages per second');
console.log('renderer  pages  failed  seconds  pages/s  peak RSS sum (MB)  per context  peak PSS (MB)  per context');
for (const r of results) {
  console.log(
    `${r.name.padEnd(8)}  ${String(r.pages).padStart(5)}  ${String(r.failed).padStart(6)}  ${r.seconds.toFixed(1).padStart(7)}  ` +
      `${(r.pages / r.seconds).toFixed(2).padStart(7)}  ${r.peakRssMb.toFixed(0).padStart(17)}  ${(r.peakRssMb / concurrency).toFixed(0).padStart(11)}  ` +
      `${r.peakPssMb.toFixed(0).padStart(13)}  ${(r.peakPssMb / concurrency).toFixed(0).padStart(11)}`,
  );
}
const [g, c] = results as [Result, Result];
console.log('');
console.log(`throughput gazette/crawlee: ${(g.pages / g.seconds / (c.pages / c.seconds)).toFixed(2)}×`);
console.log(`peak PSS   gazette/crawlee: ${(g.peakPssMb / c.peakPssMb).toFixed(2)}×`);
console.log(`peak RSS   gazette/crawlee: ${(g.peakRssMb / c.peakRssMb).toFixed(2)}×`);
for (const r of results)
  if (r.pages !== pages) console.log(`warning: ${r.name} rendered ${r.pages} of ${pages} pages completely`);
