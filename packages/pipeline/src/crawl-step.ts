import type { WarcArchive } from '@gazette/archive';
import { outcomeToError, robotsDecisionToError, type Fetcher, type RobotsCache } from '@gazette/fetch';
import {
  classifyPage,
  createLinkPolicy,
  hostOf,
  normalizeUrl,
  parseSource,
  scanHtml,
  type HostPoliteness,
  type SeenSet,
  type UrlOrigin,
} from '@gazette/frontier';
import { runDeduplication, type CrawlScope, type PayloadOf, type Producer } from '@gazette/jobs';
import type { Logger } from '@gazette/logger';
import type { PageLedger } from './page-ledger.ts';

export interface CrawlStepDeps {
  fetcher: Fetcher;
  robots: RobotsCache;
  /** Per-host interval and concurrency shared by every crawler process; null switches politeness off. */
  politeness: HostPoliteness | null;
  minIntervalMs: number;
  maxConcurrencyPerHost: number;
  seen: SeenSet;
  archive: WarcArchive;
  parse: Producer<'parse'>;
  crawl: Producer<'crawl'>;
  ledger: PageLedger;
  log: Logger;
  /** Puts the job back in the queue until `at` (epoch ms) without holding a worker slot; never returns. */
  delayUntil: (at: number) => Promise<never>;
}

export type CrawlOutcome =
  | { outcome: 'not-modified'; url: string }
  | {
      outcome: 'article' | 'listing';
      url: string;
      finalUrl: string;
      status: number;
      bytes: number;
      why: string;
      linksFound: number;
      linksQueued: number;
    };

const HTML_TYPES = /^(text\/html|application\/xhtml\+xml)\b/i;

const originOf = (from: string | undefined): UrlOrigin =>
  from === 'feed' || from === 'sitemap' || from === 'link' ? from : 'seed';

/**
 * crawl: robots check, per-host politeness, conditional fetch, raw archive,
 * then article pages go to the parse queue and links within the job's scope
 * go back to the crawl queue (once per URL: the global seen-set, or once per
 * run for forced crawls).
 */
export async function crawlStep(job: PayloadOf<'crawl'>, deps: CrawlStepDeps): Promise<CrawlOutcome> {
  const url = normalizeUrl(job.url);
  const decision = await deps.robots.check(url);
  if (!decision.allowed) {
    await deps.ledger.record(url, { state: 'fetch-failed', reason: decision.reason });
    throw robotsDecisionToError(url, decision);
  }

  let release: (() => Promise<void>) | undefined;
  if (deps.politeness) {
    const slot = await deps.politeness.acquire(hostOf(url), {
      // A source may ask for more politeness than the crawler's settings, never for less.
      minIntervalMs: Math.max(deps.minIntervalMs, job.scope?.minIntervalMs ?? 0, decision.crawlDelayMs ?? 0),
      maxConcurrency: Math.min(deps.maxConcurrencyPerHost, job.scope?.maxConcurrency ?? Infinity),
    });
    if (!slot.granted) return deps.delayUntil(slot.retryAt);
    release = () => slot.release();
  }

  const previous = job.force ? null : await deps.ledger.get(url);
  let outcome;
  try {
    outcome = await deps.fetcher.fetch(url, {
      ...(previous?.etag ? { etag: previous.etag } : {}),
      ...(previous?.lastModified ? { lastModified: previous.lastModified } : {}),
    });
  } finally {
    await release?.();
  }

  if (outcome.notModified) {
    await deps.ledger.record(url, { state: 'not-modified' });
    return { outcome: 'not-modified', url };
  }
  if (!outcome.ok || !outcome.body) {
    await deps.ledger.record(url, { state: 'fetch-failed', reason: outcome.reason });
    throw outcomeToError(outcome);
  }

  const fetchedAt = new Date().toISOString();
  const ref = await deps.archive.append({
    url,
    finalUrl: outcome.finalUrl,
    status: outcome.status ?? 200,
    headers: outcome.headers,
    body: outcome.body,
    fetchedAt,
    fetchMs: outcome.timings.totalMs,
    redirects: outcome.redirects.slice(0, -1),
  });
  await deps.ledger.record(url, {
    state: 'fetched',
    ...(outcome.headers.etag ? { etag: outcome.headers.etag } : {}),
    ...(outcome.headers['last-modified'] ? { lastModified: outcome.headers['last-modified'] } : {}),
  });

  const isHtml = HTML_TYPES.test(outcome.headers['content-type'] ?? 'text/html');
  const follow = job.scope !== undefined && job.depth < job.scope.maxDepth;
  // Links are only gathered when they will be followed; the page scan also classifies it. A page
  // whose links are not followed goes to the parser, which tells articles from listings itself.
  const scan = isHtml && follow ? scanHtml(new TextDecoder().decode(outcome.body), outcome.finalUrl) : undefined;
  const kind = scan
    ? classifyPage({ url: outcome.finalUrl, scan, origin: originOf(job.hints?.from) })
    : isHtml
      ? { kind: 'article' as const, reason: 'parser-decides', confidence: 0.5 }
      : { kind: 'listing' as const, reason: 'not-html', confidence: 1 };

  let linksQueued = 0;
  if (scan && job.scope && follow) {
    linksQueued = await queueLinks(
      job,
      job.scope,
      scan.links.map((l) => l.url),
      deps,
    );
  }

  if (kind.kind === 'article') {
    await deps.parse.add({
      url,
      finalUrl: outcome.finalUrl,
      fetchedAt,
      archive: ref,
      depth: job.depth,
      ...(job.sourceId ? { sourceId: job.sourceId } : {}),
      ...(job.hints ? { hints: job.hints } : {}),
    });
  } else {
    await deps.ledger.record(url, { state: 'listing', reason: kind.reason });
  }
  return {
    outcome: kind.kind,
    url,
    finalUrl: outcome.finalUrl,
    status: outcome.status ?? 200,
    bytes: outcome.bytes,
    why: kind.reason,
    linksFound: scan?.links.length ?? 0,
    linksQueued,
  };
}

async function queueLinks(
  job: PayloadOf<'crawl'>,
  scope: CrawlScope,
  links: string[],
  deps: CrawlStepDeps,
): Promise<number> {
  const policy = createLinkPolicy(
    parseSource({
      id: 'scope',
      name: 'scope',
      seeds: [job.url],
      allow: scope.allow,
      deny: scope.deny,
      maxDepth: scope.maxDepth,
      sameSite: scope.sameSite,
    }),
  );
  const depth = job.depth + 1;
  const candidates = [...new Set(links)].filter((link) => policy(link, depth).follow);
  if (candidates.length === 0) return 0;
  const fresh = await deps.seen.addIfNew(candidates);
  // A forced run re-fetches what the seen-set knows, once per run (BullMQ deduplication by run and URL).
  const chosen = job.force && scope.runId ? candidates : candidates.filter((_, i) => fresh[i]);
  if (chosen.length === 0) return 0;
  await deps.crawl.addBulk(
    chosen.map((link) => ({
      payload: {
        url: link,
        depth,
        scope,
        hints: { from: 'link' as const },
        ...(job.sourceId ? { sourceId: job.sourceId } : {}),
        ...(job.force ? { force: true } : {}),
      },
      ...(job.force && scope.runId ? { options: { deduplication: runDeduplication(scope.runId, link) } } : {}),
    })),
  );
  return chosen.length;
}
