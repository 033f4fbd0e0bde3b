/**
 * Redis memory per queued crawl job and per seen URL: adds N of each under a fresh prefix and reads
 * the growth of `used_memory` (INFO memory) on the Redis of REDIS_URL (one server; on a cluster the
 * prefix's hash tag puts all of them on one master, which is the one measured).
 *   npm run bench:redis-memory -- [--n 20000]
 */
import { randomBytes } from 'node:crypto';
import { Cluster } from 'ioredis';
import { deleteKeysWithPrefix } from '@gazette/devstack';
import { SeenSet } from '@gazette/frontier';
import { Producer, createRedis, type RedisConnection } from '@gazette/jobs';

const arg = process.argv.indexOf('--n');
const N = arg > 0 ? Number(process.argv[arg + 1]) : 20_000;
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
await deleteKeysWithPrefix(redis, `${prefix}:`);
await redis.quit();
