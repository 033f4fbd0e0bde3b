/**
 * The web console in headless Chromium (Debian's chromium, driven by
 * playwright-core) against the four services as processes: sign in, add a
 * source with a sitemap and rules, run it, and see its run, the throughput
 * chart, the articles it indexed, the workers and the services' status; a
 * second source on a site that answers 503 shows its job retrying, then
 * failed by reason, and the replay button sends it back. Screenshots of each
 * step are saved under test-artifacts/console/.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { HtmlValidate } from 'html-validate';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedisConnection } from '@gazette/jobs';
import { serveDemoSite, type DemoSite } from '@gazette/demo-site';
import { startService, type ServiceProcess, deleteKeysWithPrefix } from '@gazette/devstack';
import { createRedis } from '@gazette/jobs';
import { CHROMIUM_ARGS } from '@gazette/render';
import { createSearchClient, dropArticleIndices } from '@gazette/search';

const run = randomBytes(4).toString('hex');
const prefix = `e2e-console-${run}`;
const index = `e2e-console-${run}`;
const token = `operator-${run}-0123456789`;
const es = createSearchClient({ url: process.env.ELASTICSEARCH_URL! });
let site: DemoSite;
let redis: RedisConnection;
let archiveDir: string;
let browser: Browser;
let api: string;
const services: ServiceProcess[] = [];
/** A site that answers every page with 503 (robots.txt: 404, so everything is allowed). */
let flaky: Server;
let flakyUrl: string;
const artifacts = resolve(import.meta.dirname, '../../test-artifacts/console');
const shot = async (page: Page, name: string) => {
  const path = join(artifacts, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  console.log(`console test: screenshot ${path}`);
};

beforeAll(async () => {
  await mkdir(artifacts, { recursive: true });
  site = await serveDemoSite();
  flaky = createServer((req, res) => {
    if (req.url === '/robots.txt') res.writeHead(404).end();
    else res.writeHead(503, { 'content-type': 'text/plain' }).end('busy');
  });
  await new Promise<void>((ok) => flaky.listen(0, '127.0.0.1', ok));
  flakyUrl = `http://127.0.0.1:${(flaky.address() as AddressInfo).port}`;
  redis = createRedis(process.env.REDIS_URL!);
  archiveDir = await mkdtemp(join(tmpdir(), 'gazette-e2e-console-'));
  const env = {
    REDIS_URL: process.env.REDIS_URL!,
    ELASTICSEARCH_URL: process.env.ELASTICSEARCH_URL!,
    QUEUE_PREFIX: prefix,
    ES_INDEX: index,
    ARCHIVE_DIR: archiveDir,
    CRAWLER_ALLOW_HOSTS: '127.0.0.1',
    CRAWLER_POLITENESS_MS: '0',
    API_PORT: '0',
    API_OPERATOR_TOKEN: token,
    CRAWLER_METRICS_PORT: '0',
    PARSER_METRICS_PORT: '0',
    INDEXER_METRICS_PORT: '0',
  };
  services.push(
    ...(await Promise.all(
      (['crawler', 'parser', 'indexer', 'api'] as const).map((name) => startService(name, { env })),
    )),
  );
  api = String(services[3]!.startedLine.address);
  // playwright-core gives the browser a fresh temporary profile (--user-data-dir) and removes it on close.
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [...CHROMIUM_ARGS],
  });
});

afterAll(async () => {
  await browser?.close();
  await Promise.all(services.map((s) => s.stop()));
  await dropArticleIndices(es, index);
  await deleteKeysWithPrefix(redis, `${prefix}:`);
  await redis.quit();
  await es.close();
  await site.close();
  await new Promise((ok) => flaky.close(ok));
  await rm(archiveDir, { recursive: true, force: true });
});

describe('web console', () => {
  it('signs in, adds sources, runs one and shows runs, throughput, articles, workers, status, retries and replay', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const browserErrors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') browserErrors.push(m.text());
    });
    page.on('pageerror', (e) => browserErrors.push(e.message));
    await page.goto(`${api}/console`);
    // Not signed in: the login page.
    await page.waitForURL(/\/login\?next=/);
    await page.fill('#token', 'not-the-operator-token');
    await page.click('button[type=submit]');
    await page.getByRole('alert').filter({ hasText: 'not the operator token' }).waitFor();
    await page.fill('#token', token);
    await page.click('button[type=submit]');
    await page.waitForURL(`${api}/console`);
    await page.getByText('no sources yet').waitFor();
    // A token is configured: the console offers to sign out.
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await page.locator('#redis-status', { hasText: 'up' }).waitFor();
    // The articles index's health (not the cluster's): nothing has been indexed yet.
    expect(await page.locator('#es-status').textContent()).toBe('up, no articles index yet');

    // The Id field's pattern compiles in Chromium (v flag) and checks what the source schema checks.
    const id = page.locator('#src-id');
    await id.fill('Not An Id');
    expect(await id.evaluate((el: HTMLInputElement) => el.validity.patternMismatch)).toBe(true);
    await id.fill('flaky-site');
    expect(await id.evaluate((el: HTMLInputElement) => el.validity.valid)).toBe(true);
    // Keyboard: Tab goes from one labelled field to the next.
    await id.focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('src-name');
    expect(await page.getByLabel('Deny rules').count()).toBe(1);

    // A site that answers 503: its job is shown retrying, then failed by reason.
    await page.getByLabel('Name').fill('Flaky Site');
    await page.getByLabel('Seed URLs').fill(`${flakyUrl}/front`);
    await page.getByLabel('Feeds').fill(`${flakyUrl}/feed.xml`);
    await page.getByLabel('Every (minutes)').fill('60');
    await page.click('#add-source button[type=submit]');
    await page.getByText('added flaky-site').waitFor();
    await page.locator('tr[data-source="flaky-site"]').getByRole('button', { name: 'Run flaky-site now' }).click();
    await page.locator('#source-result', { hasText: /^queued a run of flaky-site \(run [\w-]+\)$/ }).waitFor();

    // The demo site, with a sitemap and rules; a deny rule that is no regular expression is refused.
    await page.fill('#src-id', 'demo-news');
    await page.fill('#src-name', 'Demo News');
    await page.fill('#src-seeds', `${site.url}/`);
    await page.fill('#src-sitemaps', `${site.url}/news-sitemap.xml`);
    await page.fill('#src-deny', '/wp-admin/\n(unclosed');
    await page.fill('#src-depth', '1');
    await page.fill('#src-every', '60');
    await page.click('#add-source button[type=submit]');
    await page.locator('#form-result', { hasText: 'regular expression' }).waitFor();
    await page.fill('#src-deny', '/wp-admin/\n/tag/');
    await page.click('#add-source button[type=submit]');
    await page.getByText('added demo-news').waitFor();
    const row = page.locator('tr[data-source="demo-news"]');
    await row.getByText('every 60 min').waitFor();
    await row.getByText(`${site.url}/news-sitemap.xml`).waitFor();
    const sources = (await (await page.request.get(`${api}/sources`)).json()) as {
      sources: Array<{ source: { id: string; deny: string[]; sitemaps: string[] } }>;
    };
    const demo = sources.sources.find((s) => s.source.id === 'demo-news')!;
    expect(demo.source.deny).toEqual(['/wp-admin/', '/tag/']);
    expect(demo.source.sitemaps).toEqual([`${site.url}/news-sitemap.xml`]);
    await shot(page, '01-sources-added');

    await row.getByRole('button', { name: 'Run demo-news now' }).click();
    // The failing page's crawl job waits for its next attempt: retrying, not merely delayed.
    const crawlRow = page.locator('#queues tr[data-queue="crawl"]');
    await crawlRow.locator('td.retrying', { hasText: /^[1-9]\d*$/ }).waitFor({ timeout: 60_000 });
    await shot(page, '02-retrying');
    // Workers per queue: the crawler, parser and indexer processes each hold one.
    for (const q of ['crawl', 'parse', 'index'])
      expect(Number(await page.locator(`#queues tr[data-queue="${q}"] td.workers`).textContent())).toBeGreaterThan(0);

    // The run finishes once the last of its jobs settled, its URLs queued and fetched (the schedule's
    // own first fire may have queued the sitemap's articles already: this run then fetches its seed) ...
    await row.locator('.last-run .state', { hasText: 'finished' }).waitFor({ timeout: 120_000 });
    const queued = Number(await row.locator('.last-run .queued').textContent());
    expect(queued).toBeGreaterThan(0);
    // Every URL it queued was fetched, or found unchanged when the schedule's own fire fetched it first.
    const fetched = Number(await row.locator('.last-run .fetched').textContent());
    const notModified = Number(await row.locator('.last-run .not-modified').textContent());
    expect(fetched + notModified).toBe(queued);
    expect(await row.locator('.last-run .indexed').textContent()).toMatch(/^\d+$/);
    // The newest run is the one shown: the operator's.
    expect(await row.locator('.last-run').textContent()).toContain('(manual)');
    // ... and the crawl flows through parser and indexer into the throughput chart and recent articles.
    await page.getByText(/^[1-9]\d* articles indexed in the last 30 minutes$/).waitFor({ timeout: 120_000 });
    const chart = page.locator('#chart svg');
    expect(await chart.locator('.y-title').textContent()).toBe('articles per minute');
    expect(await chart.locator('.x-title').textContent()).toContain('time');
    expect(await chart.locator('rect.bar').count()).toBe(30);
    const yTicks = (await chart.locator('.y-tick').allTextContents()).map(Number);
    expect(yTicks[0]).toBe(0);
    expect(yTicks.length).toBeGreaterThanOrEqual(2);
    const counts = await chart.locator('rect.bar title').allTextContents();
    const most = Math.max(...counts.map((t) => Number(/: (\d+) articles/.exec(t)![1])));
    expect(most).toBeGreaterThan(0);
    expect(yTicks.at(-1)!).toBeGreaterThanOrEqual(most); // the scale covers the tallest bar
    expect(await chart.locator('.x-tick').count()).toBeGreaterThanOrEqual(6);
    const recent = page.locator('#recent tbody tr').first();
    await recent.locator(`a[href^="${site.url}/"]`).waitFor();
    await page.locator('#es-status', { hasText: /^up, (green|yellow)$/ }).waitFor();
    const record = await recent.locator('a[href^="/articles/"]').getAttribute('href');
    const article = await page.request.get(`${api}${record}`);
    expect(article.status()).toBe(200);
    expect(((await article.json()) as { url: string }).url).toBe(
      await recent.locator('a').first().getAttribute('href'),
    );
    await shot(page, '03-run-finished');

    // Every attempt spent: the job is failed, by reason; replay (from the keyboard) sends it back.
    const failure = page.locator('#failures tr[data-queue="crawl"][data-reason="http-5xx"]');
    await failure.waitFor({ timeout: 90_000 });
    await shot(page, '04-failures');
    await failure.getByRole('button', { name: /^Replay the \d+ crawl jobs failed with http-5xx$/ }).focus();
    await page.keyboard.press('Enter');
    const replayed = await page.locator('#replay-result', { hasText: /^replayed/ }).textContent({ timeout: 10_000 });
    expect(replayed).toMatch(/^replayed ([1-9]\d*) of \1 crawl jobs failed with http-5xx$/);
    await crawlRow.locator('td.retrying', { hasText: /^[1-9]\d*$/ }).waitFor({ timeout: 30_000 });
    await shot(page, '05-replayed');

    // The page as rendered, data and chart included, is valid HTML, and Chromium reported no error.
    // (The standard rules, without the style ones: the DOM as Chromium serialises it writes `required=""`,
    // and style attributes on the fields the test filled in.)
    const report = await new HtmlValidate({ extends: ['html-validate:standard'] }).validateString(await page.content());
    expect(report.results.flatMap((r) => r.messages.map((m) => `${m.ruleId}: ${m.message}`))).toEqual([]);
    // (4xx answers the test asked for, a wrong token and a bad rule, are logged as failed loads.)
    expect(
      browserErrors.filter((e) => !/^Failed to load resource: the server responded with a status of 4\d\d/.test(e)),
    ).toEqual([]);

    await page.locator('#queues tbody tr', { hasText: 'crawl' }).waitFor();
    // The queue dashboard opens with the same sign-in.
    const board = await page.goto(`${api}/admin/queues`);
    expect(board?.status()).toBe(200);
    await page.getByText('Gazette queues').first().waitFor();
    await page.close();
  });

  it('keeps the console closed to a browser without the token', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const res = await page.goto(`${api}/admin/queues`);
    expect(page.url()).toContain('/login?next=%2Fadmin%2Fqueues');
    expect(res?.status()).toBe(200);
    await context.close();
  });
});
