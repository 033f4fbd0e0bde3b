import { queryFieldProblem } from './query-fields.ts';
import type { Client } from '@elastic/elasticsearch';
import type { ArticleRecord } from '@gazette/article';
import { indexFeatures, primaryLanguage, type IndexFeatures } from './mappings.ts';
import { relatedLanguages } from './language-scope.ts';
import { rerankCandidates, type RerankInput, type RerankWeights } from './rerank.ts';
import type { ArticleDocument } from './document.ts';

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
const DERIVED_FIELDS = ['entities', 'years', 'dates', 'signature', 'simhashBands', 'dupGroup', 'duplicate'];

const SUMMARY_FIELDS = ['id', 'title', 'url', 'canonicalUrl', 'site', 'publishedAt', 'authors', 'language', 'dupGroup'];

type Hit = {
  _id?: string | null;
  _index?: string;
  _score?: number | null;
  _source?: unknown;
  highlight?: Record<string, string[]>;
  sort?: unknown[];
  matched_queries?: string[] | Record<string, number>;
};

function toSummary(hit: Hit): ArticleSummary {
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
type StoredArticle = Omit<ArticleDocument, 'indexedAt' | 'i18n'> & { indexedAt?: string };

async function getStored(
  client: Client,
  index: string,
  id: string,
): Promise<{ index: string; doc: StoredArticle } | null> {
  try {
    // A real-time get by id: no query phase. An alias over several indices cannot be read this way.
    const res = await client.get<StoredArticle>({ index, id });
    return res._source ? { index: res._index, doc: res._source } : null;
  } catch (error) {
    const e = error as { statusCode?: number; body?: { found?: boolean } };
    if (e.statusCode === 404 && e.body?.found === false) return null;
    if (e.statusCode !== 400 && e.statusCode !== 404) throw error;
  }
  const res = await client.search<StoredArticle>({ index, size: 1, query: { ids: { values: [id] } } });
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

/** Filters shared by related lookup and search. */
export interface ArticleFilters {
  /** Only these sites (host names as in the record's `site`). */
  site?: string | string[];
  /** Only these languages (BCP 47; `en` also matches `en-GB`). */
  language?: string | string[];
  /** Published at or after (ISO 8601 date or time). */
  since?: string;
  /** Published before or at (ISO 8601 date or time). */
  until?: string;
}

const list = (v: string | string[] | undefined): string[] =>
  v === undefined ? [] : (Array.isArray(v) ? v : [v]).map((s) => s.trim()).filter(Boolean);

function languageClause(languages: string[]) {
  const exact = languages.flatMap((l) => [l, l.toLowerCase()]);
  return {
    bool: {
      should: [
        { terms: { language: [...new Set(exact)] } },
        ...languages.map((l) => ({ prefix: { language: { value: `${l}-`, case_insensitive: true } } })),
      ],
      minimum_should_match: 1,
    },
  };
}

export function filterClauses(f: ArticleFilters & { author?: string | string[]; tag?: string | string[] }) {
  const clauses: object[] = [];
  const sites = list(f.site);
  if (sites.length) clauses.push({ terms: { site: sites } });
  const languages = list(f.language);
  if (languages.length) clauses.push(languageClause(languages));
  const authors = list(f.author);
  if (authors.length) clauses.push({ terms: { authors } });
  const tags = list(f.tag);
  if (tags.length) clauses.push({ terms: { tags } });
  if (f.since || f.until) {
    clauses.push({
      range: { publishedAt: { ...(f.since ? { gte: f.since } : {}), ...(f.until ? { lte: f.until } : {}) } },
    });
  }
  return clauses;
}

/** Knobs of the related-article score; the defaults are what `npm run bench:related` settled on. */
export interface RelatedTuning extends RerankWeights {
  /** Most terms more_like_this picks from the article (by tf-idf). */
  maxQueryTerms: number;
  /** Share of those terms a related article must contain. */
  minimumShouldMatch: string;
  /** Terms in fewer documents than this are ignored. */
  minDocFreq: number;
  /** more_like_this `boost_terms`: weigh each picked term by its tf-idf (0: off). */
  boostTerms: number;
  /** Terms in more than this share of the documents are ignored (common words: long postings, little signal). */
  maxDocFreqRatio: number;
  /** Weight of the title in more_like_this. */
  titleBoost: number;
  /** Weight of shared named entities (more_like_this over `entities`). */
  entityBoost: number;
  /** Most entities used. */
  maxEntityTerms: number;
  /** Candidates re-ranked in Node.js (the first stage fetches this many, or `k` if more); 0: Elasticsearch order. */
  rerankDepth: number;
}

export const DEFAULT_RELATED_TUNING: RelatedTuning = {
  maxQueryTerms: 25,
  minimumShouldMatch: '10%',
  minDocFreq: 2,
  boostTerms: 0,
  maxDocFreqRatio: 0.05,
  titleBoost: 2,
  entityBoost: 0.5,
  maxEntityTerms: 15,
  linkBoost: 0.5,
  dateScale: '7d',
  dateFloor: 0.6,
  undatedFactor: 0.8,
  rerankDepth: 20,
  rerankEntityWeight: 0.5,
  sharedYearBonus: 0.2,
  latestYearBonus: 0.2,
  yearConflictPenalty: 0.1,
  sharedDateBonus: 0.1,
  neighbourWeight: 0,
  neighbours: 3,
  rareNameWeight: 0,
  titleWeight: 0,
  numberWeight: 0,
};

/** The name of the first stage's shared-names clause (its score per candidate feeds the re-ranking). */
const NAMES_QUERY = 'names';

/** Stored fields the re-ranking reads from each candidate. */
const RERANK_FIELDS = ['entities', 'years', 'dates', 'signature', 'outLinks', 'tags'];

/** The common-term cap never goes below this many documents (small indices keep every term). */
const MIN_MAX_DOC_FREQ = 20;

export interface RelatedOptions extends ArticleFilters {
  /** Default: the article's own language; `any` (or `*`): every language. */
  language?: string | string[];
  k?: number;
  /** Only articles published within this many days of the article (needs its date). */
  windowDays?: number;
  /** List each result's near-duplicate copies under `duplicates` (all of them, matching or not). */
  duplicates?: boolean;
  tuning?: Partial<RelatedTuning>;
}

/** Whether a related lookup re-ranks: the index stores signatures, the source has one, and it is not turned off. */
function rerankEnabled(
  source: StoredArticle,
  features: Pick<IndexFeatures, 'eventFields'>,
  t: Pick<RelatedTuning, 'rerankDepth'>,
): boolean {
  return !!features.eventFields && !!source.signature && t.rerankDepth > 0;
}

/** The search request of a related lookup for the stored article `source` (pure; exported for tests). */
export function buildRelatedRequest(
  index: string,
  source: StoredArticle,
  options: RelatedOptions = {},
  features: Pick<IndexFeatures, 'languages' | 'derivedFields' | 'eventFields'> = {
    languages: [],
    derivedFields: source.dupGroup !== undefined,
    eventFields: source.signature !== undefined,
  },
  /** Documents in the index (for `maxDocFreqRatio`); unknown: no cap. */
  docCount?: number,
) {
  const grouped = features.derivedFields;
  const t = { ...DEFAULT_RELATED_TUNING, ...options.tuning };
  const k = Math.min(Math.max(options.k ?? 10, 1), 100);
  const rerank = rerankEnabled(source, features, t);
  const lang = primaryLanguage(source.language);
  const textFields =
    lang && lang !== 'en' && features.languages.includes(lang)
      ? [`i18n.${lang}.title^${t.titleBoost}`, `i18n.${lang}.body`]
      : [`title^${t.titleBoost}`, 'body'];
  const like = [{ _index: index, _id: source.id }];
  const should: object[] = [];
  if (grouped && (source.entities?.length ?? 0) > 0) {
    // Shared names, each weighted by its idf (a term query on a keyword field), most frequent first.
    should.push({
      bool: {
        should: source.entities!.slice(0, t.maxEntityTerms).map((e) => ({ term: { entities: e } })),
        boost: t.entityBoost,
        // Its score per candidate (the idf-weighted shared names) is read back by the re-ranking.
        _name: NAMES_QUERY,
      },
    });
  }
  const links = source.outLinks.slice(0, 50);
  if (links.length) should.push({ terms: { outLinks: links, boost: t.linkBoost } });
  if (source.tags.length) should.push({ terms: { tags: source.tags.slice(0, 20), boost: t.linkBoost } });

  const filter = filterClauses({ ...options, language: relatedLanguages(options.language, source.language) });
  if (options.windowDays !== undefined && source.publishedAt) {
    const at = Date.parse(source.publishedAt);
    const span = options.windowDays * 86_400_000;
    filter.push({
      range: { publishedAt: { gte: new Date(at - span).toISOString(), lte: new Date(at + span).toISOString() } },
    });
  }
  const mustNot: object[] = [{ ids: { values: [source.id] } }];
  if (source.dupGroup) mustNot.push({ term: { dupGroup: source.dupGroup } });

  const bool = {
    must: [
      {
        more_like_this: {
          fields: textFields,
          like,
          max_query_terms: t.maxQueryTerms,
          min_term_freq: 1,
          min_doc_freq: t.minDocFreq,
          minimum_should_match: t.minimumShouldMatch,
          ...(docCount && t.maxDocFreqRatio < 1
            ? { max_doc_freq: Math.max(MIN_MAX_DOC_FREQ, Math.floor(docCount * t.maxDocFreqRatio)) }
            : {}),
          ...(t.boostTerms ? { boost_terms: t.boostTerms } : {}),
        },
      },
    ],
    ...(should.length ? { should } : {}),
    ...(filter.length ? { filter } : {}),
    must_not: mustNot,
  };
  const query = source.publishedAt
    ? {
        function_score: {
          query: { bool },
          functions: [
            {
              filter: { exists: { field: 'publishedAt' } },
              gauss: { publishedAt: { origin: source.publishedAt, scale: t.dateScale, decay: 0.5 } },
              weight: 1 - t.dateFloor,
            },
            { filter: { exists: { field: 'publishedAt' } }, weight: t.dateFloor },
            { filter: { bool: { must_not: { exists: { field: 'publishedAt' } } } }, weight: t.undatedFactor },
          ],
          score_mode: 'sum' as const,
          boost_mode: 'multiply' as const,
        },
      }
    : { bool };
  return {
    index,
    size: rerank ? Math.max(k, t.rerankDepth) : k,
    _source: rerank ? [...SUMMARY_FIELDS, ...RERANK_FIELDS] : SUMMARY_FIELDS,
    query,
    ...(rerank && t.rareNameWeight ? { include_named_queries_score: true } : {}),
    ...(grouped ? { collapse: { field: 'dupGroup' } } : {}),
  };
}

const featureCache = new Map<string, IndexFeatures>();

/** What a concrete index was built with; its mapping's `_meta` does not change, so it is read once. */
async function cachedFeatures(client: Client, concreteIndex: string): Promise<IndexFeatures> {
  let features = featureCache.get(concreteIndex);
  if (!features) {
    features = await indexFeatures(client, concreteIndex);
    if (featureCache.size > 100) featureCache.clear();
    featureCache.set(concreteIndex, features);
  }
  return features;
}

const countCache = new Map<string, { count: number; at: number }>();
const COUNT_TTL_MS = 60_000;

/** Documents in an index, re-counted at most once a minute (the count only scales the common-term cap). */
async function cachedDocCount(client: Client, concreteIndex: string): Promise<number> {
  const cached = countCache.get(concreteIndex);
  const now = Date.now();
  if (cached && now - cached.at < COUNT_TTL_MS) return cached.count;
  const { count } = await client.count({ index: concreteIndex });
  if (countCache.size > 100) countCache.clear();
  countCache.set(concreteIndex, { count, at: now });
  return count;
}

/**
 * Articles related to `id`, best first. First stage (Elasticsearch): more_like_this over title and
 * body (the article's own language fields when it has them), plus shared named entities, out-links
 * and tags, times a date-proximity factor around the article's publication date; the article itself
 * and its near-duplicates are excluded and each near-duplicate group collapses to one result.
 * Second stage (on indices that store signatures): the first `rerankDepth` candidates are re-ranked
 * by text-signature and name cosine, agreement in the years and dates mentioned, and agreement with
 * the closest candidates (see rerank.ts). Returns null when `id` is not indexed.
 */
export async function relatedArticles(
  client: Client,
  index: string,
  id: string,
  options: RelatedOptions = {},
): Promise<ArticleSummary[] | null> {
  const stored = await getStored(client, index, id);
  if (!stored) return null;
  const [features, docCount] = await Promise.all([
    cachedFeatures(client, stored.index),
    cachedDocCount(client, stored.index),
  ]);
  const request = buildRelatedRequest(stored.index, stored.doc, options, features, docCount);
  const res = await client.search(request);
  const t = { ...DEFAULT_RELATED_TUNING, ...options.tuning };
  const k = Math.min(Math.max(options.k ?? 10, 1), 100);
  let hits: ArticleSummary[];
  if (rerankEnabled(stored.doc, features, t)) {
    // Second stage: re-rank the candidates with what each stored at index time (no further request).
    hits = rerankCandidates(stored.doc, res.hits.hits.map(toCandidate), t)
      .slice(0, k)
      .map(({ candidate, score }) => ({ ...candidate.summary, score }));
  } else {
    hits = res.hits.hits.map(toSummary);
  }
  if (options.duplicates && hits.length > 0) await attachCopies(client, stored.index, hits);
  return hits;
}

/** A first-stage candidate with what the re-ranking reads of it. */
export type RelatedCandidate = RerankInput & { summary: ArticleSummary };

/**
 * The first stage of a related lookup alone: the stored article as the re-ranking reads it and its
 * `rerankDepth` candidates (each with its shared-names score), in Elasticsearch order; null when
 * `id` is not indexed or the index stores no signatures. For fitting the re-ranking's weights
 * offline (`npm run bench:related -- --fit`).
 */
export async function relatedCandidates(
  client: Client,
  index: string,
  id: string,
  options: RelatedOptions = {},
): Promise<{ source: RerankInput; candidates: RelatedCandidate[] } | null> {
  const stored = await getStored(client, index, id);
  if (!stored) return null;
  const [features, docCount] = await Promise.all([
    cachedFeatures(client, stored.index),
    cachedDocCount(client, stored.index),
  ]);
  const t = { ...DEFAULT_RELATED_TUNING, ...options.tuning };
  if (!rerankEnabled(stored.doc, features, t)) return null;
  const request = buildRelatedRequest(stored.index, stored.doc, options, features, docCount);
  const res = await client.search({ ...request, include_named_queries_score: true });
  return { source: stored.doc, candidates: res.hits.hits.map(toCandidate) };
}

function toCandidate(hit: Hit): RelatedCandidate {
  const matched = hit.matched_queries;
  const nameScore = matched && !Array.isArray(matched) ? (matched[NAMES_QUERY] ?? 0) : 0;
  return {
    ...((hit._source ?? {}) as Omit<RerankInput, 'id'>),
    id: hit._id ?? '',
    nameScore,
    summary: toSummary(hit),
  };
}

export type SearchSort = 'relevance' | 'date';

export interface SearchOptions extends ArticleFilters {
  /**
   * Query string: words (all must match), "phrases", field:value (title, body, description, site,
   * author, tag, language, section), OR, -exclusion, wildcards. Empty: every article.
   */
  q?: string;
  author?: string | string[];
  tag?: string | string[];
  sort?: SearchSort;
  size?: number;
  /** Offset, for shallow pages (up to 10,000). Prefer `after`. */
  from?: number;
  /** The `next` cursor of the previous page (search_after). */
  after?: string;
  /** Highlighted snippets of title and body (default true). */
  highlight?: boolean;
  /** Include near-duplicate copies as results of their own instead of collapsing them (default false). */
  includeDuplicates?: boolean;
  /** List each result's near-duplicate copies under `duplicates`. */
  duplicates?: boolean;
}

export interface SearchResult {
  total: number;
  /** `eq` when `total` is exact, `gte` when it is a lower bound. */
  totalRelation?: 'eq' | 'gte';
  hits: ArticleSummary[];
  /** Cursor of the next page (pass as `after`), or null after the last page. */
  next?: string | null;
}

/** Thrown for a query string Elasticsearch cannot parse, a field it may not name, a bad cursor or page. */
export class SearchQueryError extends Error {
  override name = 'SearchQueryError';
  /** The request parameter at fault. */
  readonly param: 'q' | 'after' | 'from' | 'size';
  constructor(message: string, param: SearchQueryError['param'] = 'q') {
    super(message.startsWith(`${param}:`) ? message : `${param}: ${message}`);
    this.param = param;
  }
}

/** Elasticsearch's default `index.max_result_window`: from + size may not pass it. */
export const MAX_RESULT_WINDOW = 10_000;

export const SEARCH_FIELDS = ['title^3', 'description^2', 'body', 'i18n.*.title^3', 'i18n.*.body'];

function encodeCursor(sort: unknown[]): string {
  return Buffer.from(JSON.stringify(sort)).toString('base64url');
}

/**
 * A `next` cursor back into sort values. Its shape is checked against the sort it must continue
 * (`[score, date|null, id]` by relevance, `[date|null, id]` by date), so a tampered cursor is the
 * caller's mistake in `after`, never a failed search.
 */
function decodeCursor(cursor: string, byDate: boolean): Array<string | number | null> {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    const finite = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
    const date = (v: unknown) => v === null || (finite(v) && Number.isSafeInteger(v));
    const id = (v: unknown) => typeof v === 'string' && v.length <= 64;
    if (Array.isArray(value)) {
      if (byDate && value.length === 2 && date(value[0]) && id(value[1])) return value as Array<number | string | null>;
      if (!byDate && value.length === 3 && finite(value[0]) && date(value[1]) && id(value[2]))
        return value as Array<number | string | null>;
    }
  } catch {
    // reported below
  }
  throw new SearchQueryError('not a cursor returned by a previous search with the same q and sort', 'after');
}

/**
 * The search request for `options` (pure; exported for tests). `standIns` are copies that stand for
 * their near-duplicate group because its representative does not match the filters.
 */
export function buildSearchRequest(index: string, options: SearchOptions, standIns: string[] = []) {
  const size = Math.min(Math.max(options.size ?? 10, 1), 100);
  const q = options.q?.trim();
  const fieldProblem = q ? queryFieldProblem(q) : null;
  if (fieldProblem) throw new SearchQueryError(fieldProblem, 'q');
  if (!options.after && (options.from ?? 0) + size > MAX_RESULT_WINDOW)
    throw new SearchQueryError(`from + size must be at most ${MAX_RESULT_WINDOW}; page further with after`, 'from');
  const must = q
    ? [
        {
          query_string: {
            query: q,
            fields: SEARCH_FIELDS,
            default_operator: 'and' as const,
            lenient: true,
            allow_leading_wildcard: false,
          },
        },
      ]
    : [{ match_all: {} }];
  const mustNot = options.includeDuplicates
    ? []
    : standIns.length
      ? [{ bool: { filter: [{ term: { duplicate: true } }], must_not: [{ ids: { values: standIns } }] } }]
      : [{ term: { duplicate: true } }];
  const sortByDate = options.sort === 'date' || !q;
  const searchAfter = options.after ? decodeCursor(options.after, sortByDate) : undefined;
  const sort = sortByDate
    ? [{ publishedAt: { order: 'desc' as const, missing: '_last' as const } }, { id: 'asc' as const }]
    : [
        { _score: { order: 'desc' as const } },
        { publishedAt: { order: 'desc' as const, missing: '_last' as const } },
        { id: 'asc' as const },
      ];
  return {
    index,
    size,
    ...(searchAfter ? { search_after: searchAfter } : { from: options.from ?? 0 }),
    _source: SUMMARY_FIELDS,
    track_scores: true,
    query: { bool: { must, filter: filterClauses(options), must_not: mustNot } },
    sort,
    ...(options.highlight === false || !q
      ? {}
      : {
          highlight: {
            pre_tags: ['<em>'],
            post_tags: ['</em>'],
            encoder: 'html' as const,
            fields: {
              title: { number_of_fragments: 0 },
              body: { fragment_size: 160, number_of_fragments: 2, no_match_size: 160 },
            },
          },
        }),
  };
}

function isQueryError(error: unknown): boolean {
  const e = error as {
    statusCode?: number;
    body?: { error?: { type?: string; root_cause?: Array<{ type?: string }> } };
  };
  // The request is built from the caller's q, page and cursor: a 400 is always one of those.
  return e.statusCode === 400 && e.body?.error !== undefined;
}

/**
 * Full-text search over title (boosted), description and body with query-string syntax, filters,
 * relevance or date order, highlighted snippets and search_after pagination. Near-duplicate copies
 * are left out (their group's first article stands for them) unless asked for.
 */
export async function searchArticles(client: Client, index: string, options: SearchOptions): Promise<SearchResult> {
  const standIns =
    options.includeDuplicates || !narrowsCopies(options) ? [] : await copiesStandingIn(client, index, options);
  const request = buildSearchRequest(index, options, standIns);
  let res;
  try {
    res = await client.search(request);
  } catch (error) {
    if (isQueryError(error)) {
      const reason = (error as { body?: { error?: { root_cause?: Array<{ reason?: string }> } } }).body?.error
        ?.root_cause?.[0]?.reason;
      // Elasticsearch names the part it could not use: the cursor, the page window, else the query.
      const param = /search_after|sort value/i.test(reason ?? '')
        ? 'after'
        : /result window|from \+ size|\[from\]|\[size\]/i.test(reason ?? '')
          ? 'from'
          : 'q';
      const what = param === 'q' ? 'could not parse the query' : 'refused the page requested';
      throw new SearchQueryError(`Elasticsearch ${what}${reason ? `: ${reason}` : ''}`, param);
    }
    throw error;
  }
  const totalHits = res.hits.total;
  const total = typeof totalHits === 'number' ? totalHits : (totalHits?.value ?? 0);
  const totalRelation = typeof totalHits === 'number' ? 'eq' : (totalHits?.relation ?? 'eq');
  const hits = res.hits.hits.map((hit) => {
    const summary = toSummary(hit);
    const h = hit.highlight;
    if (h && (h['title'] || h['body'])) {
      summary.highlight = {
        ...(h['title'] ? { title: h['title'] } : {}),
        ...(h['body'] ? { body: h['body'] } : {}),
      };
    }
    return summary;
  });
  if (options.duplicates && hits.length > 0) await attachCopies(client, index, hits);
  const last = res.hits.hits[res.hits.hits.length - 1];
  const next = res.hits.hits.length === request.size && last?.sort ? encodeCursor(last.sort) : null;
  return { total, totalRelation, hits, next };
}

/** Filters on fields that differ between copies of one story (site, byline, tags, dates). */
function narrowsCopies(o: SearchOptions): boolean {
  return list(o.site).length + list(o.author).length + list(o.tag).length > 0 || !!o.since || !!o.until;
}

/**
 * Filters apply before a near-duplicate group picks its representative: for each group with a
 * matching copy whose representative does not match, the earliest matching copy stands in.
 */
async function copiesStandingIn(client: Client, index: string, options: SearchOptions): Promise<string[]> {
  const { query } = buildSearchRequest(index, { ...options, includeDuplicates: true });
  const filter = [...query.bool.filter];
  let copies;
  try {
    copies = await client.search({
      index,
      size: 0,
      query: { bool: { must: query.bool.must, filter: [...filter, { term: { duplicate: true } }] } },
      aggs: {
        groups: {
          terms: { field: 'dupGroup', size: 1000 },
          aggs: {
            first: {
              top_hits: {
                size: 1,
                _source: false,
                sort: [{ publishedAt: { order: 'asc' as const, missing: '_last' as const } }, { id: 'asc' as const }],
              },
            },
          },
        },
      },
    });
  } catch (error) {
    if (isQueryError(error)) return [];
    throw error;
  }
  type Bucket = { key: string; first: { hits: { hits: Array<{ _id?: string }> } } };
  const buckets = (copies.aggregations?.groups as { buckets?: Bucket[] } | undefined)?.buckets ?? [];
  if (buckets.length === 0) return [];
  const reps = await client.search({
    index,
    size: 0,
    query: {
      bool: {
        must: query.bool.must,
        filter: [...filter, { term: { duplicate: false } }, { terms: { dupGroup: buckets.map((b) => b.key) } }],
      },
    },
    aggs: { groups: { terms: { field: 'dupGroup', size: buckets.length } } },
  });
  const represented = new Set(
    ((reps.aggregations?.groups as { buckets?: Array<{ key: string }> } | undefined)?.buckets ?? []).map((b) => b.key),
  );
  return buckets
    .filter((b) => !represented.has(b.key))
    .map((b) => b.first.hits.hits[0]?._id)
    .filter((id): id is string => !!id);
}

async function attachCopies(client: Client, index: string, hits: ArticleSummary[]): Promise<void> {
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
