/**
 * Redis memory per queued crawl job and per seen URL: adds N of each under a fresh prefix and reads
 * the growth of `used_memory` (INFO memory) on the Redis of REDIS_URL (one server; on a cluster the
 * prefix's hash tag puts all of them on one master, which is the one measured). Then the same for
 * index jobs, whose payload is a whole article record: `--index M` records extracted from the bench
 * site's generated pages, queued, then run to completion by a worker that only acknowledges them,
 * so the figure per completed job (kept under the queue's removeOnComplete window) is printed too.
 *   npm run bench:redis-memory -- [--n 20000] [--index 2000]
 */
import { randomBytes } from 'node:crypto';
import { Cluster } from 'ioredis';
import { deleteKeysWithPrefix, renderGeneratedArticle, waitFor } from '@gazette/devstack';
import { extract } from '@gazette/extract';
import { SeenSet } from '@gazette/frontier';
import { Producer, catalog, createRedis, createWorker, indexJobId, type RedisConnection } from '@gazette/jobs';
import { createLogger } from '@gazette/logger';

const numberArg = (name: string, fallback: number) => {
  const at = process.argv.indexOf(name);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const N = numberArg('--n', 20_000);
const INDEX_JOBS = numberArg('--index', 2_000);
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const redis = createRedis(redisUrl);
const prefix = `{bench-mem-${randomBytes(3).toString('hex')}}`;

async function usedMemory(conn: RedisConnection, key: string): Promise<number> {
  const target = conn instanceof Cluster ? await masterFor(conn, key) : conn;
  const info = await target.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0);
}

/** The master node that holds `key` on a cluster. */
async function masterFor(cluster: Cluster, key: string): Promise<RedisConnection> {
  const slot = Number(await cluster.cluster('KEYSLOT', key));
  const slots = await cluster.cluster('SLOTS');
  const owner = slots.find(([from, to]) => from <= slot && slot <= to);
  const port = owner?.[2]?.[1];
  const node = cluster.nodes('master').find((n) => n.options.port === port);
  if (!node) throw new Error(`no master holds slot ${slot}`);
  return node;
}

const url = (i: number) =>
  `https://news.example.com/2025/06/${String(i % 28).padStart(2, '0')}/a-typical-story-slug-${i}`;

const crawl = new Producer('crawl', { connection: redis, prefix });
const before = await usedMemory(redis, prefix);
for (let i = 0; i < N; i += 1000) {
  await crawl.addBulk(
    Array.from({ length: Math.min(1000, N - i) }, (_, k) => ({
      payload: { url: url(i + k) },
      options: {
        jobId: `u-${Buffer.from(url(i + k))
          .toString('base64url')
          .slice(-120)}`,
      },
    })),
  );
}
const afterJobs = await usedMemory(redis, prefix);
const seen = new SeenSet({ redis, prefix: `${prefix}:seen:`, capacity: 20_000_000 });
for (let i = 0; i < N * 10; i += 2000) await seen.addIfNew(Array.from({ length: 2000 }, (_, k) => url(N + i + k)));
const afterSeen = await usedMemory(redis, prefix);

console.log(`redis memory, ${N} queued crawl jobs: ${((afterJobs - before) / N).toFixed(0)} bytes per job`);
console.log(
  `redis memory, ${N * 10} seen URLs (capacity 20M buckets): ${((afterSeen - afterJobs) / (N * 10)).toFixed(1)} bytes per URL`,
);
await crawl.close();

// Index jobs: a record each, as the parsers queue them.
const base = 'http://127.0.0.1:8080';
const fetchedAt = new Date().toISOString();
const records = Array.from({ length: INDEX_JOBS }, (_, i) => {
  const result = extract({ body: renderGeneratedArticle(base, i), url: `${base}/a/${i}`, fetchedAt });
  if (result.kind !== 'article') throw new Error(`generated page ${i} is not an article: ${result.reason}`);
  return result.record;
});
const index = new Producer('index', { connection: redis, prefix });
const beforeIndex = await usedMemory(redis, prefix);
for (let i = 0; i < INDEX_JOBS; i += 500) {
  await index.addBulk(
    records.slice(i, i + 500).map((record, k) => ({
      payload: { record, runId: 'bench' },
      options: { jobId: indexJobId(record, { file: 'bench.warc.gz', offset: i + k }) },
    })),
  );
}
const queuedIndex = await usedMemory(redis, prefix);
// The job hashes themselves (MEMORY USAGE): unaffected by whatever else the server does meanwhile.
const jobHashBytes = async () => {
  let total = 0;
  for (let i = 0; i < INDEX_JOBS; i += 500) {
    const ids = records
      .slice(i, i + 500)
      .map((record, k) => indexJobId(record, { file: 'bench.warc.gz', offset: i + k }));
    const sizes = await Promise.all(
      ids.map((id) => redis.call('MEMORY', 'USAGE', `${prefix}:${catalog.index.name}:${id}`, 'SAMPLES', '0')),
    );
    total += sizes.reduce<number>((sum, v) => sum + Number(v ?? 0), 0);
  }
  return total / INDEX_JOBS;
};
const queuedHash = await jobHashBytes();
const payloadBytes = records.reduce((sum, record) => sum + Buffer.byteLength(JSON.stringify({ record })), 0);
const worker = createWorker('index', async (payload) => ({ id: payload.record.id }), {
  context: { connection: redis, prefix },
  logger: createLogger({ name: 'bench-redis-memory', level: 'silent' }),
  concurrency: 50,
});
await waitFor(async () => (await index.queue.getCompletedCount()) === INDEX_JOBS, {
  timeoutMs: 300_000,
  what: 'every index job to complete',
});
await worker.close();
const completedIndex = await usedMemory(redis, prefix);
const completedHash = await jobHashBytes();
const retained = catalog.index.jobOptions.removeOnComplete;
const perCompleted = (completedIndex - beforeIndex) / INDEX_JOBS;
console.log(
  `redis memory, ${INDEX_JOBS} queued index jobs: ${((queuedIndex - beforeIndex) / INDEX_JOBS).toFixed(0)} bytes per job, ` +
    `job hash ${queuedHash.toFixed(0)} bytes (payload JSON ${(payloadBytes / INDEX_JOBS).toFixed(0)} bytes)`,
);
console.log(
  `redis memory, ${INDEX_JOBS} completed index jobs: ${perCompleted.toFixed(0)} bytes per job, ` +
    `job hash ${completedHash.toFixed(0)} bytes; ` +
    `the completed window (${JSON.stringify(retained)}) holds up to ${((completedHash * (typeof retained === 'object' && retained.count ? retained.count : INDEX_JOBS)) / 2 ** 20).toFixed(1)} MB`,
);
await index.close();
await deleteKeysWithPrefix(redis, `${prefix}:`);
await redis.quit();
