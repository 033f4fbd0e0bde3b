/** Bumped whenever the shape of {@link ArticleRecord} changes incompatibly. */
export const ARTICLE_SCHEMA_VERSION = 1 as const;
