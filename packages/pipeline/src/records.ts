/**
 * The pipeline's records in Redis, without its steps: the page ledger (each URL's state) and each
 * article's version history. They need only a Redis connection, so a caller that reads them (the
 * CLI's `queues stats` and `revisions`) loads neither the extractor, the archive nor Elasticsearch's
 * client. `@gazette/pipeline` exports the same classes.
 */
export { PageLedger, type PageEntry, type PageState } from './page-ledger.ts';
export { ArticleHistory, recordDigest, type GoneArticle, type Revision } from './article-history.ts';
