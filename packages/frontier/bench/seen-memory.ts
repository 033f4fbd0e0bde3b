/**
 * Measure the Redis memory the SeenSet uses per URL: add N URLs (default
 * 1,000,000) under a fresh prefix, compare `INFO memory` used_memory before
 * and after (and MEMORY USAGE sampled over buckets), print bytes/URL for the
 * default (64-bit) and compact (32-bit) modes, then delete the keys.
 *
 * Usage: tsx packages/frontier/bench/seen-memory.ts [N]   (REDIS_URL, default redis://127.0.0.1:6379)
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { SeenSet } from '../src/seen.ts';

const n = Number(process.argv[2] ?? 1_000_000);
const redis = new Redis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');

async function usedMemory(): Promise<number> {
  const info = await redis.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? NaN);
}

async function measure(compact: boolean, capacity: number): Promise<void> {
  const set = new SeenSet({ redis, prefix: `bench:seen-memory:${randomUUID()}:`, capacity, compact });
  const before = await usedMemory();
  const batch = 5_000;
  for (let i = 0; i < n; i += batch) {
    const urls = Array.from(
      { length: Math.min(batch, n - i) },
      (_, k) => `https://news${(i + k) % 97}.example/2025/07/26/story-about-things-${i + k}`,
    );
    await set.addIfNew(urls);
  }
  const after = await usedMemory();
  // MEMORY USAGE over a sample of buckets, scaled up.
  const buckets = 2 ** set.bucketBits;
  let sampled = 0;
  let sampleBytes = 0;
  let encoding = '';
  for (let b = 0; b < buckets && sampled < 256; b += Math.max(1, Math.floor(buckets / 256))) {
    const key = `${set.prefix}${b.toString(16)}`;
    sampleBytes += (await redis.memory('USAGE', key)) ?? 0;
    encoding ||= String(await redis.object('ENCODING', key));
    sampled++;
  }
  const perBucket = sampleBytes / sampled;
  const label = compact ? 'compact (32-bit members)' : 'default (64-bit members)';
  console.log(
    `${label}: ${n.toLocaleString('en')} URLs, capacity ${capacity.toLocaleString('en')}, ${buckets} buckets (${encoding}), ` +
      `used_memory +${((after - before) / 1e6).toFixed(1)} MB = ${((after - before) / n).toFixed(2)} bytes/URL; ` +
      `MEMORY USAGE ${((perBucket * buckets) / n).toFixed(2)} bytes/URL`,
  );
  await set.clear();
}

try {
  await measure(false, n);
  await measure(true, n);
  await measure(false, 20_000_000);
} finally {
  await redis.quit();
}
