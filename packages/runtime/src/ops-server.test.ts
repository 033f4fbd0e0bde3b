import { afterEach, describe, expect, it } from 'vitest';
import type { Server } from 'node:http';
import { Registry } from 'prom-client';
import { startOpsServer, type ReadinessCheck } from './ops-server.ts';

let server: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

async function readyz(checks: Record<string, ReadinessCheck>): Promise<{ status: number; body: unknown }> {
  const ops = await startOpsServer({ port: 0, registry: new Registry(), checks });
  server = ops.server;
  const res = await fetch(`http://127.0.0.1:${ops.port}/readyz`);
  return { status: res.status, body: await res.json() };
}

describe('ops server /readyz', () => {
  it('answers 200 with every check ok', async () => {
    const r = await readyz({ redis: async () => true as const, archive: () => true });
    expect(r).toEqual({ status: 200, body: { status: 'ready', checks: { redis: 'ok', archive: 'ok' } } });
  });

  it('answers 503 naming the failing check and its reason, a thrown error included', async () => {
    const r = await readyz({
      redis: async () => true as const,
      archive: () => 'archive-full',
      elasticsearch: async () => {
        throw new Error('connect ECONNREFUSED 127.0.0.1:9200');
      },
    });
    expect(r.status).toBe(503);
    expect(r.body).toEqual({
      status: 'not-ready',
      checks: { redis: 'ok', archive: 'archive-full', elasticsearch: 'connect ECONNREFUSED 127.0.0.1:9200' },
    });
  });
});
