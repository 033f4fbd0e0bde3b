/**
 * `@gazette/article/core`: the package without its schemas (ids, hashes, word counts, SimHash and
 * the schema version). Loading it does not load the schema library, so a process that only builds
 * records (the extractor) starts faster.
 */
export { ARTICLE_SCHEMA_VERSION } from './version.ts';
export { articleIdFor, contentHashOf, countWords } from './identity.ts';
export { simhash, hammingDistance } from './simhash.ts';
