/** The read routes on the real Elasticsearch: validation, related with copies, search with cursors. */
import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTICLE_SCHEMA_VERSION, articleIdFor, contentHashOf, simhash, type ArticleRecord } from '@gazette/article';
import { articleTemplateFor, BulkWriter, createSearchClient, ensureArticleIndex } from '@gazette/search';
import type { AppDeps } from '../app.ts';
import { documentationSchemas } from '../openapi.ts';
import { readRoutes } from './read.ts';

const es = createSearchClient({ url: process.env.ELASTICSEARCH_URL! });
const alias = `test-read-${randomBytes(4).toString('hex')}`;
let app: FastifyInstance;

function record(n: number, title: string, body: string, site = `s${n % 2}.example.org`): ArticleRecord {
  const url = `https://${site}/a/${n}`;
  return {
    schemaVersion: ARTICLE_SCHEMA_VERSION,
    id: articleIdFor(url),
    url,
    canonicalUrl: url,
    site,
    siteName: null,
    title,
    description: null,
    authors: ['Ann Writer'],
    publishedAt: `2025-05-0${1 + (n % 9)}T10:00:00Z`,
    modifiedAt: null,
    language: 'en',
    section: null,
    tags: ['news'],
    leadImage: null,
    body,
    wordCount: body.split(' ').length,
    relatedLinks: [],
    outLinks: [],
    contentHash: contentHashOf(body),
    simhash: simhash(body),
    fetchedAt: '2025-05-10T00:00:00Z',
    parserVersion: 'test',
  };
}

// Two write-ups of the same story (different wording, so not near-duplicates of each other).
const storm =
  'Storm Bertha brought flooding to the coastal town of Porthmadog on Monday, with the river Glaslyn bursting its ' +
  'banks and rescue crews moving residents to the leisure centre. Forecasters expect more rain from Bertha tonight.';
const stormRetold =
  'Rescue crews in Porthmadog moved dozens of residents to the leisure centre after the river Glaslyn burst its banks. ' +
  'Forecasters warned that Storm Bertha, which flooded the coastal town, would bring more rain overnight.';
const wire =
  'The Porthmadog harbour wall gave way under Storm Bertha. ' +
  Array.from(
    { length: 10 },
    (_, i) => `Section ${i + 1} of the wall collapsed at ${i + 2} o'clock, officials said.`,
  ).join(' ');
const docs = [
  record(1, 'Storm Bertha floods Porthmadog', storm),
  record(2, 'Glaslyn bursts its banks as Bertha hits', stormRetold),
  record(3, 'Harbour wall collapses in storm', wire, 'wire.example.org'),
  record(4, 'Harbour wall collapses in storm', `PORTHMADOG (Wire) - ${wire} Reporting by Wire.`, 'copy.example.org'),
  record(5, 'Budget vote delayed', 'The assembly delayed the budget vote after a dispute over school funding.'),
  ...Array.from({ length: 12 }, (_, i) => record(10 + i, `Tide table ${i}`, `Tide table ${i} for the harbour.`)),
];

beforeAll(async () => {
  await ensureArticleIndex(es, alias);
  const writer = new BulkWriter({ client: es, index: alias, flushIntervalMs: 5 });
  await Promise.all(docs.slice(0, 3).map((d) => writer.write(d)));
  await writer.flush();
  await es.indices.refresh({ index: alias });
  await Promise.all(docs.slice(3).map((d) => writer.write(d)));
  await writer.close();
  await es.indices.refresh({ index: alias });
  app = Fastify();
  documentationSchemas(app);
  readRoutes(app, { es, index: alias } as unknown as AppDeps);
  await app.ready();
});

afterAll(async () => {
  await app.close();
  const rows = await es.cat.indices({ index: `${alias}*`, format: 'json', h: 'index' });
  const names = rows.map((r) => r.index).filter((n): n is string => !!n);
  if (names.length) await es.indices.delete({ index: names });
  await es.indices.deleteIndexTemplate({ name: articleTemplateFor(alias).name }).catch(() => undefined);
  await es.close();
});

describe('GET /articles/:id/related', () => {
  it('returns the same story first, copies collapsed and listed on request', async () => {
    const res = await app.inject(`/articles/${docs[0]!.id}/related?k=5&duplicates=true`);
    expect(res.statusCode).toBe(200);
    const body = res.json() as { related: Array<{ id: string; duplicates?: Array<{ id: string }> }> };
    expect(body.related[0]?.id).toBe(docs[1]!.id);
    const wireHits = body.related.filter((r) => r.id === docs[2]!.id || r.id === docs[3]!.id);
    expect(wireHits.length).toBeLessThanOrEqual(1);
    const copies = await app.inject(`/articles/${docs[2]!.id}/duplicates`);
    expect((copies.json() as { duplicates: Array<{ id: string }> }).duplicates.map((d) => d.id)).toEqual([docs[3]!.id]);
  });

  it('filters by site and refuses bad parameters', async () => {
    const res = await app.inject(`/articles/${docs[0]!.id}/related?site=${docs[1]!.site}`);
    const body = res.json() as { related: Array<{ site: string }> };
    expect(body.related.every((r) => r.site === docs[1]!.site)).toBe(true);
    expect((await app.inject(`/articles/${docs[0]!.id}/related?k=0`)).statusCode).toBe(400);
    expect((await app.inject(`/articles/${docs[0]!.id}/related?since=yesterday`)).statusCode).toBe(400);
    expect((await app.inject(`/articles/${'0'.repeat(32)}/related`)).statusCode).toBe(404);
  });
});

describe('GET /search', () => {
  it('searches with phrases, filters, highlights and a next cursor', async () => {
    const res = await app.inject('/search?q=%22river%20Glaslyn%22&author=Ann%20Writer');
    expect(res.statusCode).toBe(200);
    const body = res.json() as { total: number; hits: Array<{ highlight?: { body?: string[] } }> };
    expect(body.total).toBe(2);
    expect(body.hits[0]?.highlight?.body?.join(' ')).toContain('<em>');

    const first = (await app.inject('/search?q=tide&sort=date&size=5')).json() as { hits: unknown[]; next: string };
    expect(first.hits).toHaveLength(5);
    const second = (await app.inject(`/search?q=tide&sort=date&size=5&after=${first.next}`)).json() as {
      hits: Array<{ id: string }>;
    };
    expect(second.hits).toHaveLength(5);
  });

  it('lists copies as results of their own with allCopies, as the CLI does with --all-copies', async () => {
    const ids = async (query: string) =>
      ((await app.inject(`/search?${query}`)).json() as { hits: Array<{ id: string }> }).hits.map((h) => h.id).sort();
    expect(await ids('q=%22harbour%20wall%22')).toEqual([docs[2]!.id]);
    expect(await ids('q=%22harbour%20wall%22&allCopies=true')).toEqual([docs[2]!.id, docs[3]!.id].sort());
    // A filter matching only the copy finds it.
    expect(await ids('q=%22harbour%20wall%22&site=copy.example.org')).toEqual([docs[3]!.id]);
  });

  it('answers 400 for a missing query, a bad sort and a field readers do not search', async () => {
    expect((await app.inject('/search')).statusCode).toBe(400);
    expect((await app.inject('/search?q=x&sort=best')).statusCode).toBe(400);
    const bad = await app.inject('/search?q=url%3A*');
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect((bad.json() as { detail: string }).detail).toMatch(/^q: field "url" cannot be searched/);
  });

  it('searches text that is not valid syntax as plain words, and says so', async () => {
    const words = await app.inject('/search?q=title%3A(tide');
    expect(words.statusCode).toBe(200);
    expect(words.json()).toMatchObject({ readAs: 'words' });
    expect((words.json() as { total: number }).total).toBe((await app.inject('/search?q=title%20tide')).json().total);
  });

  it('attributes page and cursor mistakes to from and after, not q', async () => {
    const window = await app.inject('/search?q=tide&from=9995&size=10');
    expect(window.statusCode).toBe(400);
    expect((window.json() as { detail: string }).detail).toMatch(/^from: /);
    const cursor = (await app.inject('/search?q=tide&sort=date&size=5')).json() as { next: string };
    const decoded = JSON.parse(Buffer.from(cursor.next, 'base64url').toString()) as unknown[];
    for (const tampered of [
      Buffer.from(JSON.stringify(['x', ...decoded])).toString('base64url'),
      Buffer.from(JSON.stringify(['not-a-date', decoded[1]])).toString('base64url'),
      Buffer.from(JSON.stringify([1e300, { id: 1 }])).toString('base64url'),
      'garbage!',
    ]) {
      const res = await app.inject(`/search?q=tide&sort=date&size=5&after=${encodeURIComponent(tampered)}`);
      expect(res.statusCode).toBe(400);
      expect((res.json() as { detail: string }).detail).toMatch(/^after: /);
    }
  });

  it('refuses query syntax that names fields readers do not search', async () => {
    for (const q of ['_id:*', 'url:*', '_exists_:signature', 'tide OR canonicalUrl:http*', 'u\\rl:x', '*:tide']) {
      const res = await app.inject(`/search?q=${encodeURIComponent(q)}`);
      expect(res.statusCode, q).toBe(400);
      expect((res.json() as { detail: string }).detail).toMatch(/^q: field/);
    }
    const allowed = await app.inject(
      `/search?q=${encodeURIComponent('title:tide "a:b" publishedAt:[2025-01-01T00:00 TO *]')}`,
    );
    expect(allowed.statusCode).toBe(200);
  });
});
