/**
 * The demo: serves the demo news site, runs the four services in the
 * background, crawls the site through them and prints one article with its
 * related articles. Redis and Elasticsearch must be up (infra/demo.sh starts them).
 */
import { join, resolve } from 'node:path';
import { createRedis } from '@gazette/jobs';
import { REPO_ROOT } from './service-process.ts';
import { launchDetached, stopDetached } from './detached.ts';
import { demoServiceEnv, metricsUrls } from './demo-env.ts';
import { isIdle, queueCounts, type QueueCounts } from './pipeline-state.ts';
import { waitFor } from './wait.ts';
import { demoArticles } from '@gazette/demo-site';

const env = process.env;
const dataDir = resolve(REPO_ROOT, env.GAZETTE_DATA_DIR ?? '.data');
const runDir = join(dataDir, 'run');
const apiPort = env.API_PORT ?? '8080';
const sitePort = env.DEMO_SITE_PORT ?? '8088';
const prefix = env.QUEUE_PREFIX ?? 'gazette';
const index = env.ES_INDEX ?? 'gazette-articles';
const redisUrl = env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const esUrl = env.ELASTICSEARCH_URL ?? 'http://127.0.0.1:9200';
const api = `http://127.0.0.1:${apiPort}`;
const services = ['crawler', 'parser', 'indexer', 'api'] as const;
const ready: Record<string, string> = {
  crawler: 'crawler started',
  parser: 'parser started',
  indexer: 'indexer started',
  api: 'api listening',
};

const step = (text: string) => console.log(`\n▸ ${text}`);

async function getJson<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, init);
  if (!res.ok) throw new Error(`${init?.method ?? 'GET'} ${url} → ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

const stopped = await stopDetached(runDir, ['demo-site', ...services]);
if (stopped.length) console.log(`stopped the previous demo's ${stopped.join(', ')}`);

step(`serving the demo news site on 127.0.0.1:${sitePort}`);
const site = await launchDetached({
  name: 'demo-site',
  entry: 'packages/demo-site/src/main.ts',
  env: { DEMO_SITE_PORT: sitePort },
  runDir,
  readyMessage: 'demo site listening',
});
const siteUrl = String(site.ready.url);

step('starting crawler, parser, indexer and api');
const common = {
  REDIS_URL: redisUrl,
  ELASTICSEARCH_URL: esUrl,
  QUEUE_PREFIX: prefix,
  ES_INDEX: index,
  ARCHIVE_DIR: join(dataDir, 'archive'),
  // The demo site is on loopback, which the crawler refuses unless allowed.
  CRAWLER_ALLOW_HOSTS: env.CRAWLER_ALLOW_HOSTS ?? '127.0.0.1',
  CRAWLER_POLITENESS_MS: env.CRAWLER_POLITENESS_MS ?? '0',
  API_PORT: apiPort,
  // Metrics ports: CRAWLER_/PARSER_/INDEXER_METRICS_PORT when set, else free ones (no collision
  // with a running deployment); the ports bound are printed below.
  ...demoServiceEnv(env),
};
const readyLines: Record<string, Record<string, unknown>> = {};
for (const name of services) {
  const proc = await launchDetached({
    name,
    entry: `services/${name}/src/main.ts`,
    env: common,
    runDir,
    readyMessage: ready[name]!,
  });
  readyLines[name] = proc.ready;
  console.log(`  ${name.padEnd(8)} pid ${proc.pid}  log ${proc.logFile}`);
}
const metrics = metricsUrls(readyLines, api, env.OPS_HOST);
for (const m of metrics) console.log(`  ${m.service.padEnd(8)} metrics ${m.url}`);

const redis = createRedis(redisUrl);
const before = await queueCounts(redis, prefix);
const finished = (c: QueueCounts) => c.crawl.completed + c.crawl.failed;

step(`POST ${api}/crawl  { urls: ["${siteUrl}/"], scope: { maxDepth: 2 } }`);
const started = Date.now();
const accepted = await getJson<{ accepted: number }>(`${api}/crawl`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ urls: [`${siteUrl}/`], scope: { maxDepth: 2 }, force: true }),
});
console.log(`  accepted ${accepted.accepted} URL`);

const after = await waitFor(
  async () => {
    const c = await queueCounts(redis, prefix);
    return isIdle(c) && finished(c) > finished(before) ? c : null;
  },
  { timeoutMs: 180_000, intervalMs: 250, what: 'the crawl to finish' },
);
await redis.quit();
await fetch(`${esUrl}/${index}/_refresh`, { method: 'POST' });
const delta = (q: 'crawl' | 'parse' | 'index') =>
  `${q} ${after[q].completed - before[q].completed} ok / ${after[q].failed - before[q].failed} failed`;
console.log(
  `  done in ${((Date.now() - started) / 1000).toFixed(1)} s: ${delta('crawl')}, ${delta('parse')}, ${delta('index')}`,
);

interface Summary {
  id: string;
  title: string;
  url: string;
  publishedAt: string | null;
  score: number | null;
}
const featured = demoArticles[0]!;
const found = await getJson<{ total: number; hits: Summary[] }>(
  `${api}/search?q=${encodeURIComponent(featured.title)}&size=1`,
);
const first = found.hits[0];
if (!first) throw new Error('the featured article was not indexed; see the logs in ' + runDir);
const record = await getJson<{
  id: string;
  title: string;
  authors: string[];
  publishedAt: string | null;
  canonicalUrl: string;
  body: string;
  wordCount: number;
  relatedLinks: Array<{ url: string; text: string }>;
}>(`${api}/articles/${first.id}`);
const related = await getJson<{ related: Summary[] }>(`${api}/articles/${first.id}/related?k=5`);

step(`GET ${api}/articles/${record.id}`);
console.log(`  title       ${record.title}`);
console.log(`  authors     ${record.authors.join(', ') || '(none)'}`);
console.log(`  published   ${record.publishedAt ?? '(unknown)'}`);
console.log(`  url         ${record.canonicalUrl}`);
console.log(`  words       ${record.wordCount}`);
const paragraphs = record.body.split('\n\n');
for (const p of paragraphs.slice(0, 3)) console.log(`  │ ${p.length > 160 ? `${p.slice(0, 157)}…` : p}`);
if (paragraphs.length > 3) console.log(`  │ … ${paragraphs.length - 3} more paragraphs`);
for (const link of record.relatedLinks) console.log(`  read more   ${link.text}`);

step(`GET ${api}/articles/${record.id}/related?k=5`);
for (const [i, r] of related.related.entries()) {
  console.log(`  ${i + 1}. ${r.title}  (score ${r.score?.toFixed(2)}, ${r.publishedAt?.slice(0, 10) ?? 'undated'})`);
}

console.log(`
The api is running at ${api} (the crawler, parser and indexer too; logs in ${runDir}).
  curl ${api}/healthz
  curl '${api}/search?q=glaciers'
  curl ${api}/articles/${record.id}/related
  open ${api}/console
Metrics (Prometheus):
${metrics.map((m) => `  ${m.service.padEnd(8)} ${m.url}`).join('\n')}
Stop everything with: npm run stop`);
