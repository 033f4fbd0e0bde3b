/**
 * docker-compose.yml, default and `cluster` profile, loaded by compose-go (the loader of Docker
 * Compose itself) through infra/compose-check/check.sh: no Docker engine runs here.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '@gazette/devstack';

const run = promisify(execFile);
const script = join(REPO_ROOT, 'infra/compose-check/check.sh');
const env = { ...process.env, API_OPERATOR_TOKEN: 'compose-check-operator-token' };
let dir: string | undefined;

async function check(...args: string[]): Promise<string[]> {
  const { stdout } = await run('bash', [script, ...args], { env, cwd: REPO_ROOT, timeout: 600_000 });
  const match = /^valid: project gazette, services (.*)$/m.exec(stdout);
  expect(match, stdout).not.toBeNull();
  return match![1]!.split(' ');
}

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('docker-compose.yml', () => {
  it('is a valid Compose project; the cluster profile adds the Redis Cluster, three Elasticsearch nodes and S3, the render profile the renderer', async () => {
    const plain = await check('docker-compose.yml');
    expect(plain).toEqual(['api', 'crawler', 'elasticsearch', 'indexer', 'parser', 'redis']);
    const cluster = await check('-profiles', 'cluster', 'docker-compose.yml');
    for (const name of ['es-1', 'es-2', 'es-3', 's3', 'redis-cluster-create']) expect(cluster, name).toContain(name);
    expect(cluster.filter((s) => /^redis-\d$/.test(s))).toHaveLength(6);
    expect(cluster).not.toContain('renderer');
    const render = await check('-profiles', 'render', 'docker-compose.yml');
    expect(render).toEqual(['api', 'crawler', 'elasticsearch', 'indexer', 'parser', 'redis', 'renderer']);
  }, 600_000);

  it('rejects a file the Compose specification does not allow', async () => {
    dir = await mkdtemp(join(tmpdir(), 'gazette-compose-'));
    const broken = join(dir, 'docker-compose.yml');
    const text = await readFile(join(REPO_ROOT, 'docker-compose.yml'), 'utf8');
    await writeFile(
      broken,
      text.replace(
        '  redis:\n    image: redis:7.4-bookworm\n',
        '  redis:\n    image: redis:7.4-bookworm\n    no_such_key: 1\n',
      ),
    );
    const error = await run('bash', [script, broken], { env, cwd: REPO_ROOT }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(String((error as { stderr?: string }).stderr)).toMatch(/invalid compose file: .*no_such_key/);
  }, 600_000);
});
