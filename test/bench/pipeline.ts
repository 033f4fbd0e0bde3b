/**
 * `npm run bench:pipeline -- --pages N [--crawlers K] [--parsers K] [--svg FILE] [--cpu-prof DIR]`
 *
 * Serves N generated article pages (30-60 KB each, with theme boilerplate) on 127.0.0.1, runs
 * crawlers, parsers and the indexer as processes with politeness off, queues the N URLs, and waits
 * until all N documents are searchable. Prints pages/s end to end, p50/p95 latency per stage (from
 * BullMQ job timestamps), queue depth over time, peak RSS of each process, a sparkline of
 * throughput, and, last, one JSON object with these figures.
 *
 * Uses REDIS_URL and ELASTICSEARCH_URL (both started with infra/services.sh when unset) under a
 * queue prefix and index of its own, removed at the end. Worker settings come from the environment
 * as for the services (CRAWLER_CONCURRENCY, PARSER_CONCURRENCY, INDEXER_BULK_SIZE, ...).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Queue, type Job } from 'bullmq';
import {
  REPO_ROOT,
  queueCounts,
  serveGeneratedSite,
  startService,
  waitFor,
  type QueueCounts,
  type ServiceName,
  type ServiceProcess,
  deleteKeysWithPrefix,
} from '@gazette/devstack';
import { Producer, catalog, createRedis } from '@gazette/jobs';
import { createSearchClient, dropArticleIndices } from '@gazette/search';

const { values: args } = parseArgs({
  options: {
    pages: { type: 'string', default: '5000' },
    parsers: { type: 'string', default: '2' },
    crawlers: { type: 'string', default: '1' },
    svg: { type: 'string' },
    'cpu-prof': { type: 'string' },
    'timeout-s': { type: 'string', default: '900' },
  },
});
const N = Number(args.pages);
const PARSERS = Number(args.parsers);
const CRAWLERS = Number(args.crawlers);
if (![N, PARSERS, CRAWLERS].every((n) => Number.isInteger(n) && n > 0)) {
  throw new Error('usage: bench:pipeline -- --pages N [--crawlers K] [--parsers K] [--svg FILE] [--cpu-prof DIR]');
}

if (!process.env.REDIS_URL || !process.env.ELASTICSEARCH_URL) {
  execFileSync('bash', [join(REPO_ROOT, 'infra/services.sh'), 'start'], { stdio: 'inherit', env: process.env });
}
const redisUrl = process.env.REDIS_URL ?? `redis://127.0.0.1:${process.env.REDIS_PORT ?? '6379'}`;
const esUrl = process.env.ELASTICSEARCH_URL ?? `http://127.0.0.1:${process.env.ES_PORT ?? '9200'}`;

const id = randomBytes(4).toString('hex');
const prefix = `bench-${id}`;
const index = `bench-articles-${id}`;
const archiveDir = await mkdtemp(join(tmpdir(), 'gazette-bench-archive-'));
const redis = createRedis(redisUrl);
const es = createSearchClient({ url: esUrl });
const site = await serveGeneratedSite({ count: N });
const services: Array<{ label: string; proc: ServiceProcess }> = [];

const log = (line: string) => console.log(line);
const env: Record<string, string> = {
  REDIS_URL: redisUrl,
  ELASTICSEARCH_URL: esUrl,
  QUEUE_PREFIX: prefix,
  ES_INDEX: index,
  ARCHIVE_DIR: archiveDir,
  CRAWLER_ALLOW_HOSTS: '127.0.0.1',
  CRAWLER_POLITENESS_MS: '0',
  CRAWLER_METRICS_PORT: '0',
  PARSER_METRICS_PORT: '0',
  INDEXER_METRICS_PORT: '0',
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
};

// ---- figures ------------------------------------------------------------------------------------

interface Sample {
  t: number;
  counts: QueueCounts;
  searchable: number;
}
const samples: Sample[] = [];
const peakRss = new Map<string, number>();

function rssOf(pid: number): { rss: number; hwm: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
    return { rss: kb('VmRSS') * 1024, hwm: kb('VmHWM') * 1024 };
  } catch {
    return null;
  }
}

/** Elasticsearch and Redis processes on this machine, when their pid files say where (local services). */
function backingPids(): Array<{ label: string; pid: number }> {
  const data = resolve(REPO_ROOT, process.env.GAZETTE_DATA_DIR ?? '.data');
  const out: Array<{ label: string; pid: number }> = [];
  for (const [label, file] of [
    ['elasticsearch', join(data, 'elasticsearch/es.pid')],
    ['redis', join(data, 'redis/redis.pid')],
  ] as const) {
    try {
      const pid = Number(readFileSync(file, 'utf8').trim());
      if (pid > 0 && rssOf(pid)) out.push({ label, pid });
    } catch {
      // not started by Gazette's scripts: not measured
    }
  }
  return out;
}

/** User + system CPU seconds a process has used so far. */
function cpuOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}
const cpuAtStart = new Map<string, number>();
const cpuUsed = new Map<string, number>();

function noteCpu(into: Map<string, number>): void {
  for (const { label, pid } of [
    ...services.map((s) => ({ label: s.label, pid: s.proc.pid })),
    ...backingPids(),
    { label: 'bench (site)', pid: process.pid },
  ]) {
    const c = cpuOf(pid);
    if (c !== null) into.set(label, c);
  }
}

function notePeaks(): void {
  for (const { label, proc } of services) {
    const m = rssOf(proc.pid);
    if (m) peakRss.set(label, Math.max(peakRss.get(label) ?? 0, m.hwm, m.rss));
  }
  for (const { label, pid } of backingPids()) {
    const m = rssOf(pid);
    if (m) peakRss.set(label, Math.max(peakRss.get(label) ?? 0, m.rss));
  }
}

async function searchable(): Promise<number> {
  try {
    return (await es.count({ index })).count;
  } catch {
    return 0;
  }
}

const percentile = (values: number[], p: number): number => {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};

const SPARKS = '▁▂▃▄▅▆▇█';
function sparkline(values: number[]): string {
  const max = Math.max(...values, 1);
  return values.map((v) => SPARKS[Math.min(7, Math.floor((v / max) * 7.999))]).join('');
}

function svgPlot(series: Array<{ t: number; v: number }>, title: string): string {
  const w = 720;
  const h = 240;
  const pad = 40;
  const maxT = Math.max(...series.map((s) => s.t), 1);
  const maxV = Math.max(...series.map((s) => s.v), 1);
  const x = (t: number) => pad + (t / maxT) * (w - 2 * pad);
  const y = (v: number) => h - pad - (v / maxV) * (h - 2 * pad);
  const path = series.map((s, i) => `${i ? 'L' : 'M'}${x(s.t).toFixed(1)},${y(s.v).toFixed(1)}`).join(' ');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" font-family="sans-serif" font-size="12">
<rect width="100%" height="100%" fill="white"/>
<text x="${pad}" y="20">${title}</text>
<line x1="${pad}" y1="${h - pad}" x2="${w - pad}" y2="${h - pad}" stroke="#999"/>
<line x1="${pad}" y1="${pad}" x2="${pad}" y2="${h - pad}" stroke="#999"/>
<text x="${w - pad}" y="${h - pad + 16}" text-anchor="end">${maxT.toFixed(0)} s</text>
<text x="${pad - 4}" y="${pad + 4}" text-anchor="end">${maxV.toFixed(0)}</text>
<path d="${path}" fill="none" stroke="#2563eb" stroke-width="2"/>
</svg>
`;
}

// ---- run ----------------------------------------------------------------------------------------

async function start(name: Exclude<ServiceName, 'api'>, label: string): Promise<void> {
  const cpuProf = args['cpu-prof'];
  // One profile per thread, named CPU.<date>.<time>.<pid>.<tid>.<seq>.cpuprofile (pids are printed below).
  const nodeArgs = cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${resolve(cpuProf)}`] : [];
  const proc = await startService(name, { env, nodeArgs });
  services.push({ label, proc });
}

let exitCode = 0;
try {
  log(`▸ ${N} generated pages on ${site.url}; prefix ${prefix}, index ${index}`);
  for (let i = 0; i < CRAWLERS; i++) await start('crawler', CRAWLERS > 1 ? `crawler-${i + 1}` : 'crawler');
  for (let i = 0; i < PARSERS; i++) await start('parser', PARSERS > 1 ? `parser-${i + 1}` : 'parser');
  await start('indexer', 'indexer');
  log(`▸ started ${services.map((s) => `${s.label} (pid ${s.proc.pid})`).join(', ')}`);

  const crawl = new Producer('crawl', { connection: redis, prefix });
  noteCpu(cpuAtStart);
  const started = Date.now();
  for (let i = 0; i < N; i += 1000) {
    await crawl.addBulk(site.articleUrls.slice(i, i + 1000).map((url) => ({ payload: { url } })));
  }
  await crawl.close();
  log(`▸ queued ${N} URLs in ${Date.now() - started} ms`);

  let last = 0;
  const timeoutMs = Number(args['timeout-s']) * 1000;
  await waitFor(
    async () => {
      const [counts, docs] = await Promise.all([queueCounts(redis, prefix), searchable()]);
      notePeaks();
      const t = (Date.now() - started) / 1000;
      samples.push({ t, counts, searchable: docs });
      if (t - last >= 5) {
        last = t;
        log(
          `  ${t.toFixed(0).padStart(4)} s  crawl ${counts.crawl.pending}/${counts.crawl.active}  parse ${counts.parse.pending}/${counts.parse.active}  index ${counts.index.pending}/${counts.index.active}  (waiting/active)  searchable ${docs}`,
        );
      }
      for (const { label, proc } of services) {
        if (proc.child.exitCode !== null) throw new Error(`${label} exited with ${proc.child.exitCode}`);
      }
      const failed = counts.crawl.failed + counts.parse.failed + counts.index.failed;
      if (failed > 0) throw new Error(`${failed} jobs failed`);
      if (counts.index.completed < N) return false;
      await es.indices.refresh({ index });
      return (await searchable()) >= N;
    },
    { timeoutMs, intervalMs: 500, what: `${N} searchable documents` },
  );
  const seconds = (Date.now() - started) / 1000;
  notePeaks();
  noteCpu(cpuUsed);
  const cpuShare = Object.fromEntries(
    [...cpuUsed].map(([k, v]) => [k, Number(((100 * (v - (cpuAtStart.get(k) ?? 0))) / seconds).toFixed(0))]),
  );

  // Exactly N documents, no article twice.
  await es.indices.refresh({ index });
  const docs = (await es.count({ index })).count;
  const dupes = await es.search({
    index,
    size: 0,
    aggs: { urls: { terms: { field: 'canonicalUrl', size: 1000, min_doc_count: 2 } } },
  });
  const duplicated = (dupes.aggregations?.urls as { buckets: unknown[] }).buckets.length;
  const lost = N - Math.min(N, docs);

  // Per-stage latency: waiting in the queue, then processing, per completed job.
  const stage = async (name: 'crawl' | 'parse' | 'index') => {
    const queue = new Queue(catalog[name].name, { connection: redis, prefix });
    const jobs: Job[] = [];
    for (let i = 0; ; i += 1000) {
      const page = await queue.getCompleted(i, i + 999);
      jobs.push(...page);
      if (page.length < 1000) break;
    }
    await queue.close();
    const wait = jobs.map((j) => (j.processedOn ?? 0) - j.timestamp);
    const run = jobs.map((j) => (j.finishedOn ?? 0) - (j.processedOn ?? 0));
    const total = jobs.map((j) => (j.finishedOn ?? 0) - j.timestamp);
    return {
      jobs,
      figures: {
        p50_ms: percentile(total, 50),
        p95_ms: percentile(total, 95),
        wait_p50_ms: percentile(wait, 50),
        wait_p95_ms: percentile(wait, 95),
        run_p50_ms: percentile(run, 50),
        run_p95_ms: percentile(run, 95),
      },
    };
  };
  const crawlStage = await stage('crawl');
  const parseStage = await stage('parse');
  const indexStage = await stage('index');
  // End to end per page: queued for crawling → its document acknowledged by Elasticsearch.
  const queuedAt = new Map(crawlStage.jobs.map((j) => [String(j.data.url), j.timestamp]));
  const e2e = indexStage.jobs.map((j) => (j.finishedOn ?? 0) - (queuedAt.get(String(j.data.record.url)) ?? started));

  const rate = N / seconds;
  // Throughput over time: documents acknowledged per second between samples, in 2 s buckets.
  const buckets: Array<{ t: number; v: number }> = [];
  const bucketS = Math.max(1, Math.ceil(seconds / 60));
  for (let b = 0; b * bucketS < seconds; b++) {
    const inBucket = samples.filter((s) => s.t >= b * bucketS && s.t < (b + 1) * bucketS);
    const before = samples.filter((s) => s.t < b * bucketS).at(-1);
    const end = inBucket.at(-1);
    if (!end) continue;
    buckets.push({ t: end.t, v: (end.counts.index.completed - (before?.counts.index.completed ?? 0)) / bucketS });
  }
  const depth = samples
    .filter((_, i) => i % Math.max(1, Math.floor(samples.length / 20)) === 0)
    .map((s) => ({
      t: Number(s.t.toFixed(1)),
      crawl: s.counts.crawl.pending + s.counts.crawl.active,
      parse: s.counts.parse.pending + s.counts.parse.active,
      index: s.counts.index.pending + s.counts.index.active,
    }));
  const maxDepth = (q: 'crawl' | 'parse' | 'index') =>
    Math.max(...samples.map((s) => s.counts[q].pending + s.counts[q].active));
  const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

  log('');
  log(`pages              ${N} in ${seconds.toFixed(1)} s  →  ${rate.toFixed(1)} pages/s end to end`);
  log(`lost / duplicated  ${lost} / ${duplicated}`);
  for (const [name, s] of [
    ['crawl', crawlStage.figures],
    ['parse', parseStage.figures],
    ['index', indexStage.figures],
  ] as const) {
    log(
      `${name.padEnd(6)} latency   p50 ${s.p50_ms} ms  p95 ${s.p95_ms} ms   (waiting p50 ${s.wait_p50_ms} / p95 ${s.wait_p95_ms}, processing p50 ${s.run_p50_ms} / p95 ${s.run_p95_ms})`,
    );
  }
  log(`page e2e latency   p50 ${percentile(e2e, 50)} ms  p95 ${percentile(e2e, 95)} ms`);
  log(`queue depth max    crawl ${maxDepth('crawl')}  parse ${maxDepth('parse')}  index ${maxDepth('index')}`);
  log('queue depth        t(s)   crawl  parse  index');
  for (const d of depth) {
    log(
      `                   ${String(d.t).padStart(5)}  ${String(d.crawl).padStart(5)}  ${String(d.parse).padStart(5)}  ${String(d.index).padStart(5)}`,
    );
  }
  log(`peak RSS (MB)      ${[...peakRss].map(([k, v]) => `${k} ${mb(v)}`).join('  ')}`);
  log(
    `CPU % of one core  ${Object.entries(cpuShare)
      .map(([k, v]) => `${k} ${v}`)
      .join('  ')}`,
  );
  log(
    `indexed/s per ${bucketS} s  ${sparkline(buckets.map((b) => b.v))}  (max ${Math.max(...buckets.map((b) => b.v)).toFixed(0)}/s)`,
  );
  if (args.svg) {
    writeFileSync(args.svg, svgPlot(buckets, `Gazette pipeline: documents indexed per second (N=${N})`));
    log(`plot               ${args.svg}`);
  }
  const settings = {
    crawlers: CRAWLERS,
    parsers: PARSERS,
    CRAWLER_CONCURRENCY: process.env.CRAWLER_CONCURRENCY ?? 'default',
    PARSER_CONCURRENCY: process.env.PARSER_CONCURRENCY ?? 'default',
    INDEXER_CONCURRENCY: process.env.INDEXER_CONCURRENCY ?? 'default',
    INDEXER_BULK_SIZE: process.env.INDEXER_BULK_SIZE ?? 'default',
    INDEXER_FLUSH_MS: process.env.INDEXER_FLUSH_MS ?? 'default',
  };
  console.log(
    JSON.stringify({
      pages: N,
      seconds: Number(seconds.toFixed(2)),
      pagesPerSecond: Number(rate.toFixed(1)),
      lost,
      duplicated,
      latencyMs: {
        crawl: crawlStage.figures,
        parse: parseStage.figures,
        index: indexStage.figures,
        endToEnd: { p50_ms: percentile(e2e, 50), p95_ms: percentile(e2e, 95) },
      },
      queueDepthMax: { crawl: maxDepth('crawl'), parse: maxDepth('parse'), index: maxDepth('index') },
      queueDepth: depth,
      peakRssMb: Object.fromEntries([...peakRss].map(([k, v]) => [k, mb(v)])),
      cpuPercent: cpuShare,
      throughput: buckets.map((b) => Number(b.v.toFixed(1))),
      settings,
    }),
  );
  if (lost > 0 || duplicated > 0) exitCode = 1;
} catch (error) {
  console.error(error);
  for (const { label, proc } of services) {
    const tail = proc.lines.slice(-5).map((l) => JSON.stringify(l));
    console.error(`--- ${label}\n${tail.join('\n')}`);
  }
  exitCode = 1;
} finally {
  await Promise.all(services.map(({ proc }) => proc.stop(15_000)));
  await dropArticleIndices(es, index);
  await es.close();
  await deleteKeysWithPrefix(redis, `${prefix}:`);
  await redis.quit();
  await site.close();
  await rm(archiveDir, { recursive: true, force: true });
}
process.exit(exitCode);
