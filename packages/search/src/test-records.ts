import {
  ARTICLE_SCHEMA_VERSION,
  articleIdFor,
  contentHashOf,
  countWords,
  simhash,
  type ArticleRecord,
} from '@gazette/article';
import type { Client } from '@elastic/elasticsearch';

/** A valid canonical record for tests; everything not given is derived or empty. */
export function makeRecord(
  fields: Partial<ArticleRecord> & { url: string; title: string; body: string },
): ArticleRecord {
  const site = fields.site ?? new URL(fields.url).hostname;
  return {
    schemaVersion: ARTICLE_SCHEMA_VERSION,
    id: articleIdFor(fields.canonicalUrl ?? fields.url),
    canonicalUrl: fields.url,
    siteName: null,
    description: null,
    authors: [],
    publishedAt: null,
    modifiedAt: null,
    language: 'en',
    section: null,
    tags: [],
    leadImage: null,
    wordCount: countWords(fields.body),
    relatedLinks: [],
    outLinks: [],
    contentHash: contentHashOf(fields.body),
    simhash: simhash(fields.body),
    fetchedAt: '2025-03-10T00:00:00Z',
    parserVersion: 'test',
    ...fields,
    site,
  };
}

/**
 * Creates `index` (deleting it first) so that no node may hold it: red, like an index whose only
 * copy died with its node. It turns a shared cluster red: delete it as soon as the test is done.
 */
export async function createRedIndex(es: Client, index: string): Promise<void> {
  await es.indices.delete({ index, ignore_unavailable: true });
  await es.indices.create({
    index,
    wait_for_active_shards: 0,
    settings: { number_of_shards: 1, number_of_replicas: 0, 'index.routing.allocation.require._name': 'gone' },
  });
}
