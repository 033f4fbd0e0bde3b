/**
 * The scaled-out local services for tests and benchmarks, each started (or reused) by its infra
 * script: a Redis Cluster (infra/redis/cluster.sh), a three-node Elasticsearch cluster
 * (infra/elasticsearch/cluster.sh) and an S3 API server (infra/s3/s3.sh). Ports come from the
 * same variables the scripts read, with the scripts' defaults.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from './service-process.ts';

const run = promisify(execFile);

async function script(path: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  const { stdout } = await run('bash', [join(REPO_ROOT, path), ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    maxBuffer: 10 * 1024 * 1024,
  });
  return stdout.trim();
}

export interface LocalS3 {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** The bucket the script creates. */
  bucket: string;
}

/** Starts (or reuses) S3Proxy on `S3_PORT` (default 9000). */
export async function startLocalS3(): Promise<LocalS3> {
  await script('infra/s3/s3.sh', ['start']);
  return {
    endpoint: `http://127.0.0.1:${process.env.S3_PORT ?? '9000'}`,
    region: 'us-east-1',
    accessKeyId: process.env.S3_ACCESS_KEY_ID ?? 'gazette',
    secretAccessKey: process.env.S3_SECRET_ACCESS_KEY ?? 'gazette-local-secret',
    bucket: process.env.S3_BUCKET ?? 'gazette-archive',
  };
}

export interface LocalRedisCluster {
  /** `redis+cluster://127.0.0.1:p1,...` */
  url: string;
  /** SIGKILLs the master serving the slot of `hashTag` (default `{gazette}`); its replica takes over. Returns its port. */
  killMaster(hashTag?: string): Promise<number>;
  /** Starts the stopped nodes again (they rejoin as replicas). */
  restore(): Promise<void>;
}

/** Starts (or reuses) the 3-master, 3-replica Redis Cluster on `REDIS_CLUSTER_PORT` (default 7000) and the five ports after it. */
export async function startRedisCluster(): Promise<LocalRedisCluster> {
  await script('infra/redis/cluster.sh', ['start']);
  const url = await script('infra/redis/cluster.sh', ['url']);
  return {
    url,
    killMaster: async (hashTag = '{gazette}') =>
      Number(await script('infra/redis/cluster.sh', ['kill-master', hashTag])),
    restore: async () => {
      await script('infra/redis/cluster.sh', ['start']);
    },
  };
}

export interface LocalEsCluster {
  /** Comma-separated node URLs, as ELASTICSEARCH_URL takes them. */
  url: string;
  nodes: string[];
  /** SIGKILLs node `n` (1-3). */
  killNode(n: number): Promise<void>;
  /** Starts the stopped nodes again and waits for the cluster to be green. */
  restore(): Promise<void>;
}

/** Starts (or reuses) the three-node Elasticsearch cluster on `ES_CLUSTER_PORT` (default 9250) and the two ports after it. */
export async function startEsCluster(): Promise<LocalEsCluster> {
  await script('infra/elasticsearch/cluster.sh', ['start']);
  const url = await script('infra/elasticsearch/cluster.sh', ['url']);
  return {
    url,
    nodes: url.split(','),
    killNode: async (n) => {
      await script('infra/elasticsearch/cluster.sh', ['kill', String(n)]);
    },
    restore: async () => {
      await script('infra/elasticsearch/cluster.sh', ['start']);
    },
  };
}
