/**
 * An index left red in Elasticsearch's data folder (here: one whose allocation rule no node meets)
 * keeps the cluster red for good. `infra/elasticsearch/es.sh start` used to wait for yellow until its
 * timeout and then stop the node; it now starts, names the red index in a warning, and the node
 * serves every other index. The script also waits for the stored state to be recovered: before that
 * the cluster reports no index at all, green, which the health check alone took for "up".
 * A real node started by the script on free ports, in its own data root.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '@gazette/devstack';
import { freePort } from '../support/local-services.ts';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function es(command: 'start' | 'stop', env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      'bash',
      [join(REPO_ROOT, 'infra/elasticsearch/es.sh'), command],
      { env: { ...process.env, ...env }, cwd: REPO_ROOT, maxBuffer: 10 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe('es.sh start with a red index in the data folder', () => {
  let env: Record<string, string> | undefined;
  let root: string | undefined;

  afterAll(async () => {
    if (env) await es('stop', env);
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('starts, names the red index, and serves the others', async () => {
    root = await mkdtemp(join(tmpdir(), 'gazette-es-red-'));
    const port = await freePort();
    // Short enough that the old behaviour (wait for yellow until the timeout) fails within the test.
    env = {
      GAZETTE_DATA_DIR: root,
      ES_PORT: String(port),
      ES_TRANSPORT_PORT: String(await freePort()),
      ES_HEAP: '512m',
      ES_START_TIMEOUT: '120',
    };
    const url = `http://127.0.0.1:${port}`;
    const first = await es('start', env);
    expect(first.code, first.stderr).toBe(0);
    const put = (path: string, body: unknown) =>
      fetch(`${url}/${path}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await put('kept/_doc/1?refresh=true', { kept: true })).status).toBe(201);

    const created = await put('left-red?wait_for_active_shards=0', {
      settings: {
        number_of_shards: 1,
        number_of_replicas: 0,
        'index.routing.allocation.require._name': 'no-such-node',
      },
    });
    expect(created.status).toBe(200);
    const health = (await (await fetch(`${url}/_cluster/health`)).json()) as { status: string };
    expect(health.status).toBe('red');

    expect((await es('stop', env)).code).toBe(0);
    const again = await es('start', env);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/warning: up, but these indices are red.*left-red/);
    // Up means the stored data is back: a master reports a cluster without indices, green, until
    // the stored state is recovered, and the script no longer takes that for healthy.
    const kept = (await (await fetch(`${url}/kept/_doc/1`)).json()) as { found?: boolean };
    expect(kept.found).toBe(true);

    // The cluster is still red, and every other index works.
    const after = (await (await fetch(`${url}/_cluster/health`)).json()) as { status: string };
    expect(after.status).toBe('red');
    expect((await put('still-works/_doc/1?refresh=true', { ok: true })).status).toBe(201);
    const read = (await (await fetch(`${url}/still-works/_doc/1`)).json()) as { found: boolean };
    expect(read.found).toBe(true);
  }, 600_000);
});
