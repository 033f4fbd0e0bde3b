/** GET /articles/:id/story on the real Elasticsearch: members in time order, first report, copies folded. */
import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTICLE_SCHEMA_VERSION, articleIdFor, contentHashOf, simhash, type ArticleRecord } from '@gazette/article';
import { articleTemplateFor, BulkWriter, createSearchClient, ensureArticleIndex, type Story } from '@gazette/search';
import type { AppDeps } from '../app.ts';
import { documentationSchemas } from '../openapi.ts';
import { storyRoutes } from './story.ts';

const es = createSearchClient({ url: process.env.ELASTICSEARCH_URL! });
const alias = `test-story-${randomBytes(4).toString('hex')}`;
let app: FastifyInstance;

function record(site: string, n: number, title: string, body: string, publishedAt: string): ArticleRecord {
  const url = `https://${site}/news/${n}`;
  return {
    schemaVersion: ARTICLE_SCHEMA_VERSION,
    id: articleIdFor(url),
    url,
    canonicalUrl: url,
    site,
    siteName: null,
    title,
    description: null,
    authors: [],
    publishedAt,
    modifiedAt: null,
    language: 'en',
    section: null,
    tags: [],
    leadImage: null,
    body,
    wordCount: body.split(' ').length,
    relatedLinks: [],
    outLinks: [],
    contentHash: contentHashOf(body),
    simhash: simhash(body),
    fetchedAt: '2025-03-20T00:00:00Z',
    parserVersion: 'test',
  };
}

const quake = [
  'A magnitude 6.1 earthquake struck the Ventara valley on March 12, 2025, collapsing houses in Lorvik and Tessa.',
  'Rescue teams searched the rubble in Lorvik through the night, and the Ventara regional governor Ilse Brandt said 14 people had died.',
  'The earthquake was felt across the valley; aftershocks of magnitude 4 followed.',
].join(' ');
const quakeLater = [
  'The death toll of the March 12, 2025 Ventara valley earthquake rose to 31 as rescue teams reached the village of Tessa.',
  'Governor Ilse Brandt said the magnitude 6.1 quake destroyed 200 houses in Lorvik and Tessa and asked for army help.',
].join(' ');
const quakeAid = [
  'Aid convoys reached Lorvik and Tessa on Saturday, three days after the magnitude 6.1 earthquake in the Ventara valley.',
  'Governor Ilse Brandt said 31 people died in the March 12, 2025 quake and tents were set up for families who lost houses.',
].join(' ');
const other = (i: number) =>
  `The city council of Harwich voted on the ${i}th budget item, a new ferry terminal and a library, after a debate on school funding and the harbour.`;

const first = record('alpha.example.org', 1, 'Earthquake hits Ventara valley, 14 dead', quake, '2025-03-12T09:00:00Z');
const copy = record(
  'wire.example.org',
  2,
  'Earthquake hits Ventara valley, 14 dead',
  `LORVIK (Wire) - ${quake}`,
  '2025-03-12T11:00:00Z',
);
const later = record('beta.example.org', 3, 'Ventara quake toll rises to 31', quakeLater, '2025-03-13T08:00:00Z');
const aid = record('gamma.example.org', 4, 'Aid reaches Ventara quake villages', quakeAid, '2025-03-15T16:00:00Z');
const unrelated = Array.from({ length: 24 }, (_, i) =>
  record(
    'local.example.org',
    100 + i,
    `Harwich council budget vote ${i}`,
    other(i),
    `2025-03-${String(1 + (i % 27)).padStart(2, '0')}T10:00:00Z`,
  ),
);

beforeAll(async () => {
  await ensureArticleIndex(es, alias);
  const writer = new BulkWriter({ client: es, index: alias, flushIntervalMs: 5 });
  // The first report is indexed first, so its wire copy joins its near-duplicate group.
  await writer.write(first);
  await writer.flush();
  await es.indices.refresh({ index: alias });
  await Promise.all([copy, aid, later, ...unrelated].map((d) => writer.write(d)));
  await writer.close();
  await es.indices.refresh({ index: alias });
  app = Fastify();
  documentationSchemas(app);
  storyRoutes(app, { es, index: alias } as unknown as AppDeps);
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

describe('GET /articles/:id/story', () => {
  it('lists the story in time order from any of its articles, first report marked, copies folded', async () => {
    for (const from of [aid, later, first]) {
      const res = await app.inject(`/articles/${from.id}/story`);
      expect(res.statusCode).toBe(200);
      const story = res.json() as Story;
      expect(story.id).toBe(from.id);
      expect(story.articles.map((a) => a.id)).toEqual([first.id, later.id, aid.id]);
      expect(story.firstReport).toBe(first.id);
      expect(story.articles.map((a) => a.first)).toEqual([true, false, false]);
      expect(story.articles[0]!.copies.map((c) => c.id)).toEqual([copy.id]);
      expect(story.articles.some((a) => unrelated.some((u) => u.id === a.id))).toBe(false);
    }
  });

  it('the story of an article of another story leaves this one out', async () => {
    const res = await app.inject(`/articles/${unrelated[3]!.id}/story?depth=10`);
    expect(res.statusCode).toBe(200);
    const story = res.json() as Story;
    expect(story.articles.map((a) => a.id)).toContain(unrelated[3]!.id);
    expect(story.articles.some((a) => [first.id, later.id, aid.id].includes(a.id))).toBe(false);
  });

  it('refuses bad parameters and unknown ids', async () => {
    expect((await app.inject(`/articles/${first.id}/story?depth=0`)).statusCode).toBe(400);
    expect((await app.inject('/articles/not-an-id/story')).statusCode).toBe(400);
    expect((await app.inject(`/articles/${'0'.repeat(32)}/story`)).statusCode).toBe(404);
  });
});
