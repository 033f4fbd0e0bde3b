import { Redis, type RedisOptions } from 'ioredis';

/**
 * One ioredis connection for BullMQ. Workers need `maxRetriesPerRequest: null`
 * so a Redis restart blocks commands until it is back instead of failing them.
 */
export function createRedis(url: string, options: RedisOptions = {}): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    retryStrategy: (times) => Math.min(times * 200, 5_000),
    ...options,
  });
}

/** Redact the password of a redis:// URL for logs. */
export function redactRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'redis://<invalid url>';
  }
}
