/**
 * Private Redis and Elasticsearch instances for fault scenarios that restart or stop them: the
 * shared ones must never be touched. Each lives in its own folder on its own free port.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { REPO_ROOT, waitFor } from '@gazette/devstack';

const run = promisify(execFile);

/** A TCP port nobody listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface LocalRedis {
  url: string;
  port: number;
  dir: string;
  /** Stops Redis (SHUTDOWN, which writes the append-only file) and starts it again on the same port and folder. */
  restart(): Promise<void>;
  /** SIGKILL (no shutdown, nothing flushed beyond what Redis already wrote) and start again on its append-only file. */
  crash(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A redis-server with append-only file on, in `dir`, started and stopped by the test. `appendfsync`
 * is `everysec` unless `always` is asked for: with `everysec` Redis may put off writing the file for
 * up to 2 s while an earlier fsync is slow (a busy disk) and still answer, so only `always` keeps
 * every acknowledged write across a SIGKILL.
 */
export async function startLocalRedis(
  dir: string,
  options: { appendfsync?: 'always' | 'everysec' } = {},
): Promise<LocalRedis> {
  const syncEvery = options.appendfsync ?? 'everysec';
  await mkdir(dir, { recursive: true });
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;

  const start = async () => {
    child = spawn(
      'redis-server',
      [
        '--bind', '127.0.0.1', '--port', String(port), '--dir', dir,
        '--appendonly', 'yes', '--appendfsync', syncEvery, '--save', '',
        '--maxmemory-policy', 'noeviction', '--logfile', join(dir, 'redis.log'),
      ], // prettier-ignore
      { stdio: 'ignore' },
    );
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => undefined);
    try {
      await waitFor(
        async () => {
          if (child?.exitCode !== null) throw new Error(`redis-server exited with ${child?.exitCode}`);
          try {
            await probe.connect();
          } catch {
            return false;
          }
          const pong = await probe.ping().catch(() => null);
          if (pong !== 'PONG') probe.disconnect();
          return pong === 'PONG';
        },
        { timeoutMs: 20_000, intervalMs: 50, what: `redis-server on port ${port}` },
      );
    } finally {
      probe.disconnect();
    }
  };

  const stop = async () => {
    const proc = child;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    // SIGTERM makes Redis flush the append-only file and exit cleanly.
    proc.kill('SIGTERM');
    await exited;
  };

  await start();
  return {
    url,
    port,
    dir,
    stop,
    restart: async () => {
      await stop();
      await start();
    },
    crash: async () => {
      const proc = child;
      if (proc && proc.exitCode === null && proc.signalCode === null) {
        const exited = new Promise((resolve) => proc.once('exit', resolve));
        proc.kill('SIGKILL');
        await exited;
      }
      await start();
    },
  };
}

export interface LocalElasticsearch {
  url: string;
  dataDir: string;
  /** Starts the node (again); resolves once it is healthy. */
  start(): Promise<void>;
  /** Stops the node; resolves once its process is gone. */
  stop(): Promise<void>;
}

/** A second Elasticsearch node (infra/elasticsearch/es.sh) with its own data folder and ports. */
export async function localElasticsearch(dataDir: string): Promise<LocalElasticsearch> {
  const port = await freePort();
  const transport = await freePort();
  const env = {
    ...process.env,
    GAZETTE_DATA_DIR: dataDir,
    ES_PORT: String(port),
    ES_TRANSPORT_PORT: String(transport),
    ES_HEAP: process.env.FAULTS_ES_HEAP ?? '512m',
  };
  const script = join(REPO_ROOT, 'infra/elasticsearch/es.sh');
  const es = async (command: 'start' | 'stop') => {
    await run('bash', [script, command], { env, cwd: REPO_ROOT, maxBuffer: 10 * 1024 * 1024 });
  };
  return {
    url: `http://127.0.0.1:${port}`,
    dataDir,
    start: () => es('start'),
    stop: () => es('stop'),
  };
}
