export {
  createFetcher,
  DEFAULT_USER_AGENT,
  DEFAULT_CONTENT_TYPES,
  type Fetcher,
  type FetcherOptions,
  type FetchOptions,
} from './fetcher.ts';
export {
  outcomeToError,
  isRetryableReason,
  parseRetryAfter,
  reasonCodes,
  type FetchOutcome,
  type ReasonCode,
} from './outcome.ts';
export {
  createNetworkGuard,
  isBlockedAddress,
  embeddedIPv4,
  guardedLookup,
  BlockedAddressError,
  allowEntryProblem,
  InvalidAllowEntryError,
  type NetworkGuard,
} from './guard.ts';
export {
  RobotsTxt,
  RobotsCache,
  robotsDecisionToError,
  type RobotsCacheOptions,
  type RobotsDecision,
} from './robots.ts';
export { crawlUrlProblem, type UrlRefusal } from './url-policy.ts';
export { fetchEnvShape } from './settings.ts';
