export { PageLedger, type PageEntry, type PageState } from './page-ledger.ts';
export {
  crawlStep,
  admitFetch,
  routePage,
  type CrawlStepDeps,
  type CrawlOutcome,
  type RoutePageDeps,
  type ArchivedPage,
} from './crawl-step.ts';
export { parseStep, type ParseStepDeps, type ParseOutcome } from './parse-step.ts';
export { indexStep, type IndexStepDeps } from './index-step.ts';
export { runSource, sourceRunFailure, type RunSourceDeps, type RunSourceResult } from './source-step.ts';
export { SearchGate, searchGateFor, type SearchGateOptions } from './search-gate.ts';
export { ArchiveGate, type ArchiveGateOptions } from './archive-gate.ts';
export { ledgerFinalFailure } from './final-failure.ts';
export { openHostRules, type HostRuleSettings } from './host-rules.ts';
export { ArticleHistory, recordDigest, type GoneArticle, type Revision } from './article-history.ts';
export { retireStep, type RetireStepDeps } from './retire-step.ts';
export { RunAccounting, allFinalFailures, countersOf, runMemberOf, type RunQueue } from './run-accounting.ts';
