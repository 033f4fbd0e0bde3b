export { createSearchClient, classifySearchError, type CreateClientOptions } from './client.ts';
export {
  ensureArticleIndex,
  articleIndexBody,
  detectAnalysis,
  INDEX_MAPPING_VERSION,
  type AnalysisSupport,
} from './mappings.ts';
export { BulkWriter, type BulkWriterOptions } from './bulk-writer.ts';
export {
  getArticle,
  findArticleByUrl,
  relatedArticles,
  searchArticles,
  type ArticleSummary,
  type RelatedOptions,
  type SearchOptions,
  type SearchResult,
} from './queries.ts';
