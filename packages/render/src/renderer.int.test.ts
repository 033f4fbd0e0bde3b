import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFetcher, type Fetcher } from '@gazette/fetch';
import { Renderer } from './renderer.ts';
import { BrowserMissingError } from './errors.ts';
import { serveAppSite, type AppSite } from './testing/app-site.ts';

let site: AppSite;
let fetcher: Fetcher;
let renderer: Renderer;

beforeAll(async () => {
  site = await serveAppSite();
  fetcher = createFetcher({ allow: ['127.0.0.1'], contentTypes: null });
  renderer = new Renderer({ fetcher, concurrency: 2, pageTimeoutMs: 30_000, maxHeapMb: 64 });
  await renderer.start();
});

afterAll(async () => {
  await renderer?.close();
  await fetcher?.close();
  await site?.close();
});

describe('Renderer', () => {
  it('builds an article that only exists after its scripts ran, second half included', async () => {
    const article = site.articles[0]!;
    const result = await renderer.render({ url: `${site.url}/news/${article.slug}/` });
    expect(result.html).toContain(article.lead[0]);
    expect(result.html).toContain(article.rest.at(-1));
    expect(result.html).toContain(`content="${article.author}"`);
    expect(result.document.status).toBe(200);
    expect(new TextDecoder().decode(result.document.body)).not.toContain(article.lead[0]);
    expect(result.settled).toBe(true);
    // The second half is only asked for once the page was scrolled to its end.
    expect(result.scrolls).toBeGreaterThanOrEqual(1);
    expect(site.hits.get(`/api/articles/${article.slug}/rest.json`)).toBe(1);
    // Images and other hosts are refused: the browser never asked the site for them.
    expect(result.blocked.map((b) => b.reason)).toEqual(expect.arrayContaining(['image', 'third-party']));
    expect(site.hits.get('/static/logo.png')).toBeUndefined();
    expect(site.hits.get('/static/tracker.js')).toBeUndefined();
    expect(result.html).not.toContain('tracker loaded');
  });

  it('serves the page from a given response instead of fetching it again', async () => {
    const url = `${site.url}/`;
    const before = site.hits.get('/') ?? 0;
    const body = Buffer.from((await fetcher.fetch(url)).body!);
    const result = await renderer.render({
      url,
      document: {
        url,
        finalUrl: url,
        status: 200,
        headers: { 'content-type': 'text/html' },
        body,
        fetchMs: 1,
        redirects: [],
      },
    });
    expect(site.hits.get('/')).toBe(before + 1);
    for (const a of site.articles) expect(result.html).toContain(`href="/news/${a.slug}/"`);
  });

  it('applies the network guard to requests the page makes', async () => {
    const secret = `http://127.0.0.2:${new URL(site.url).port}/secret`;
    const probe = new Renderer({ fetcher, concurrency: 1, pageTimeoutMs: 30_000, allowThirdParty: true });
    try {
      const result = await probe.render({ url: `${site.url}/trouble/probe?to=${encodeURIComponent(secret)}` });
      expect(result.blocked).toContainEqual({ url: secret, reason: 'blocked-address' });
      expect(result.html).toContain('refused');
    } finally {
      await probe.close();
    }
  });

  it('fails a page that never settles with render-timeout and goes on rendering', async () => {
    await expect(renderer.render({ url: `${site.url}/trouble/hang`, timeoutMs: 5_000 })).rejects.toMatchObject({
      reason: 'render-timeout',
      retryable: false,
    });
    const ok = await renderer.render({ url: `${site.url}/` });
    expect(ok.html).toContain('Latest news');
  });

  it('fails a page that allocates without bound with render-crash and goes on rendering', async () => {
    await expect(renderer.render({ url: `${site.url}/trouble/oom` })).rejects.toMatchObject({
      reason: 'render-crash',
    });
    const ok = await renderer.render({ url: `${site.url}/` });
    expect(ok.html).toContain('Latest news');
  });

  it('reports the page fetch reason when the page itself cannot be fetched', async () => {
    await expect(renderer.render({ url: `${site.url}/missing` })).rejects.toMatchObject({ reason: 'http-404' });
  });

  it('refuses to start without a browser, saying how to install one', async () => {
    const none = new Renderer({ fetcher, executablePath: '/nonexistent/chromium' });
    await expect(none.start()).rejects.toBeInstanceOf(BrowserMissingError);
    await expect(none.start()).rejects.toThrow(/infra\/chromium\.sh/);
  });
});
