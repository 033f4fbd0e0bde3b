import type { Client } from '@elastic/elasticsearch';
import type { ArticleRecord } from '@gazette/article';
import type { ArticleDocument } from './document.ts';

/* Reading articles back: one by id or URL, its copies, and the summary shape lists are made of. */

export interface ArticleSummary {
  id: string;
  score: number | null;
  title: string;
  url: string;
  canonicalUrl: string;
  site: string;
  publishedAt: string | null;
  authors: string[];
  language: string | null;
  /** Near-duplicate group (the id of its first article); absent on indices without grouping. */
  dupGroup?: string;
  /** Highlighted fragments (`<em>` around matches) per field, search only. */
  highlight?: { title?: string[]; body?: string[] };
  /** Other copies of the same text, when asked for. */
  duplicates?: ArticleSummary[];
}

/** Fields derived at index time, not part of the canonical record. */
const DERIVED_FIELDS = ['entities', 'years', 'dates', 'signature', 'lede', 'simhashBands', 'dupGroup', 'duplicate'];

export const SUMMARY_FIELDS = [
  'id',
  'title',
  'url',
  'canonicalUrl',
  'site',
  'publishedAt',
  'authors',
  'language',
  'dupGroup',
];

export type Hit = {
  _id?: string | null;
  _index?: string;
  _score?: number | null;
  _source?: unknown;
  highlight?: Record<string, string[]>;
  sort?: unknown[];
  matched_queries?: string[] | Record<string, number>;
};

export function toSummary(hit: Hit): ArticleSummary {
  const s = (hit._source ?? {}) as Partial<ArticleRecord> & { dupGroup?: string };
  const summary: ArticleSummary = {
    id: s.id ?? hit._id ?? '',
    score: hit._score ?? null,
    title: s.title ?? '',
    url: s.url ?? '',
    canonicalUrl: s.canonicalUrl ?? '',
    site: s.site ?? '',
    publishedAt: s.publishedAt ?? null,
    authors: s.authors ?? [],
    language: s.language ?? null,
  };
  if (s.dupGroup) summary.dupGroup = s.dupGroup;
  return summary;
}

/** A stored article as `_source` returns it: `i18n` is not kept, and older indices may lack `indexedAt`. */
export type StoredArticle = Omit<ArticleDocument, 'indexedAt' | 'i18n'> & { indexedAt?: string };

/**
 * The stored article `id` with the concrete index it lives in, or null. `fields`: only these
 * `_source` fields (the rest, the body above all, is neither serialised nor sent).
 */
export async function getStored(
  client: Client,
  index: string,
  id: string,
  fields?: string[],
): Promise<{ index: string; doc: StoredArticle } | null> {
  const only = fields ? { _source_includes: fields } : {};
  try {
    // A real-time get by id: no query phase. An alias over several indices cannot be read this way.
    const res = await client.get<StoredArticle>({ index, id, ...only });
    return res._source ? { index: res._index, doc: res._source } : null;
  } catch (error) {
    const e = error as { statusCode?: number; body?: { found?: boolean } };
    if (e.statusCode === 404 && e.body?.found === false) return null;
    if (e.statusCode !== 400 && e.statusCode !== 404) throw error;
  }
  const res = await client.search<StoredArticle>({
    index,
    size: 1,
    query: { ids: { values: [id] } },
    ...(fields ? { _source: fields } : {}),
  });
  const hit = res.hits.hits[0];
  if (!hit?._source) return null;
  return { index: hit._index, doc: hit._source };
}

/** One article by id (the canonical record, without index-time fields), or null. */
export async function getArticle(client: Client, index: string, id: string): Promise<ArticleRecord | null> {
  const stored = await getStored(client, index, id);
  if (!stored) return null;
  const {
    indexedAt: _indexedAt,
    entities: _entities,
    years: _years,
    dates: _dates,
    signature: _signature,
    lede: _lede,
    simhashBands: _bands,
    dupGroup: _group,
    duplicate: _duplicate,
    ...record
  } = stored.doc;
  return record;
}

/** The article with this canonical or fetched URL, or null. */
export async function findArticleByUrl(client: Client, index: string, url: string): Promise<ArticleRecord | null> {
  const res = await client.search<ArticleRecord>({
    index,
    size: 1,
    _source: { excludes: [...DERIVED_FIELDS, 'indexedAt'] },
    query: { bool: { should: [{ term: { canonicalUrl: url } }, { term: { url } }], minimum_should_match: 1 } },
  });
  return res.hits.hits[0]?._source ?? null;
}

/** Copies of the article `id` (its near-duplicate group without itself), earliest first; null when not indexed. */
export async function duplicatesOf(client: Client, index: string, id: string): Promise<ArticleSummary[] | null> {
  const stored = await getStored(client, index, id);
  if (!stored) return null;
  const group = stored.doc.dupGroup;
  if (!group) return [];
  const res = await client.search({
    index,
    size: 100,
    _source: SUMMARY_FIELDS,
    query: { bool: { filter: [{ term: { dupGroup: group } }], must_not: [{ ids: { values: [id] } }] } },
    sort: [{ publishedAt: { order: 'asc', missing: '_last' } }, { id: 'asc' }],
  });
  return res.hits.hits.map(toSummary);
}

/** Lists each hit's copies (the other members of its near-duplicate group) under `duplicates`. */
export async function attachCopies(client: Client, index: string, hits: ArticleSummary[]): Promise<void> {
  const groups = [...new Set(hits.map((h) => h.dupGroup).filter((g): g is string => !!g))];
  if (groups.length === 0) return;
  const res = await client.search({
    index,
    size: 1000,
    _source: SUMMARY_FIELDS,
    query: { terms: { dupGroup: groups } },
    sort: [{ publishedAt: { order: 'asc', missing: '_last' } }, { id: 'asc' }],
  });
  const byGroup = new Map<string, ArticleSummary[]>();
  for (const hit of res.hits.hits) {
    const s = toSummary(hit);
    if (s.dupGroup) byGroup.set(s.dupGroup, [...(byGroup.get(s.dupGroup) ?? []), s]);
  }
  for (const h of hits) {
    if (!h.dupGroup) continue;
    h.duplicates = (byGroup.get(h.dupGroup) ?? []).filter((c) => c.id !== h.id);
  }
}
