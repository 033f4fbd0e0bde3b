import { scanKeys, unlinkKeys, type RedisConnection } from '@gazette/jobs';

/**
 * Deletes every key under `prefix` (a test's or benchmark's own queue prefix):
 * SCAN in batches, never KEYS, so a large Redis is not blocked.
 */
export async function deleteKeysWithPrefix(redis: RedisConnection, prefix: string): Promise<number> {
  let deleted = 0;
  await scanKeys(redis, `${prefix}*`, async (keys) => {
    deleted += await unlinkKeys(redis, keys);
  });
  return deleted;
}
