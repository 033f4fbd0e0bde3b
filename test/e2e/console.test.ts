/**
 * The web console in headless Chromium (Debian's chromium, driven by
 * playwright-core) against the four services as processes: sign in, add a
 * source, run it, and see its run and the articles it indexed.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
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

beforeAll(async () => {
  site = await serveDemoSite();
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
  await rm(archiveDir, { recursive: true, force: true });
});

describe('web console', () => {
  it('signs in, adds a source, runs it and shows its run, articles per minute and the queue dashboard', async () => {
    const page = await browser.newPage();
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

    await page.fill('#src-id', 'demo-news');
    await page.fill('#src-name', 'Demo News');
    await page.fill('#src-seeds', `${site.url}/`);
    await page.fill('#src-depth', '1');
    await page.fill('#src-every', '60');
    await page.click('#add-source button[type=submit]');
    await page.getByText('added demo-news').waitFor();
    const row = page.locator('tr[data-source="demo-news"]');
    await row.getByText('every 60 min').waitFor();
    await row.getByText('never').waitFor();

    await row.getByRole('button', { name: 'Run now' }).click();
    // The run finishes once the last of its jobs settled, its URLs queued and fetched (the schedule's
    // own first fire may have queued the sitemap's articles already: this run then fetches its seed) ...
    await row.locator('.last-run .state', { hasText: 'finished' }).waitFor({ timeout: 120_000 });
    const queued = Number(await row.locator('.last-run .queued').textContent());
    expect(queued).toBeGreaterThan(0);
    expect(Number(await row.locator('.last-run .fetched').textContent())).toBe(queued);
    expect(await row.locator('.last-run .indexed').textContent()).toMatch(/^\d+$/);
    // The newest run is the one shown: the operator's.
    expect(await row.locator('.last-run').textContent()).toContain('(manual)');
    // ... and the crawl flows through parser and indexer into articles per minute.
    await page.getByText(/^[1-9]\d* articles indexed in the last 30 minutes$/).waitFor({ timeout: 120_000 });
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
