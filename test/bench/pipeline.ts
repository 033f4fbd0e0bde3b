/**
 * `npm run bench:pipeline -- --pages N[,N2,...] [--crawlers K] [--parsers K] [--indexers K]
 *   [--workers K[,K2,...]] [--cluster [--kill yes|no]] [--extract-sample K] [--svg FILE] [--cpu-prof DIR] [--record]`
 *
 * Serves N generated article pages (30-60 KB each, with theme boilerplate) on 127.0.0.1, runs
 * crawlers, parsers and indexers as processes with politeness off, queues the N URLs, and waits
 * until every URL is indexed (or failed with a reason). Prints pages/s end to end, the extractor
 * alone on the same pages in its own process in the same run (the peer) and the ratio of the two,
 * p50/p95 latency per stage (from BullMQ job timestamps), queue depth over time, peak RSS of each
 * process, CPU ms per page of each process (Elasticsearch and Redis included) with the total with
 * and without the bench's own site, Elasticsearch bytes per article, a sparkline of throughput,
 * and, last, one JSON object with these figures.
 *
 * Several `--pages` and `--workers` values run one after the other (a fresh prefix and index each)
 * and end with one table: the flat line of pages/s and RSS as N grows, or pages/s as workers are
 * added. `--workers K` starts K crawlers, K parsers and K indexers; without it one machine runs 1
 * crawler, 2 parsers and 1 indexer, `--cluster` 2 of each.
 *
 * Single node (default): REDIS_URL and ELASTICSEARCH_URL, both started with infra/services.sh when
 * unset. `--cluster`: the Redis Cluster, the three-node Elasticsearch cluster and the S3 archive,
 * started (or reused) by infra/redis/cluster.sh, infra/elasticsearch/cluster.sh and infra/s3/s3.sh;
 * with `--kill yes` (the default there) one Elasticsearch node and the Redis master serving the
 * queues are SIGKILLed a third of the way through, the time to recover is printed, and the killed
 * nodes are started again after the run. Worker settings come from the environment as for the
 * services (CRAWLER_CONCURRENCY, PARSER_CONCURRENCY, INDEXER_BULK_SIZE, ...).
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Queue, type Job } from 'bullmq';
import {
  REPO_ROOT,
  queueCounts,
  serveGeneratedSite,
  startEsCluster,
  startLocalS3,
  startRedisCluster,
  startService,
  waitFor,
  withHeapCeiling,
  DEFAULT_MAX_OLD_SPACE_MB,
  type GeneratedSite,
  type LocalEsCluster,
  type LocalRedisCluster,
  type QueueCounts,
  type ServiceName,
  type ServiceProcess,
  deleteKeysWithPrefix,
} from '@gazette/devstack';
import { normalizeUrl } from '@gazette/frontier';
import { Producer, catalog, createRedis, type RedisConnection } from '@gazette/jobs';
import { PageLedger } from '@gazette/pipeline';
import { canaryIndexFor, createSearchClient, dropArticleIndices } from '@gazette/search';
import { loadNow, recordBenchResult } from './bench-record.mjs';

const USAGE =
  'usage: bench:pipeline -- --pages N[,N...] [--crawlers K] [--parsers K] [--indexers K] [--workers K[,K...]] [--cluster [--kill yes|no]] [--extract-sample K] [--svg FILE] [--cpu-prof DIR] [--record]';
const { values: args } = parseArgs({
  options: {
    pages: { type: 'string', default: '5000' },
    parsers: { type: 'string' },
    crawlers: { type: 'string' },
    indexers: { type: 'string' },
    workers: { type: 'string' },
    cluster: { type: 'boolean', default: false },
    kill: { type: 'string' },
    'extract-sample': { type: 'string', default: '1000' },
    svg: { type: 'string' },
    'cpu-prof': { type: 'string' },
    'timeout-s': { type: 'string', default: '1800' },
    record: { type: 'boolean', default: false },
  },
});
const list = (v: string) => v.split(',').map((x) => Number(x.trim()));
const PAGES = list(args.pages);
const WORKERS = args.workers ? list(args.workers) : [];
const CLUSTER = args.cluster;
const KILL = (args.kill ?? (CLUSTER ? 'yes' : 'no')) === 'yes';
const EXTRACT_SAMPLE = Number(args['extract-sample']);
// One machine: 1 crawler, 2 parsers, 1 indexer; a cluster: 2 of each.
const fixed = [args.crawlers ?? (CLUSTER ? '2' : '1'), args.parsers ?? '2', args.indexers ?? (CLUSTER ? '2' : '1')].map(
  Number,
);
if (
  ![...PAGES, ...WORKERS, ...fixed, EXTRACT_SAMPLE].every((n) => Number.isInteger(n) && n > 0) ||
  (KILL && !CLUSTER) ||
  !['yes', 'no', undefined].includes(args.kill)
) {
  throw new Error(USAGE);
}

const log = (line: string) => console.log(line);
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
const percentile = (values: number[], p: number): number => {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};

// ---- backing services -----------------------------------------------------------------------------

interface Backing {
  redisUrl: string;
  esUrl: string;
  /** Environment every worker gets on top of the bench's own (archive, ...). */
  env: Record<string, string>;
  /** Processes of the backing services on this machine, for CPU and RSS (pid files of Gazette's scripts). */
  pids(): Array<{ label: string; pid: number }>;
  redisCluster?: LocalRedisCluster;
  esCluster?: LocalEsCluster;
}

const DATA = resolve(REPO_ROOT, process.env.GAZETTE_DATA_DIR ?? '.data');

function pidFrom(file: string): number | null {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return pid > 0 && existsSync(`/proc/${pid}`) ? pid : null;
  } catch {
    return null; // not started by Gazette's scripts: not measured
  }
}

function pidsOf(files: Array<[string, string]>): Array<{ label: string; pid: number }> {
  const out: Array<{ label: string; pid: number }> = [];
  for (const [label, file] of files) {
    const pid = pidFrom(file);
    if (pid) out.push({ label, pid });
  }
  return out;
}

async function backing(): Promise<Backing> {
  if (!CLUSTER) {
    if (!process.env.REDIS_URL || !process.env.ELASTICSEARCH_URL) {
      execFileSync('bash', [join(REPO_ROOT, 'infra/services.sh'), 'start'], { stdio: 'inherit', env: process.env });
    }
    return {
      redisUrl: process.env.REDIS_URL ?? `redis://127.0.0.1:${process.env.REDIS_PORT ?? '6379'}`,
      esUrl: process.env.ELASTICSEARCH_URL ?? `http://127.0.0.1:${process.env.ES_PORT ?? '9200'}`,
      env: {},
      pids: () =>
        pidsOf([
          ['elasticsearch', join(DATA, 'elasticsearch/es.pid')],
          ['redis', join(DATA, 'redis/redis.pid')],
        ]),
    };
  }
  const [redisCluster, esCluster, s3] = await Promise.all([startRedisCluster(), startEsCluster(), startLocalS3()]);
  const redisBase = Number(process.env.REDIS_CLUSTER_PORT ?? 7000);
  return {
    redisUrl: redisCluster.url,
    esUrl: esCluster.url,
    redisCluster,
    esCluster,
    env: {
      ARCHIVE_S3_BUCKET: s3.bucket,
      ARCHIVE_S3_ENDPOINT: s3.endpoint,
      ARCHIVE_S3_REGION: s3.region,
      ARCHIVE_S3_FORCE_PATH_STYLE: 'true',
      ARCHIVE_S3_ACCESS_KEY_ID: s3.accessKeyId,
      ARCHIVE_S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
    },
    pids: () =>
      pidsOf([
        ...[1, 2, 3].map((n): [string, string] => [
          `elasticsearch-${n}`,
          join(DATA, `es-cluster/node-${n}/elasticsearch/es.pid`),
        ]),
        ...[0, 1, 2, 3, 4, 5].map((k): [string, string] => [
          `redis-${redisBase + k}`,
          join(DATA, `redis-cluster/${redisBase + k}/redis.pid`),
        ]),
        ['s3', join(DATA, 's3/s3proxy.pid')],
      ]),
  };
}

// ---- per-process figures --------------------------------------------------------------------------

function rssOf(pid: number): { rss: number; hwm: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
    return { rss: kb('VmRSS') * 1024, hwm: kb('VmHWM') * 1024 };
  } catch {
    return null;
  }
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

/** Bytes of the files under `dir` (the local archive folder, or S3Proxy's folder for the run's prefix). */
function dirBytes(dir: string): number {
  if (!existsSync(dir)) return 0;
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) total += statSync(join(e.parentPath, e.name)).size;
  }
  return total;
}

// ---- the extractor alone (the peer) ---------------------------------------------------------------

interface ExtractAlone {
  pages: number;
  seconds: number;
  pagesPerSecond: number;
  cpuMsPerPage: number;
  p50Ms: number;
  p99Ms: number;
  maxRssMb: number;
}

/** One process running extract() on `sample` of the site's N pages, the code the parsers run (compiled when built). */
async function extractAlone(site: GeneratedSite, n: number, sample: number): Promise<ExtractAlone> {
  const compiled = existsSync(join(REPO_ROOT, 'packages/extract/dist/index.js'));
  const argv = [
    ...(compiled ? [] : ['--conditions=@gazette/source']),
    '--import',
    'tsx',
    join(REPO_ROOT, 'test/bench/extract-alone.ts'),
    '--base',
    site.url,
    '--pages',
    String(n),
    '--sample',
    String(sample),
  ];
  const child = spawn(process.execPath, argv, {
    cwd: REPO_ROOT,
    env: withHeapCeiling({ ...process.env }),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  const last = out.trim().split('\n').at(-1) ?? '';
  if (code !== 0) throw new Error(`extract-alone exited with ${code}: ${out}`);
  return JSON.parse(last) as ExtractAlone;
}

// ---- one run --------------------------------------------------------------------------------------

interface Shape {
  pages: number;
  crawlers: number;
  parsers: number;
  indexers: number;
}

interface Sample {
  t: number;
  counts: QueueCounts;
  /** Documents in the run's index: BullMQ keeps only a window of completed jobs, so it cannot count past it. */
  indexed: number;
}

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

const FAILED_STATES = new Set(['fetch-failed', 'parse-failed', 'index-failed']);
const WORKER_LABEL = /^(crawler|parser|indexer)/;

async function runOnce(b: Backing, shape: Shape): Promise<Record<string, unknown>> {
  const N = shape.pages;
  const id = randomBytes(4).toString('hex');
  // On a cluster the prefix must be a hash tag: every key of the run in one slot.
  const prefix = CLUSTER ? `{bench-${id}}` : `bench-${id}`;
  const index = `bench-articles-${id}`;
  const archiveDir = await mkdtemp(join(tmpdir(), 'gazette-bench-archive-'));
  const redis: RedisConnection = createRedis(b.redisUrl);
  const es = createSearchClient({ url: b.esUrl });
  const site = await serveGeneratedSite({ count: N });
  const services: Array<{ label: string; proc: ServiceProcess }> = [];
  const env: Record<string, string> = {
    REDIS_URL: b.redisUrl,
    ELASTICSEARCH_URL: b.esUrl,
    QUEUE_PREFIX: prefix,
    ES_INDEX: index,
    ARCHIVE_DIR: archiveDir,
    ...(CLUSTER ? { ARCHIVE_S3_PREFIX: `bench-${id}/` } : {}),
    ...b.env,
    CRAWLER_ALLOW_HOSTS: '127.0.0.1',
    CRAWLER_POLITENESS_MS: '0',
    CRAWLER_METRICS_PORT: '0',
    PARSER_METRICS_PORT: '0',
    INDEXER_METRICS_PORT: '0',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
  };
  const samples: Sample[] = [];
  const peakRss = new Map<string, number>();
  const cpuAtStart = new Map<string, number>();
  const cpuLast = new Map<string, number>();
  const processes = () => [
    ...services.map((s) => ({ label: s.label, pid: s.proc.pid })),
    ...b.pids(),
    { label: 'bench (site)', pid: process.pid },
  ];
  const noteCpu = (into: Map<string, number>) => {
    for (const { label, pid } of processes()) {
      const c = cpuOf(pid);
      // A killed node keeps the last figure it had.
      if (c !== null && (into !== cpuLast || cpuAtStart.has(label))) into.set(label, c);
    }
  };
  const notePeaks = () => {
    for (const { label, pid } of processes()) {
      if (label === 'bench (site)') continue;
      const m = rssOf(pid);
      if (m) peakRss.set(label, Math.max(peakRss.get(label) ?? 0, WORKER_LABEL.test(label) ? m.hwm : 0, m.rss));
    }
  };
  const start = async (name: Exclude<ServiceName, 'api'>, label: string) => {
    const cpuProf = args['cpu-prof'];
    // One profile per thread, named CPU.<date>.<time>.<pid>.<tid>.<seq>.cpuprofile (pids are printed below).
    const nodeArgs = cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${resolve(cpuProf)}`] : [];
    services.push({ label, proc: await startService(name, { env, nodeArgs }) });
  };
  const ledger = new PageLedger(redis, prefix);
  const urls = site.articleUrls;
  const ledgerStates = async () => {
    const out: Array<{ state: string; reason?: string } | null> = [];
    for (let i = 0; i < urls.length; i += 1000) {
      out.push(...(await Promise.all(urls.slice(i, i + 1000).map((u) => ledger.get(normalizeUrl(u))))));
    }
    return out;
  };
  let killedNodes = false;

  try {
    log(`\n▸ ${N} generated pages on ${site.url}; prefix ${prefix}, index ${index}${CLUSTER ? ' (cluster)' : ''}`);
    const sample = Math.min(N, EXTRACT_SAMPLE);
    const peer = await extractAlone(site, N, sample);
    log(
      `▸ extractor alone (one process, ${peer.pages} of the ${N} pages): ${peer.pagesPerSecond} pages/s, p50 ${peer.p50Ms} ms, p99 ${peer.p99Ms} ms, ${peer.maxRssMb} MB RSS`,
    );

    const label = (name: string, k: number, of: number) => (of > 1 ? `${name}-${k + 1}` : name);
    for (let i = 0; i < shape.crawlers; i++) await start('crawler', label('crawler', i, shape.crawlers));
    for (let i = 0; i < shape.parsers; i++) await start('parser', label('parser', i, shape.parsers));
    for (let i = 0; i < shape.indexers; i++) await start('indexer', label('indexer', i, shape.indexers));
    log(`▸ started ${services.map((s) => `${s.label} (pid ${s.proc.pid})`).join(', ')}`);

    const crawl = new Producer('crawl', { connection: redis, prefix });
    noteCpu(cpuAtStart);
    const started = Date.now();
    for (let i = 0; i < N; i += 1000) {
      await crawl.addBulk(urls.slice(i, i + 1000).map((url) => ({ payload: { url } })));
    }
    await crawl.close();
    log(`▸ queued ${N} URLs in ${Date.now() - started} ms`);

    let last = 0;
    let kill: { at: number; before: number; redisPort: number; recoveredMs?: number } | undefined;
    let idleSince = 0;
    let indexedSoFar = 0;
    const timeoutMs = Number(args['timeout-s']) * 1000;
    await waitFor(
      async () => {
        let counts: QueueCounts;
        try {
          counts = await queueCounts(redis, prefix);
        } catch {
          return false; // a fail-over in progress
        }
        try {
          indexedSoFar = (await es.count({ index })).count;
        } catch {
          // a node loss in progress: the last count stands
        }
        notePeaks();
        noteCpu(cpuLast);
        const t = (Date.now() - started) / 1000;
        samples.push({ t, counts, indexed: indexedSoFar });
        if (t - last >= 5) {
          last = t;
          log(
            `  ${t.toFixed(0).padStart(4)} s  crawl ${counts.crawl.pending}/${counts.crawl.active}  parse ${counts.parse.pending}/${counts.parse.active}  index ${counts.index.pending}/${counts.index.active}  (waiting/active)  indexed ${indexedSoFar}`,
          );
        }
        for (const { label: l, proc } of services) {
          if (proc.child.exitCode !== null) throw new Error(`${l} exited with ${proc.child.exitCode}`);
        }
        const failed = counts.crawl.failed + counts.parse.failed + counts.index.failed;
        if (failed > 0 && !KILL) throw new Error(`${failed} jobs failed`);
        if (KILL && !kill && indexedSoFar >= Math.max(20, N / 3)) {
          // A node loss is survivable once every shard has its replica on another node.
          await es.cluster.health({ index, wait_for_status: 'green', timeout: '120s' });
          const before = indexedSoFar;
          const at = Date.now();
          await b.esCluster!.killNode(2);
          const redisPort = await b.redisCluster!.killMaster(prefix);
          killedNodes = true;
          kill = { at, before, redisPort };
          log(`▸ killed Elasticsearch node 2 and the Redis master on port ${redisPort} at ${t.toFixed(0)} s`);
        } else if (kill && kill.recoveredMs === undefined && indexedSoFar > kill.before + 10) {
          kill.recoveredMs = Date.now() - kill.at;
          log(`▸ indexing resumed ${(kill.recoveredMs / 1000).toFixed(1)} s after the kills`);
        }
        const busy = (['crawl', 'parse', 'index'] as const).some((q) => counts[q].pending + counts[q].active > 0);
        if (busy) {
          idleSince = 0;
          return false;
        }
        // Every URL indexed or failed with its reason (the page ledger says; the queues' completed
        // windows hold the last 10,000 jobs only); a URL that never settles counts as lost once the
        // queues have been idle for 30 s.
        idleSince ||= Date.now();
        const states = await ledgerStates();
        return (
          states.every((e) => e && (e.state === 'indexed' || FAILED_STATES.has(e.state))) ||
          Date.now() - idleSince > 30_000
        );
      },
      { timeoutMs, intervalMs: 500, what: `${N} URLs indexed or failed` },
    );
    const seconds = (Date.now() - started) / 1000;
    notePeaks();
    noteCpu(cpuLast);

    // Accounting: each URL indexed (exactly one document) or failed with a reason.
    await es.indices.refresh({ index });
    const docs = (await es.count({ index })).count;
    const dupes = await es.search({
      index,
      size: 0,
      aggs: { urls: { terms: { field: 'canonicalUrl', size: 1000, min_doc_count: 2 } } },
    });
    const duplicated = (dupes.aggregations?.urls as { buckets: unknown[] }).buckets.length;
    const states = await ledgerStates();
    const indexed = states.filter((e) => e?.state === 'indexed').length;
    const failedWithReason = states.filter((e) => e && FAILED_STATES.has(e.state) && e.reason).length;
    const lost = N - indexed - failedWithReason;
    const failReasons = new Map<string, number>();
    for (const e of states) {
      if (e && FAILED_STATES.has(e.state))
        failReasons.set(`${e.state}:${e.reason}`, (failReasons.get(`${e.state}:${e.reason}`) ?? 0) + 1);
    }

    // Elasticsearch bytes per article (primary store after a refresh; replicas double it).
    const stats = await es.indices.stats({ index, metric: ['store', 'docs'] });
    const primaries = stats._all.primaries;
    const storeBytes = primaries?.store?.size_in_bytes ?? 0;
    const bytesPerArticle = docs > 0 ? Math.round(storeBytes / docs) : 0;

    // Raw archive bytes per page (WARC, gzip per record): the local folder, or S3Proxy's files of the run.
    const archiveBytes = CLUSTER
      ? dirBytes(join(DATA, 's3/buckets', b.env.ARCHIVE_S3_BUCKET ?? '', `bench-${id}`))
      : dirBytes(archiveDir);

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
    crawlStage.jobs.length = parseStage.jobs.length = indexStage.jobs.length = 0;

    const rate = N / seconds;
    // Steady rate: between 10% and 90% of the pages indexed (start-up and the last stragglers left out).
    const at = (share: number) => samples.find((x) => x.indexed >= share * N)?.t;
    const t10 = at(0.1);
    const t90 = at(0.9);
    const steadyRate = t10 !== undefined && t90 !== undefined && t90 > t10 ? (0.8 * N) / (t90 - t10) : rate;
    const ratio = rate / peer.pagesPerSecond;
    // CPU per page of each process over the run; the total with and without the bench's own site.
    const cpuMs = Object.fromEntries(
      [...cpuLast]
        .filter(([k]) => cpuAtStart.has(k))
        .map(([k, v]) => [k, Number(((1000 * (v - cpuAtStart.get(k)!)) / N).toFixed(2))]),
    );
    const cpuTotal = Object.values(cpuMs).reduce((a, v) => a + v, 0);
    const cpuWithoutSite = cpuTotal - (cpuMs['bench (site)'] ?? 0);
    const byStage = (re: RegExp) =>
      Number(
        Object.entries(cpuMs)
          .filter(([k]) => re.test(k))
          .reduce((a, [, v]) => a + v, 0)
          .toFixed(2),
      );
    const cpuByStage = {
      crawler: byStage(/^crawler/),
      parser: byStage(/^parser/),
      indexer: byStage(/^indexer/),
      elasticsearch: byStage(/^elasticsearch/),
      redis: byStage(/^redis/),
      s3: byStage(/^s3$/),
      site: byStage(/^bench \(site\)$/),
    };
    // From CPU alone: pages/s the pipeline would reach with every core of this machine to itself, and
    // the same ratio to one extractor process (cores × extractor CPU per page / pipeline CPU per page).
    // Contention from other work on the machine inflates wall times but barely CPU per page.
    const cores = availableParallelism();
    const cpuBoundRate = (cores * 1000) / cpuTotal;
    const cpuBoundRatio = (cores * peer.cpuMsPerPage) / cpuTotal;
    const workerRss = [...peakRss].filter(([k]) => WORKER_LABEL.test(k));
    const maxWorkerRss = Math.max(0, ...workerRss.map(([, v]) => v));

    // Throughput over time: documents acknowledged per second between samples.
    const buckets: Array<{ t: number; v: number }> = [];
    const bucketS = Math.max(1, Math.ceil(seconds / 60));
    for (let k = 0; k * bucketS < seconds; k++) {
      const inBucket = samples.filter((s) => s.t >= k * bucketS && s.t < (k + 1) * bucketS);
      const before = samples.filter((s) => s.t < k * bucketS).at(-1);
      const end = inBucket.at(-1);
      if (!end) continue;
      buckets.push({ t: end.t, v: (end.indexed - (before?.indexed ?? 0)) / bucketS });
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

    log('');
    log(
      `pages              ${N} in ${seconds.toFixed(1)} s  →  ${rate.toFixed(1)} pages/s end to end (${steadyRate.toFixed(1)} pages/s from 10% to 90% indexed)`,
    );
    log(
      `extractor alone    ${peer.pagesPerSecond} pages/s (one process, ${peer.pages} of the same pages)  →  pipeline ${ratio.toFixed(2)}× one extractor process`,
    );
    log(
      `from CPU alone     ${cpuBoundRate.toFixed(1)} pages/s on ${cores} cores at full use, extractor ${peer.cpuMsPerPage} ms CPU per page  →  ${cpuBoundRatio.toFixed(2)}× one extractor process`,
    );
    log(
      `accounting         indexed ${indexed} + failed with reason ${failedWithReason} of ${N}; documents ${docs}; lost ${lost}, duplicated ${duplicated}`,
    );
    if (failReasons.size > 0) log(`failed             ${[...failReasons].map(([k, v]) => `${k} ${v}`).join('  ')}`);
    if (kill) {
      log(
        `node loss          Elasticsearch node 2 + Redis master :${kill.redisPort} killed after ${kill.before} indexed; recovered in ${kill.recoveredMs === undefined ? 'never' : `${(kill.recoveredMs / 1000).toFixed(1)} s`}`,
      );
    }
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
      `workers < ${DEFAULT_MAX_OLD_SPACE_MB} MB     ${maxWorkerRss < DEFAULT_MAX_OLD_SPACE_MB * 1024 * 1024 ? 'yes' : 'NO'} (largest ${mb(maxWorkerRss)} MB)`,
    );
    log(
      `CPU ms per page    ${Object.entries(cpuMs)
        .map(([k, v]) => `${k} ${v.toFixed(2)}`)
        .join('  ')}`,
    );
    log(
      `CPU ms per page    total ${cpuTotal.toFixed(1)}, without the bench's site ${cpuWithoutSite.toFixed(1)}  (${Object.entries(
        cpuByStage,
      )
        .filter(([, v]) => v > 0)
        .map(([k, v]) => `${k} ${v.toFixed(1)}`)
        .join(', ')})`,
    );
    log(
      `Elasticsearch      ${bytesPerArticle} bytes per article (primary store ${mb(storeBytes)} MB, ${docs} documents)`,
    );
    log(`archive            ${Math.round(archiveBytes / N)} bytes per page (${mb(archiveBytes)} MB)`);
    log(
      `indexed/s per ${bucketS} s  ${sparkline(buckets.map((x) => x.v))}  (max ${Math.max(...buckets.map((x) => x.v)).toFixed(0)}/s)`,
    );
    if (args.svg) {
      const file =
        PAGES.length * Math.max(1, WORKERS.length) > 1 ? args.svg.replace(/(\.svg)?$/, `-${N}.svg`) : args.svg;
      writeFileSync(file, svgPlot(buckets, `Gazette pipeline: documents indexed per second (N=${N})`));
      log(`plot               ${file}`);
    }
    const result = {
      pages: N,
      cluster: CLUSTER,
      crawlers: shape.crawlers,
      parsers: shape.parsers,
      indexers: shape.indexers,
      seconds: Number(seconds.toFixed(2)),
      pagesPerSecond: Number(rate.toFixed(1)),
      steadyPagesPerSecond: Number(steadyRate.toFixed(1)),
      extractorAlone: peer,
      ratioToExtractor: Number(ratio.toFixed(2)),
      fromCpu: {
        cores,
        pagesPerSecond: Number(cpuBoundRate.toFixed(1)),
        ratioToExtractor: Number(cpuBoundRatio.toFixed(2)),
      },
      indexed,
      failedWithReason,
      lost,
      duplicated,
      ...(kill
        ? {
            nodeLoss: {
              redisMasterPort: kill.redisPort,
              indexedBefore: kill.before,
              recoveredMs: kill.recoveredMs ?? null,
            },
          }
        : {}),
      latencyMs: {
        crawl: crawlStage.figures,
        parse: parseStage.figures,
        index: indexStage.figures,
        endToEnd: { p50_ms: percentile(e2e, 50), p95_ms: percentile(e2e, 95) },
      },
      queueDepthMax: { crawl: maxDepth('crawl'), parse: maxDepth('parse'), index: maxDepth('index') },
      queueDepth: depth,
      peakRssMb: Object.fromEntries([...peakRss].map(([k, v]) => [k, mb(v)])),
      maxWorkerRssMb: mb(maxWorkerRss),
      cpuMsPerPage: cpuMs,
      cpuMsPerPageByStage: cpuByStage,
      cpuMsPerPageTotal: Number(cpuTotal.toFixed(2)),
      cpuMsPerPageWithoutSite: Number(cpuWithoutSite.toFixed(2)),
      esBytesPerArticle: bytesPerArticle,
      archiveBytesPerPage: Math.round(archiveBytes / N),
      throughput: buckets.map((x) => Number(x.v.toFixed(1))),
      settings: {
        CRAWLER_CONCURRENCY: process.env.CRAWLER_CONCURRENCY ?? 'default',
        PARSER_CONCURRENCY: process.env.PARSER_CONCURRENCY ?? 'default',
        INDEXER_CONCURRENCY: process.env.INDEXER_CONCURRENCY ?? 'default',
        INDEXER_BULK_SIZE: process.env.INDEXER_BULK_SIZE ?? 'default',
        INDEXER_FLUSH_MS: process.env.INDEXER_FLUSH_MS ?? 'default',
      },
    };
    return result;
  } catch (error) {
    for (const { label: l, proc } of services) {
      const tail = proc.lines.slice(-5).map((x) => JSON.stringify(x));
      console.error(`--- ${l}\n${tail.join('\n')}`);
    }
    throw error;
  } finally {
    await Promise.all(services.map(({ proc }) => proc.stop(15_000)));
    if (killedNodes) {
      log('▸ starting the killed nodes again');
      // The run's figures stand even if a node does not come back; the next run's start reports it.
      await Promise.all([b.redisCluster!.restore(), b.esCluster!.restore()]).catch((error: unknown) =>
        console.error(`could not start the killed nodes again: ${String(error)}`),
      );
    }
    await dropArticleIndices(es, index).catch(() => undefined);
    await es.indices.delete({ index: canaryIndexFor(index), ignore_unavailable: true }).catch(() => undefined);
    await es.close();
    await deleteKeysWithPrefix(redis, `${prefix}:`).catch(() => undefined);
    await redis.quit();
    await site.close();
    await rm(archiveDir, { recursive: true, force: true });
  }
}

// ---- runs -----------------------------------------------------------------------------------------

let exitCode = 0;
const results: Array<Record<string, unknown>> = [];
const loadBefore = loadNow();
try {
  const b = await backing();
  const shapes: Shape[] = [];
  for (const pages of PAGES) {
    if (WORKERS.length === 0) {
      shapes.push({ pages, crawlers: fixed[0]!, parsers: fixed[1]!, indexers: fixed[2]! });
    } else {
      for (const k of WORKERS) shapes.push({ pages, crawlers: k, parsers: k, indexers: k });
    }
  }
  for (const shape of shapes) {
    const r = await runOnce(b, shape);
    results.push(r);
    if (Number(r.lost) > 0 || Number(r.duplicated) > 0) exitCode = 1;
    if (shapes.length > 1) console.log(JSON.stringify(r));
  }
  if (shapes.length > 1) {
    log('');
    log(
      'pages    workers (c/p/i)  pages/s  steady  extractor  ratio  ratio from CPU  lost  dup  worker RSS max (MB)  CPU ms/page (w/o site)',
    );
    for (const r of results) {
      log(
        `${String(r.pages).padEnd(8)} ${`${String(r.crawlers)}/${String(r.parsers)}/${String(r.indexers)}`.padEnd(16)} ${String(r.pagesPerSecond).padStart(7)}  ${String(r.steadyPagesPerSecond).padStart(6)}  ${String((r.extractorAlone as ExtractAlone).pagesPerSecond).padStart(9)}  ${Number(r.ratioToExtractor).toFixed(2).padStart(5)}  ${(r.fromCpu as { ratioToExtractor: number }).ratioToExtractor.toFixed(2).padStart(14)}  ${String(r.lost).padStart(4)}  ${String(r.duplicated).padStart(3)}  ${String(r.maxWorkerRssMb).padStart(19)}  ${Number(r.cpuMsPerPageTotal).toFixed(1)} (${Number(r.cpuMsPerPageWithoutSite).toFixed(1)})`,
      );
    }
    console.log(JSON.stringify({ runs: results }));
  } else if (results[0]) {
    console.log(JSON.stringify(results[0]));
  }
  if (args.record) {
    // The time series stay in the printed output; the record keeps each run's figures.
    const runs = results.map(({ queueDepth: _depth, throughput: _throughput, ...figures }) => figures);
    recordBenchResult('pipeline', 'pipeline', 'bench:pipeline', { runs }, [loadBefore, loadNow()]);
  }
} catch (error) {
  console.error(error);
  exitCode = 1;
}
process.exit(exitCode);
