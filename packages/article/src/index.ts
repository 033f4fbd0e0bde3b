export {
  ARTICLE_SCHEMA_VERSION,
  articleRecordSchema,
  relatedLinkSchema,
  notArticleReasons,
  type ArticleRecord,
  type RelatedLink,
  type NotArticleReason,
} from './record.ts';
export { articleIdFor, contentHashOf, countWords } from './identity.ts';
export { simhash, hammingDistance } from './simhash.ts';
export {
  importRecordSchema,
  recordFromImport,
  ImportRecordError,
  type ImportRecord,
  type ImportRefusal,
} from './import.ts';
