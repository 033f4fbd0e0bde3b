import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startHostileServer, type HostileServer } from '@gazette/fetch/testing';
import { allowListFromEnv, fetchCommand } from './fetch.ts';

let server: HostileServer;

beforeAll(async () => {
  server = await startHostileServer();
});
afterAll(async () => {
  await server.close();
  vi.unstubAllEnvs();
});

async function run(argv: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const spy = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    lines.push(args.join(' '));
  });
  try {
    const code = await fetchCommand.run(argv);
    return { code, out: lines.join('\n') };
  } finally {
    spy.mockRestore();
  }
}

describe('gazette fetch', () => {
  it("reads the allow-list from the crawler's CRAWLER_ALLOW_HOSTS (GAZETTE_FETCH_ALLOW as its former name)", () => {
    expect(allowListFromEnv({})).toEqual([]);
    expect(allowListFromEnv({ CRAWLER_ALLOW_HOSTS: ' 127.0.0.1, localhost ,' })).toEqual(['127.0.0.1', 'localhost']);
    expect(allowListFromEnv({ GAZETTE_FETCH_ALLOW: '10.0.0.0/8' })).toEqual(['10.0.0.0/8']);
    expect(allowListFromEnv({ CRAWLER_ALLOW_HOSTS: '127.0.0.1', GAZETTE_FETCH_ALLOW: '10.0.0.0/8' })).toEqual([
      '127.0.0.1',
    ]);
  });

  it('refuses loopback unless allowed (exit 1)', async () => {
    vi.stubEnv('CRAWLER_ALLOW_HOSTS', '');
    const { code, out } = await run([`${server.origin}/ok`]);
    expect(code).toBe(1);
    expect(out).toMatch(/reason\s+blocked-address/);
  });

  it('prints status, final URL, bytes, timing and reason (exit 0)', async () => {
    vi.stubEnv('CRAWLER_ALLOW_HOSTS', '127.0.0.1');
    const { code, out } = await run([`${server.origin}/redirect-to?to=%2Fok`]);
    expect(code).toBe(0);
    expect(out).toMatch(/reason\s+ok/);
    expect(out).toMatch(/status\s+200/);
    expect(out).toContain(`final url     ${server.origin}/ok`);
    expect(out).toMatch(/bytes\s+\d+ \(wire \d+\)/);
    expect(out).toMatch(/timing\s+total \d+ ms/);
  });

  it('prints JSON and treats not-modified as success', async () => {
    vi.stubEnv('CRAWLER_ALLOW_HOSTS', '127.0.0.1');
    const { code, out } = await run([`${server.origin}/etag`, '--json', '--etag', '"v1"']);
    expect(code).toBe(0);
    const parsed = JSON.parse(out) as Record<string, unknown>;
    expect(parsed).toMatchObject({ ok: true, reason: 'not-modified', status: 304 });
    expect(parsed).not.toHaveProperty('body');
  });

  it('exits 1 on an HTTP error', async () => {
    vi.stubEnv('CRAWLER_ALLOW_HOSTS', '127.0.0.1');
    const { code, out } = await run([`${server.origin}/gone`]);
    expect(code).toBe(1);
    expect(out).toMatch(/reason\s+http-410/);
  });

  it('rejects bad usage', async () => {
    await expect(fetchCommand.run([])).rejects.toThrow(/URL is required/);
    await expect(fetchCommand.run(['--nope'])).rejects.toThrow(/unknown option/);
  });
});
