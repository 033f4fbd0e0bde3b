export {
  createSearchClient,
  classifySearchError,
  isIndexMissing,
  indexHealth,
  isSearchUp,
  parseNodeUrls,
  type CreateClientOptions,
} from './client.ts';
export {
  ensureArticleIndex,
  createArticleIndex,
  putArticleTemplate,
  articleTemplateFor,
  dropArticleIndices,
  switchAlias,
  aliasTargets,
  newIndexName,
  indexFeatures,
  articleIndexBody,
  detectAnalysis,
  primaryLanguage,
  INDEX_MAPPING_VERSION,
  LANGUAGE_ANALYZERS,
  SERVING_SEGMENTS,
  type AnalysisSupport,
  type IndexFeatures,
} from './mappings.ts';
export {
  toIndexDocument,
  extractEntities,
  extractTimeReferences,
  signatureTerms,
  textSignature,
  simhashBands,
  chooseDuplicateGroup,
  DUPLICATE_MAX_DISTANCE,
  type ArticleDocument,
} from './document.ts';
export { canWrite, canaryIndexFor, ensureCanary, writeRefusal } from './write-probe.ts';
export { BulkWriter, assignDuplicateGroups, type BulkWriterOptions } from './bulk-writer.ts';
export { articlesPerMinute, recentArticles, type RecentArticle } from './overview.ts';
export {
  getArticle,
  findArticleByUrl,
  duplicatesOf,
  relatedArticles,
  relatedCandidates,
  searchArticles,
  buildRelatedRequest,
  buildSearchRequest,
  filterClauses,
  SearchQueryError,
  DEFAULT_RELATED_TUNING,
  SEARCH_FIELDS,
  type ArticleFilters,
  type ArticleSummary,
  type RelatedCandidate,
  type RelatedOptions,
  type RelatedTimings,
  type RelatedTuning,
  type SearchOptions,
  type SearchResult,
  type SearchSort,
} from './queries.ts';
export {
  PAIRWISE_RANKER,
  rankerFeatures,
  rerankCandidates,
  rerankFeatures,
  type LinearRanker,
  type RankerFeature,
  type RerankFeatures,
  type RerankInput,
  type RerankWeights,
} from './rerank.ts';
export { QUERYABLE_FIELDS, queryFieldProblem, queryStringFields } from './query-fields.ts';
export {
  storyOf,
  storyMembers,
  orderStory,
  DEFAULT_STORY_OPTIONS,
  type Story,
  type StoryArticle,
  type StoryOptions,
} from './story.ts';
export { listIndexVersions, mergeLiveIndex, pruneIndexVersions, type IndexVersion } from './index-versions.ts';
