/**
 * The infra scripts reuse a node that already answers on their port only when it keeps its data in
 * the same data root (GAZETTE_DATA_DIR). A node whose data folder was removed (its checkout was
 * deleted) is stopped and replaced; a live node of another data root, or another program on the
 * port, makes the start fail with a message naming who holds the port and what to do.
 * Real redis-server processes, started through infra/redis/redis.sh and infra/redis/cluster.sh on
 * free ports of their own.
 */
import { execFile, spawn } from 'node:child_process';
import { access, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cluster, Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, waitFor } from '@gazette/devstack';
import { freePort } from '../support/local-services.ts';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function script(path: string, command: string, env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      'bash',
      [join(REPO_ROOT, path), command],
      { env: { ...process.env, ...env }, cwd: REPO_ROOT, maxBuffer: 10 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

async function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** First port of six free consecutive ports whose cluster bus ports (+10000) are free too. */
async function freeClusterBase(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 30_000);
    let free = true;
    for (let i = 0; i < 6 && free; i++) {
      free = (await canListen(base + i)) && (await canListen(base + i + 10_000));
    }
    if (free) return base;
  }
  throw new Error('no six free consecutive ports found');
}

async function redisAt(port: number): Promise<Redis> {
  const client = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 1 });
  await client.connect();
  return client;
}

async function processId(client: Redis): Promise<number> {
  const info = await client.info('server');
  return Number(/process_id:(\d+)/.exec(info)?.[1]);
}

async function configDir(client: Redis): Promise<string> {
  const [, dir] = (await client.config('GET', 'dir')) as [string, string];
  return dir;
}

/** The process runs (a zombie left to an init that does not reap counts as gone). */
async function alive(pid: number): Promise<boolean> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

async function refused(port: number): Promise<boolean> {
  const client = new Redis({ host: '127.0.0.1', port, lazyConnect: true, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    client.disconnect();
    return false;
  } catch {
    return true;
  }
}

const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

async function tempRoot(name: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `gazette-owner-${name}-`));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

describe('infra/redis/redis.sh', () => {
  it('replaces an orphan, refuses another data root, and stops an orphan on stop', async () => {
    const port = await freePort();
    const a = await tempRoot('a');
    const b = await tempRoot('b');
    const env = (root: string) => ({ GAZETTE_DATA_DIR: root, REDIS_PORT: String(port) });
    cleanups.push(() => script('infra/redis/redis.sh', 'stop', env(b)));
    cleanups.push(() => script('infra/redis/redis.sh', 'stop', env(a)));

    const first = await script('infra/redis/redis.sh', 'start', env(a));
    expect(first.code, first.stderr).toBe(0);
    const clientA = await redisAt(port);
    const pidA = await processId(clientA);
    expect(await configDir(clientA)).toBe(join(a, 'redis'));

    // Data root A still exists: its node is someone's, so B's start fails and leaves it running.
    const refusedStart = await script('infra/redis/redis.sh', 'start', env(b));
    expect(refusedStart.code).toBe(1);
    expect(refusedStart.stderr).toContain(`pid ${pidA}`);
    expect(refusedStart.stderr).toContain(`of data root ${a}, not of data root ${b}`);
    expect(refusedStart.stderr).toContain('REDIS_PORT');
    expect(await clientA.ping()).toBe('PONG');
    expect(await configDir(clientA)).toBe(join(a, 'redis'));
    clientA.disconnect();

    // Data root A removed (its checkout deleted): its node is an orphan, stopped and replaced.
    await rm(a, { recursive: true, force: true });
    const second = await script('infra/redis/redis.sh', 'start', env(b));
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain(`(pid ${pidA}) lost its data folder ${join(a, 'redis')}`);
    const clientB = await redisAt(port);
    expect(await processId(clientB)).not.toBe(pidA);
    expect(await configDir(clientB)).toBe(join(b, 'redis'));
    await clientB.set('owner-test', 'written');
    expect(await clientB.get('owner-test')).toBe('written');
    await access(join(b, 'redis', 'appendonlydir'));
    clientB.disconnect();

    // stop finds the node through the port when its pid file went with its folder.
    await rm(b, { recursive: true, force: true });
    const stop = await script('infra/redis/redis.sh', 'stop', env(b));
    expect(stop.code, stop.stderr).toBe(0);
    expect(stop.stdout).toContain('stopped the orphaned node');
    expect(await refused(port)).toBe(true);
  });

  it('never stops a redis-server it did not start, even when its folder is gone', async () => {
    const port = await freePort();
    const other = await tempRoot('plain');
    const root = await tempRoot('mine');
    const plain = spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--dir', other, '--save', ''], {
      stdio: 'ignore',
    });
    const exited = new Promise((resolve) => plain.once('exit', resolve));
    cleanups.push(async () => {
      plain.kill('SIGTERM');
      await exited;
    });
    await waitFor(async () => !(await refused(port)), { timeoutMs: 20_000, intervalMs: 50, what: 'redis-server' });
    await rm(other, { recursive: true, force: true });

    const run = await script('infra/redis/redis.sh', 'start', { GAZETTE_DATA_DIR: root, REDIS_PORT: String(port) });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`pid ${plain.pid}) of folder ${other} (removed)`);
    expect(plain.exitCode).toBeNull();
    const client = await redisAt(port);
    expect(await processId(client)).toBe(plain.pid);
    client.disconnect();
  });

  it('fails with who holds the port when it is not a Redis', async () => {
    const root = await tempRoot('other');
    const server: Server = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => server.close(resolve)));
    const { port } = server.address() as { port: number };

    const run = await script('infra/redis/redis.sh', 'start', { GAZETTE_DATA_DIR: root, REDIS_PORT: String(port) });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('which is not a Redis');
    expect(run.stderr).toContain(`pid ${process.pid}`);
  });
});

describe('infra/redis/cluster.sh', () => {
  it('refuses the nodes of another data root, then replaces them once that root is removed', async () => {
    const base = await freeClusterBase();
    const a = await tempRoot('cluster-a');
    const b = await tempRoot('cluster-b');
    const env = (root: string) => ({ GAZETTE_DATA_DIR: root, REDIS_CLUSTER_PORT: String(base) });
    cleanups.push(() => script('infra/redis/cluster.sh', 'stop', env(b)));
    cleanups.push(() => script('infra/redis/cluster.sh', 'stop', env(a)));

    const first = await script('infra/redis/cluster.sh', 'start', env(a));
    expect(first.code, first.stderr).toBe(0);

    const refusedStart = await script('infra/redis/cluster.sh', 'start', env(b));
    expect(refusedStart.code).toBe(1);
    expect(refusedStart.stderr).toContain(`127.0.0.1:${base} is taken by a Redis`);
    expect(refusedStart.stderr).toContain(`of data root ${a}`);
    expect(refusedStart.stderr).toContain('REDIS_CLUSTER_PORT');

    const pidsOfA = new Map<number, number>();
    for (let i = 0; i < 6; i++) {
      const node = await redisAt(base + i);
      pidsOfA.set(base + i, await processId(node));
      node.disconnect();
    }
    await rm(a, { recursive: true, force: true });
    const second = await script('infra/redis/cluster.sh', 'start', env(b));
    expect(second.code, second.stderr).toBe(0);
    // A cluster node whose folder is gone exits at its next nodes.conf save (Redis cannot write it),
    // and each exit makes the others save: a's nodes die off on their own within seconds. Those
    // still answering when the script looks are reported and stopped; the ports of the others are
    // simply free. Either way every one of a's processes is gone and b's six nodes run.
    const reported = [...second.stdout.matchAll(/127\.0\.0\.1:(\d+) \(pid (\d+)\) lost its data folder/g)];
    expect(reported.length, second.stdout).toBeGreaterThan(0);
    for (const [, port, pid] of reported) expect(Number(pid)).toBe(pidsOfA.get(Number(port)));
    for (const pid of pidsOfA.values()) expect(await alive(pid), `pid ${pid}`).toBe(false);

    for (let i = 0; i < 6; i++) {
      const node = await redisAt(base + i);
      expect(await configDir(node)).toBe(join(b, 'redis-cluster', String(base + i)));
      node.disconnect();
    }
    const cluster = new Cluster([{ host: '127.0.0.1', port: base }]);
    try {
      await cluster.set('{owner-test}:k', 'written');
      expect(await cluster.get('{owner-test}:k')).toBe('written');
    } finally {
      cluster.disconnect();
    }

    const stop = await script('infra/redis/cluster.sh', 'stop', env(b));
    expect(stop.code, stop.stderr).toBe(0);
    for (let i = 0; i < 6; i++) expect(await refused(base + i)).toBe(true);
  });
});
