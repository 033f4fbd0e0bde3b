import { z } from 'zod';
import { ARTICLE_SCHEMA_VERSION } from './version.ts';

export { ARTICLE_SCHEMA_VERSION };

const isoUtc = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/, 'must be an ISO 8601 UTC timestamp');

const absoluteUrl = z.string().refine((value) => {
  try {
    const u = new URL(value);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}, 'must be an absolute http(s) URL');

export const relatedLinkSchema = z.object({
  url: absoluteUrl,
  text: z.string(),
});

/** The canonical article record: what the parser produces and the indexer stores. */
export const articleRecordSchema = z.object({
  schemaVersion: z.literal(ARTICLE_SCHEMA_VERSION),
  /** Deterministic id derived from {@link canonicalUrl}; the Elasticsearch document id. */
  id: z.string().regex(/^[0-9a-f]{32}$/),
  url: absoluteUrl,
  canonicalUrl: absoluteUrl,
  site: z.string().min(1),
  siteName: z.string().nullable(),
  title: z.string().min(1),
  description: z.string().nullable(),
  authors: z.array(z.string().min(1)),
  publishedAt: isoUtc.nullable(),
  modifiedAt: isoUtc.nullable(),
  /** BCP 47 language tag, e.g. `en` or `pt-BR`. */
  language: z.string().nullable(),
  section: z.string().nullable(),
  tags: z.array(z.string()),
  leadImage: absoluteUrl.nullable(),
  /** Plain text, paragraphs separated by a blank line. */
  body: z.string().min(1),
  wordCount: z.number().int().nonnegative(),
  relatedLinks: z.array(relatedLinkSchema),
  outLinks: z.array(absoluteUrl),
  /** sha256 of the body, hex. */
  contentHash: z.string().regex(/^[0-9a-f]{64}$/),
  /** 64-bit SimHash of the body as 16 hex digits, for near-duplicate grouping. */
  simhash: z.string().regex(/^[0-9a-f]{16}$/),
  fetchedAt: isoUtc,
  parserVersion: z.string().min(1),
});

export type ArticleRecord = z.infer<typeof articleRecordSchema>;
export type RelatedLink = z.infer<typeof relatedLinkSchema>;

/** Why a fetched page produced no article record. */
export const notArticleReasons = [
  'not-html',
  'empty',
  'no-article-body',
  'listing-page',
  'too-short',
  'static-page',
  'error-page',
] as const;
export type NotArticleReason = (typeof notArticleReasons)[number];
