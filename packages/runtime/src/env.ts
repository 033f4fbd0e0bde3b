import { z } from 'zod';

/** Settings every Gazette process shares. Each service extends this shape in its own schema. */
export const commonEnvShape = {
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** `auto`: pretty on a terminal in development, JSON otherwise; `pretty` or `json` force one. */
  LOG_FORMAT: z.enum(['auto', 'pretty', 'json']).default('auto'),
  REDIS_URL: z.string().default('redis://127.0.0.1:6379'),
  /**
   * BullMQ key prefix: separates deployments (and tests) sharing one Redis. On a Redis Cluster it
   * must hold a hash tag, e.g. `{gazette}`, so each queue's keys share a slot.
   */
  QUEUE_PREFIX: z
    .string()
    .regex(/^(?:[\w:-]|\{[\w:-]+\})+$/)
    .default('gazette'),
  /** Interface the ops endpoints (/healthz, /readyz, /metrics) listen on; 0.0.0.0 in containers. */
  OPS_HOST: z.string().default('127.0.0.1'),
  /** Seconds a stopping worker waits for its jobs in flight before it exits. */
  SHUTDOWN_GRACE_SECONDS: z.coerce.number().positive().default(30),
};

/** Elasticsearch settings, for the services that use it. */
export const elasticsearchEnvShape = {
  /** One node URL, or several comma-separated (the nodes of a cluster; requests fail over between them). */
  ELASTICSEARCH_URL: z
    .string()
    .default('http://127.0.0.1:9200')
    .refine(
      (value) =>
        value.split(',').every((node) => {
          try {
            return /^https?:$/.test(new URL(node.trim()).protocol);
          } catch {
            return false;
          }
        }),
      'one http(s) URL, or several comma-separated',
    ),
  /** Alias that articles are written to and read from. */
  ES_INDEX: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_.-]*$/)
    .default('gazette-articles'),
};

/** Raw archive location, for the services that use it. */
export const archiveEnvShape = {
  ARCHIVE_DIR: z.string().default('.data/archive'),
  /** S3 bucket of the archive; empty (the default): the local folder ARCHIVE_DIR. */
  ARCHIVE_S3_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'not an S3 bucket name')
    .optional(),
  /** Key prefix inside the bucket, e.g. `raw/`. */
  ARCHIVE_S3_PREFIX: z
    .string()
    .regex(/^([\w.-]+\/)*$/, 'a key prefix such as raw/ or gazette/raw/ (ending in /)')
    .default(''),
  /** S3 API endpoint (S3Proxy, MinIO, Ceph); empty: AWS S3 in ARCHIVE_S3_REGION. */
  ARCHIVE_S3_ENDPOINT: z.string().url().optional(),
  ARCHIVE_S3_REGION: z.string().default('us-east-1'),
  /** Path-style bucket addressing, which most self-hosted S3 servers need. */
  ARCHIVE_S3_FORCE_PATH_STYLE: z
    .enum(['true', 'false', '1', '0'])
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
  /** Static credentials; unset: the AWS SDK's chain (AWS_ACCESS_KEY_ID, profile, instance role). */
  ARCHIVE_S3_ACCESS_KEY_ID: z.string().optional(),
  ARCHIVE_S3_SECRET_ACCESS_KEY: z.string().optional(),
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Where Redis and Elasticsearch are, as every Gazette program reads it (services, CLI, the infra
 * scripts): `REDIS_URL` and `ELASTICSEARCH_URL` when set, otherwise 127.0.0.1 on `REDIS_PORT`
 * (default 6379) and `ES_PORT` (default 9200), the ports the infra scripts start them on.
 */
export function backingServiceUrls(env: NodeJS.ProcessEnv): { redisUrl: string; esUrl: string } {
  return {
    redisUrl: env.REDIS_URL || `redis://127.0.0.1:${env.REDIS_PORT || '6379'}`,
    esUrl: env.ELASTICSEARCH_URL || `http://127.0.0.1:${env.ES_PORT || '9200'}`,
  };
}

/** Parses environment variables with a zod object schema; every problem is listed in one clear error. */
export function parseEnv<S extends z.ZodObject>(schema: S, env: NodeJS.ProcessEnv): z.infer<S> {
  const picked: Record<string, string> = {};
  const urls = backingServiceUrls(env);
  const derived: Record<string, string> = { REDIS_URL: urls.redisUrl, ELASTICSEARCH_URL: urls.esUrl };
  for (const key of Object.keys(schema.shape)) {
    const value = env[key] || derived[key];
    if (value !== undefined && value !== '') picked[key] = value;
  }
  const result = schema.safeParse(picked);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  return result.data;
}
