import { resolve } from 'node:path';
import type { Client } from '@elastic/elasticsearch';
import type { RedisConnection } from '@gazette/jobs';
import type { ArchiveSettings } from '@gazette/archive';
import { backingServiceUrls } from '@gazette/runtime';

/**
 * Where the CLI finds Gazette: the same variables and defaults as the services and the infra
 * scripts (REDIS_URL or REDIS_PORT, ELASTICSEARCH_URL or ES_PORT, QUEUE_PREFIX, ES_INDEX).
 */
export function cliEnv(env: NodeJS.ProcessEnv = process.env) {
  const { redisUrl, esUrl } = backingServiceUrls(env);
  return {
    redisUrl,
    prefix: env.QUEUE_PREFIX || 'gazette',
    esUrl,
    index: env.ES_INDEX || 'gazette-articles',
    archiveDir: resolve(env.ARCHIVE_DIR || '.data/archive'),
    /** The archive settings, as the services read them (an S3 bucket when ARCHIVE_S3_BUCKET is set). */
    archive: {
      ARCHIVE_DIR: resolve(env.ARCHIVE_DIR || '.data/archive'),
      ARCHIVE_S3_BUCKET: env.ARCHIVE_S3_BUCKET || undefined,
      ARCHIVE_S3_PREFIX: env.ARCHIVE_S3_PREFIX || '',
      ARCHIVE_S3_ENDPOINT: env.ARCHIVE_S3_ENDPOINT || undefined,
      ARCHIVE_S3_REGION: env.ARCHIVE_S3_REGION || 'us-east-1',
      ARCHIVE_S3_FORCE_PATH_STYLE:
        env.ARCHIVE_S3_FORCE_PATH_STYLE === 'true' || env.ARCHIVE_S3_FORCE_PATH_STYLE === '1',
      ARCHIVE_S3_ACCESS_KEY_ID: env.ARCHIVE_S3_ACCESS_KEY_ID || undefined,
      ARCHIVE_S3_SECRET_ACCESS_KEY: env.ARCHIVE_S3_SECRET_ACCESS_KEY || undefined,
    } satisfies ArchiveSettings,
  };
}

/** Runs `fn` with a Redis connection (commands fail fast when Redis is away), closing it after. */
export async function withRedis<T>(fn: (redis: RedisConnection, prefix: string) => Promise<T>): Promise<T> {
  const env = cliEnv();
  // The queue library and the search client are loaded by the commands that use them, not by every command.
  const { createRedis } = await import('@gazette/jobs');
  const redis = createRedis(env.redisUrl, { maxRetriesPerRequest: 2, retryStrategy: (n) => (n > 3 ? null : 200) });
  try {
    return await fn(redis, env.prefix);
  } finally {
    redis.disconnect();
  }
}

export async function withSearch<T>(fn: (es: Client, index: string) => Promise<T>): Promise<T> {
  const env = cliEnv();
  const { createSearchClient } = await import('@gazette/search');
  const es = createSearchClient({ url: env.esUrl });
  try {
    return await fn(es, env.index);
  } finally {
    await es.close();
  }
}

/**
 * An AbortSignal that Ctrl-C (SIGINT) or SIGTERM trips: a long operation stops
 * after its current batch and keeps its cursor; a second Ctrl-C exits at once.
 */
export function interruptSignal(): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write('\ninterrupting after the current batch (Ctrl-C again to quit now)…\n');
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
