import type { Client } from '@elastic/elasticsearch';
import {
  attachCopies,
  getStored,
  SUMMARY_FIELDS,
  toSummary,
  type ArticleSummary,
  type Hit,
  type StoredArticle,
} from './article-reads.ts';
import { filterClauses, type ArticleFilters } from './filters.ts';
import { relatedLanguages } from './language-scope.ts';
import { indexFeatures, primaryLanguage, type IndexFeatures } from './mappings.ts';
import { rerankCandidates, type RerankInput, type RerankWeights } from './rerank.ts';

/* Related articles: a first stage in Elasticsearch (more_like_this and shared names), then a re-rank. */

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
  /**
   * ... and never in more than this many documents (0: no such cap). In a large index the share
   * alone lets words in thousands of articles into the query, whose postings cost most of a lookup.
   */
  maxDocFreqCap: number;
  /** Weight of the title in more_like_this. */
  titleBoost: number;
  /** Weight of shared named entities (more_like_this over `entities`). */
  entityBoost: number;
  /** Most entities used. */
  maxEntityTerms: number;
  /**
   * A second way into the candidates beside more_like_this: a match of the article's title over
   * other articles' titles, at this weight (0: off). Reaches reports whose only text is a headline,
   * which share too few of the article's more_like_this terms.
   */
  titleMatchBoost: number;
  /** Candidates re-ranked in Node.js (the first stage fetches this many, or `k` if more); 0: Elasticsearch order. */
  rerankDepth: number;
}

export const DEFAULT_RELATED_TUNING: RelatedTuning = {
  maxQueryTerms: 25,
  minimumShouldMatch: '10%',
  minDocFreq: 2,
  boostTerms: 0,
  maxDocFreqRatio: 0.05,
  maxDocFreqCap: 1000,
  titleBoost: 2,
  entityBoost: 0.5,
  maxEntityTerms: 15,
  titleMatchBoost: 0.5,
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
  neighbourWeight: 1,
  neighbours: 3,
  rareNameWeight: 0,
  titleWeight: 0,
  numberWeight: 0,
  localIdfWeight: 0,
  localNameIdfWeight: 0,
  rankFusionWeight: 0,
  rankFusionOffset: 60,
  hubnessWeight: 0.5,
  reciprocalWeight: 0,
  ledeWeight: 1,
  learnedRanker: null,
};

/** The name of the first stage's shared-names clause (its score per candidate feeds the re-ranking). */
const NAMES_QUERY = 'names';

/** Stored fields the re-ranking reads from each candidate. */
const RERANK_FIELDS = ['entities', 'years', 'dates', 'signature', 'lede', 'outLinks', 'tags'];

/** What a related lookup reads of the article itself: what the query and the re-ranking use, not the body. */
const SOURCE_FIELDS = ['id', 'title', 'language', 'publishedAt', 'dupGroup', ...RERANK_FIELDS];

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
  /** Filled with where the lookup's time went (for benchmarks). */
  timings?: RelatedTimings;
}

/** Where one related lookup spent its time, in milliseconds. */
export interface RelatedTimings {
  /** Reading the article itself (request and answer). */
  read: number;
  /** The first-stage search, as the client saw it (request, Elasticsearch, answer). */
  search: number;
  /** The first-stage search as Elasticsearch measured it (`took`). */
  took: number;
  /** The second stage in Node.js. */
  rerank: number;
  /** Reading the results' copies, when asked for. */
  copies: number;
}

/** Whether a related lookup re-ranks: the index stores signatures, the source has one, and it is not turned off. */
function rerankEnabled(
  source: StoredArticle,
  features: Pick<IndexFeatures, 'eventFields'>,
  t: Pick<RelatedTuning, 'rerankDepth'>,
): boolean {
  return !!features.eventFields && !!source.signature && t.rerankDepth > 0;
}

/** The common-term cap of the first stage for an index of `docCount` documents. */
export function maxDocFreq(docCount: number, t: Pick<RelatedTuning, 'maxDocFreqRatio' | 'maxDocFreqCap'>): number {
  const byShare = Math.floor(docCount * t.maxDocFreqRatio);
  const capped = t.maxDocFreqCap > 0 ? Math.min(byShare, t.maxDocFreqCap) : byShare;
  return Math.max(MIN_MAX_DOC_FREQ, capped);
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

  const moreLikeThis = {
    more_like_this: {
      fields: textFields,
      like,
      max_query_terms: t.maxQueryTerms,
      min_term_freq: 1,
      min_doc_freq: t.minDocFreq,
      minimum_should_match: t.minimumShouldMatch,
      ...(docCount && t.maxDocFreqRatio < 1 ? { max_doc_freq: maxDocFreq(docCount, t) } : {}),
      ...(t.boostTerms ? { boost_terms: t.boostTerms } : {}),
    },
  };
  const titleMatch =
    t.titleMatchBoost > 0 && source.title
      ? {
          match: {
            [textFields[0]!.replace(/\^.*$/, '')]: {
              query: source.title,
              minimum_should_match: '30%',
              boost: t.titleMatchBoost,
            },
          },
        }
      : null;
  const bool = {
    must: [titleMatch ? { bool: { should: [moreLikeThis, titleMatch], minimum_should_match: 1 } } : moreLikeThis],
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
    // Only the top hits are used: counting every match is work for nothing.
    track_total_hits: false,
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
  const timings = options.timings;
  let at = performance.now();
  const lap = (key: keyof RelatedTimings) => {
    const now = performance.now();
    if (timings) timings[key] = now - at;
    at = now;
  };
  const stored = await getStored(client, index, id, SOURCE_FIELDS);
  if (!stored) return null;
  const [features, docCount] = await Promise.all([
    cachedFeatures(client, stored.index),
    cachedDocCount(client, stored.index),
  ]);
  lap('read');
  const request = buildRelatedRequest(stored.index, stored.doc, options, features, docCount);
  const res = await client.search(request);
  lap('search');
  if (timings) timings.took = res.took;
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
  lap('rerank');
  if (options.duplicates && hits.length > 0) await attachCopies(client, stored.index, hits);
  lap('copies');
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
  const stored = await getStored(client, index, id, SOURCE_FIELDS);
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
    firstScore: hit._score ?? 0,
    summary: toSummary(hit),
  };
}
