/**
 * `npm run bench:crawl`: a generated 10,000-page news site on 127.0.0.1,
 * crawled to completion by Gazette's fetch + frontier stack (in-process loop,
 * concurrency 50, no politeness, seen-set in Redis) and by Crawlee's
 * CheerioCrawler (in-memory storage, same concurrency, same seed), each in
 * its own process so peak RSS is its own. Prints pages/s, peak RSS and ratios.
 *
 * Env: REDIS_URL (started with infra/redis/redis.sh when unset), SITE_PAGES (10000), CONCURRENCY (50).
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = fileURLToPath(new URL('../../../', import.meta.url));

interface Result {
  name: string;
  pages: number;
  failed: number;
  seconds: number;
  peakRssMb: number;
}

if (!process.env['REDIS_URL']) {
  execFileSync('bash', [join(root, 'infra/redis/redis.sh'), 'start'], { stdio: 'inherit' });
  process.env['REDIS_URL'] = 'redis://127.0.0.1:6379';
}

function tsx(file: string, env: Record<string, string>) {
  return spawn(process.execPath, ['--conditions=@gazette/source', '--import', 'tsx', join(here, file)], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

async function runChild(file: string, env: Record<string, string>): Promise<Result> {
  const child = tsx(file, env);
  let last = '';
  for await (const line of createInterface({ input: child.stdout })) {
    if (line.startsWith('{')) last = line;
    else console.log(`  [${file}] ${line}`);
  }
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0 || !last) throw new Error(`${file} exited with ${code}`);
  return JSON.parse(last) as Result;
}

const site = tsx('site.ts', {});
const origin = await new Promise<string>((resolve, reject) => {
  const rl = createInterface({ input: site.stdout! });
  rl.once('line', (line) => resolve((JSON.parse(line) as { origin: string }).origin));
  site.once('exit', (code) => reject(new Error(`site exited with ${code}`)));
});
const pages = process.env['SITE_PAGES'] ?? '10000';
const concurrency = process.env['CONCURRENCY'] ?? '50';
console.log(`site: ${pages} pages at ${origin}; concurrency ${concurrency}; node ${process.version}`);

const crawleeDir = mkdtempSync(join(tmpdir(), 'gazette-bench-crawlee-'));
const results: Result[] = [];
try {
  const env = { SITE_URL: `${origin}/`, SITE_PAGES: pages, CONCURRENCY: concurrency };
  results.push(await runChild('crawl-gazette.ts', env));
  results.push(await runChild('crawl-crawlee.ts', { ...env, CRAWLEE_STORAGE_DIR: crawleeDir }));
} finally {
  site.kill('SIGTERM');
  rmSync(crawleeDir, { recursive: true, force: true });
}

console.log('');
console.log('crawler   pages  failed  seconds  pages/s  peak RSS (MB)');
for (const r of results) {
  console.log(
    `${r.name.padEnd(8)}  ${String(r.pages).padStart(5)}  ${String(r.failed).padStart(6)}  ${r.seconds.toFixed(1).padStart(7)}  ${(r.pages / r.seconds).toFixed(0).padStart(7)}  ${r.peakRssMb.toFixed(0).padStart(13)}`,
  );
}
const [g, c] = results as [Result, Result];
console.log('');
console.log(`throughput gazette/crawlee: ${(g.pages / g.seconds / (c.pages / c.seconds)).toFixed(2)}×`);
console.log(`peak RSS   gazette/crawlee: ${(g.peakRssMb / c.peakRssMb).toFixed(2)}×`);
for (const r of results) {
  if (r.pages !== Number(pages)) console.log(`warning: ${r.name} crawled ${r.pages} of ${pages} pages`);
}
