/**
 * The read side of the index, by concern: article reads (article-reads.ts), the shared filters
 * (filters.ts), related articles (related.ts) and search (search-query.ts).
 */
export { type ArticleSummary, getArticle, findArticleByUrl, duplicatesOf } from './article-reads.ts';
export { type ArticleFilters, filterClauses } from './filters.ts';
export {
  type RelatedTuning,
  DEFAULT_RELATED_TUNING,
  type RelatedOptions,
  type RelatedTimings,
  buildRelatedRequest,
  relatedArticles,
  type RelatedCandidate,
  relatedCandidates,
} from './related.ts';
export {
  type SearchSort,
  type SearchOptions,
  type SearchResult,
  SearchQueryError,
  MAX_RESULT_WINDOW,
  SEARCH_FIELDS,
  buildSearchRequest,
  searchArticles,
} from './search-query.ts';
