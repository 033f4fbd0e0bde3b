import type { Client } from '@elastic/elasticsearch';
import type { ArticleRecord } from '@gazette/article';

export interface ArticleSummary {
  id: string;
  score: number | null;
  title: string;
  url: string;
  canonicalUrl: string;
  site: string;
  publishedAt: string | null;
  authors: string[];
}

const SUMMARY_FIELDS = ['id', 'title', 'url', 'canonicalUrl', 'site', 'publishedAt', 'authors'];

type Hit = { _id?: string | null; _score?: number | null; _source?: unknown };

function toSummary(hit: Hit): ArticleSummary {
  const s = (hit._source ?? {}) as Partial<ArticleRecord>;
  return {
    id: s.id ?? hit._id ?? '',
    score: hit._score ?? null,
    title: s.title ?? '',
    url: s.url ?? '',
    canonicalUrl: s.canonicalUrl ?? '',
    site: s.site ?? '',
    publishedAt: s.publishedAt ?? null,
    authors: s.authors ?? [],
  };
}

/** One article by id, or null. */
export async function getArticle(client: Client, index: string, id: string): Promise<ArticleRecord | null> {
  const res = await client.search<ArticleRecord>({ index, size: 1, query: { ids: { values: [id] } } });
  const hit = res.hits.hits[0];
  if (!hit?._source) return null;
  const { indexedAt: _ignored, ...record } = hit._source as ArticleRecord & { indexedAt?: string };
  return record;
}

/** The article with this canonical or fetched URL, or null. */
export async function findArticleByUrl(client: Client, index: string, url: string): Promise<ArticleRecord | null> {
  const res = await client.search<ArticleRecord>({
    index,
    size: 1,
    query: { bool: { should: [{ term: { canonicalUrl: url } }, { term: { url } }], minimum_should_match: 1 } },
  });
  return res.hits.hits[0]?._source ?? null;
}

export interface RelatedOptions {
  k?: number;
}

/**
 * Articles related to `id`: more_like_this over title and body, the article
 * itself excluded. Returns null when `id` is not indexed.
 */
export async function relatedArticles(
  client: Client,
  index: string,
  id: string,
  options: RelatedOptions = {},
): Promise<ArticleSummary[] | null> {
  const source = await getArticle(client, index, id);
  if (!source) return null;
  const k = Math.min(Math.max(options.k ?? 10, 1), 100);
  const res = await client.search({
    index,
    size: k,
    _source: SUMMARY_FIELDS,
    query: {
      bool: {
        must: [
          {
            more_like_this: {
              fields: ['title', 'body'],
              like: [{ _index: index, _id: id }],
              min_term_freq: 1,
              min_doc_freq: 1,
              max_query_terms: 40,
              minimum_should_match: '10%',
            },
          },
        ],
        must_not: [{ ids: { values: [id] } }],
      },
    },
  });
  return res.hits.hits.map(toSummary);
}

export interface SearchOptions {
  q: string;
  size?: number;
  from?: number;
}

export interface SearchResult {
  total: number;
  hits: ArticleSummary[];
}

/** Full-text search over title (boosted), description and body. */
export async function searchArticles(client: Client, index: string, options: SearchOptions): Promise<SearchResult> {
  const res = await client.search({
    index,
    size: Math.min(options.size ?? 10, 100),
    from: options.from ?? 0,
    _source: SUMMARY_FIELDS,
    query: {
      simple_query_string: {
        query: options.q,
        fields: ['title^3', 'description^2', 'body'],
        default_operator: 'and',
      },
    },
  });
  const total = typeof res.hits.total === 'number' ? res.hits.total : (res.hits.total?.value ?? 0);
  return { total, hits: res.hits.hits.map(toSummary) };
}
