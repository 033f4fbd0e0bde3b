import {
  ARTICLE_SCHEMA_VERSION,
  articleIdFor,
  contentHashOf,
  countWords,
  simhash,
  type ArticleRecord,
} from '@gazette/article';

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
