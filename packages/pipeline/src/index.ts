export { PageLedger, type PageEntry, type PageState } from './page-ledger.ts';
export { crawlStep, type CrawlStepDeps, type CrawlOutcome } from './crawl-step.ts';
export { parseStep, type ParseStepDeps, type ParseOutcome } from './parse-step.ts';
export { indexStep, type IndexStepDeps } from './index-step.ts';
export { runSource, type RunSourceDeps, type RunSourceResult } from './source-step.ts';
export { SearchGate, type SearchGateOptions } from './search-gate.ts';
