import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { serveAppSite, type AppSite } from '@gazette/render/testing';
import { fetchCommand } from './fetch.ts';

let site: AppSite;

beforeAll(async () => {
  site = await serveAppSite();
});
afterAll(async () => {
  await site.close();
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

describe('gazette fetch --render', () => {
  it('prints the record extracted from the rendered page', async () => {
    vi.stubEnv('CRAWLER_ALLOW_HOSTS', '127.0.0.1');
    const article = site.articles[1]!;
    const { code, out } = await run([`${site.url}/news/${article.slug}/`, '--render', '--extract', '--json']);
    expect(code).toBe(0);
    const printed = JSON.parse(out) as {
      reason: string;
      record: { title: string; authors: string[]; publishedAt: string; body: string };
    };
    expect(printed.reason).toBe('ok');
    expect(printed.record.title).toBe(article.title);
    expect(printed.record.authors).toEqual([article.author]);
    expect(printed.record.publishedAt).toBe(article.publishedAt);
    expect(printed.record.body).toContain(article.rest.at(-1));
  });

  it('is refused by the same guard as gazette fetch unless CRAWLER_ALLOW_HOSTS lets the address through', async () => {
    vi.stubEnv('CRAWLER_ALLOW_HOSTS', '');
    const { code, out } = await run([`${site.url}/`, '--render', '--json']);
    expect(code).toBe(1);
    expect(JSON.parse(out)).toMatchObject({ ok: false, reason: 'blocked-address' });
  });

  it('says --extract needs --render', async () => {
    await expect(run([`${site.url}/`, '--extract'])).rejects.toThrow(/--extract goes with --render/);
  });
});
