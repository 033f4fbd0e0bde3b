export { normalizeUrl, tryNormalizeUrl, hostOf, type NormalizeOptions, type TrailingSlash } from './normalize.ts';
export { SeenSet, type SeenSetOptions } from './seen.ts';
export { HostPoliteness, type HostPolitenessOptions, type AcquireOptions, type Acquired } from './politeness.ts';
export { extractLinks, scanHtml, type ExtractedLink, type FeedLink, type PageScan, type ScanOptions } from './html.ts';
export {
  classifyUrl,
  classifyPage,
  type Classification,
  type ClassifyPageInput,
  type PageKind,
  type UrlOrigin,
} from './classify.ts';
export {
  sourceSchema,
  SOURCE_ID_PATTERN,
  parseSource,
  createLinkPolicy,
  siteOf,
  type Source,
  type SourceInput,
  type LinkDecision,
} from './source.ts';
export {
  parseFeed,
  parseSitemap,
  parseDate,
  COMMON_FEED_PATHS,
  type ParsedFeed,
  type ParsedSitemap,
  type DiscoveredItem,
} from './feeds.ts';
export { discover, type DiscoveredUrl, type DiscoverOptions } from './discover.ts';
