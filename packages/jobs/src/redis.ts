import { Cluster, Redis, type ClusterNode, type RedisOptions } from 'ioredis';

/**
 * A connection to Gazette's Redis: one server (`redis://`, `rediss://`) or a Redis Cluster
 * (`redis+cluster://`, `rediss+cluster://`). Both speak the same commands; code that needs the
 * keyspace as a whole (SCAN) goes through {@link scanKeys}.
 */
export type RedisConnection = Redis | Cluster;

/** What a `REDIS_URL` names, parsed in one place. */
export type RedisTarget =
  | { kind: 'single'; url: string }
  | {
      kind: 'cluster';
      nodes: Array<{ host: string; port: number }>;
      username?: string;
      password?: string;
      tls: boolean;
      db: 0;
    };

export class RedisUrlError extends Error {
  override name = 'RedisUrlError';
  readonly reason = 'invalid-redis-url';
}

const CLUSTER_SCHEMES = new Set(['redis+cluster:', 'rediss+cluster:']);

/**
 * Parses a `REDIS_URL`. A cluster is `redis+cluster://[user:password@]host1:port1,host2:port2,...`
 * (`rediss+cluster://` for TLS): the nodes are seeds; the client discovers the rest of the cluster
 * from them and follows slot moves and fail-overs.
 */
export function parseRedisUrl(url: string): RedisTarget {
  const match = /^([a-z+]+:)\/\/(?:([^@/]*)@)?([^/?#]+)(\/[^?#]*)?$/i.exec(url.trim());
  const scheme = match?.[1]?.toLowerCase();
  if (!match || !scheme) throw new RedisUrlError(`REDIS_URL is not a URL: ${redactRedisUrl(url)}`);
  if (!CLUSTER_SCHEMES.has(scheme)) {
    if (scheme !== 'redis:' && scheme !== 'rediss:')
      throw new RedisUrlError(`REDIS_URL must start with redis://, rediss:// or redis+cluster:// (got ${scheme}//)`);
    return { kind: 'single', url };
  }
  const path = match[4];
  if (path && path !== '/' && path !== '/0')
    throw new RedisUrlError('a Redis Cluster has only database 0: drop the /<db> of REDIS_URL');
  const nodes = match[3]!.split(',').map((part) => {
    const hostPort = /^(\[[^\]]+\]|[^:]+)(?::(\d{1,5}))?$/.exec(part.trim());
    if (!hostPort) throw new RedisUrlError(`REDIS_URL: "${part}" is not host:port`);
    const port = Number(hostPort[2] ?? 6379);
    if (port < 1 || port > 65535) throw new RedisUrlError(`REDIS_URL: port ${port} out of range`);
    return { host: hostPort[1]!.replace(/^\[|\]$/g, ''), port };
  });
  const target: RedisTarget = { kind: 'cluster', nodes, tls: scheme === 'rediss+cluster:', db: 0 };
  const auth = match[2];
  if (auth) {
    const colon = auth.indexOf(':');
    const user = decodeURIComponent(colon === -1 ? auth : auth.slice(0, colon));
    const password = colon === -1 ? '' : decodeURIComponent(auth.slice(colon + 1));
    if (colon === -1) target.password = user;
    else {
      if (user) target.username = user;
      target.password = password;
    }
  }
  return target;
}

/** True when `url` names a Redis Cluster. */
export function isClusterUrl(url: string): boolean {
  return parseRedisUrl(url).kind === 'cluster';
}

/**
 * One ioredis connection (or cluster client) for BullMQ. Workers need `maxRetriesPerRequest: null`
 * so a Redis restart (or a cluster fail-over) blocks commands until it is back instead of failing them.
 */
export function createRedis(url: string, options: RedisOptions = {}): RedisConnection {
  const redisOptions: RedisOptions = {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    retryStrategy: (times) => Math.min(times * 200, 5_000),
    ...options,
  };
  const target = parseRedisUrl(url);
  if (target.kind === 'single') return new Redis(url, redisOptions);
  const { retryStrategy, ...nodeOptions } = redisOptions;
  return new Cluster(target.nodes as ClusterNode[], {
    redisOptions: {
      ...nodeOptions,
      ...(target.username ? { username: target.username } : {}),
      ...(target.password ? { password: target.password } : {}),
      ...(target.tls ? { tls: {} } : {}),
    },
    clusterRetryStrategy: retryStrategy ?? ((times) => Math.min(times * 200, 5_000)),
    // While a master is failing over, commands wait (and are retried) instead of failing.
    retryDelayOnFailover: 200,
    retryDelayOnClusterDown: 300,
    retryDelayOnTryAgain: 200,
    retryDelayOnMoved: 0,
    maxRedirections: 64,
    enableOfflineQueue: true,
    slotsRefreshTimeout: 2_000,
    // Commands issued together (a seen-set batch) go out as one pipeline per node.
    enableAutoPipelining: true,
  });
}

/**
 * Checks that a key prefix keeps each of Gazette's multi-key operations in one hash slot of a
 * Redis Cluster: BullMQ's Lua scripts touch several keys of a queue, and so do politeness and the
 * source store. The prefix must hold a hash tag such as `{gazette}`, so that every key under it
 * hashes to one slot. On a single Redis any prefix works.
 */
export function assertClusterPrefix(connection: RedisConnection, prefix: string): void {
  if (!(connection instanceof Cluster)) return;
  if (!/\{[^{}]+\}/.test(prefix))
    throw new RedisUrlError(
      `QUEUE_PREFIX "${prefix}" has no hash tag: on a Redis Cluster use one such as "{${prefix}}" ` +
        `so each queue's keys share a hash slot`,
    );
}

/**
 * Every key matching `pattern`, in batches (SCAN, never KEYS). On a cluster each master is scanned.
 * Calls `onBatch` once per non-empty batch.
 */
export async function scanKeys(
  redis: RedisConnection,
  pattern: string,
  onBatch: (keys: string[]) => Promise<void>,
): Promise<void> {
  const nodes = redis instanceof Cluster ? redis.nodes('master') : [redis];
  for (const node of nodes) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await onBatch(keys);
    } while (cursor !== '0');
  }
}

/**
 * Deletes keys (UNLINK). On a cluster a multi-key command must stay within one slot, so the keys
 * are unlinked one by one (pipelined by the client). Returns how many existed.
 */
export async function unlinkKeys(redis: RedisConnection, keys: readonly string[]): Promise<number> {
  if (keys.length === 0) return 0;
  if (!(redis instanceof Cluster)) return redis.unlink(...keys);
  const counts = await Promise.all(keys.map((key) => redis.unlink(key)));
  return counts.reduce((a, b) => a + b, 0);
}

/** Redact the password of a Redis URL for logs. */
export function redactRedisUrl(url: string): string {
  return url.replace(/^([a-z+]+:\/\/)([^@/]*)@/i, (_all, scheme: string, auth: string) => {
    const colon = auth.indexOf(':');
    return colon === -1 ? `${scheme}***@` : `${scheme}${auth.slice(0, colon)}:***@`;
  });
}
