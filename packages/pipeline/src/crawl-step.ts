import { createHash } from 'node:crypto';
import { ArchiveError, type RawArchive } from '@gazette/archive';
import {
  crawlUrlProblem,
  outcomeToError,
  robotsDecisionToError,
  type FetchOutcome,
  type Fetcher,
  type RobotsCache,
} from '@gazette/fetch';
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
import {
  PermanentError,
  RetryableError,
  linkJobId,
  retireJobId,
  runDeduplication,
  type ArchiveRef,
  type CrawlScope,
  type PayloadOf,
  type Producer,
} from '@gazette/jobs';
import type { Logger } from '@gazette/logger';
import type { PageLedger, PageState } from './page-ledger.ts';

export interface CrawlStepDeps {
  fetcher: Fetcher;
  robots: RobotsCache;
  /** Per-host interval and concurrency shared by every crawler process; null switches politeness off. */
  politeness: HostPoliteness | null;
  minIntervalMs: number;
  maxConcurrencyPerHost: number;
  seen: SeenSet;
  archive: RawArchive;
  parse: Producer<'parse'>;
  crawl: Producer<'crawl'>;
  ledger: PageLedger;
  log: Logger;
  /** Puts the job back in the queue until `at` (epoch ms) without holding a worker slot; never returns. */
  delayUntil: (at: number) => Promise<never>;
  /**
   * Longest Retry-After (429/503) honoured: the host is parked that long; a server asking for
   * more is given up on (`retry-after-too-long`, permanent). Default 24 h.
   */
  maxRetryAfterMs?: number;
  /** Pages of sources with `render: always | auto` go here; without it every page is handled plainly. */
  render?: Producer<'render'>;
  /** `render: auto`: does the plain HTML look like an empty application shell? */
  detectShell?: (html: string) => { shell: boolean; why: string };
  /** Indexed articles whose page answers 404/410 go here (out of search, kept as gone). */
  retire?: Producer<'retire'>;
  /**
   * This crawl job (id and creation time), recorded with the copy it fetches. Run again after its
   * process died, the job finds its own fetch in the ledger: it handles the page in full rather than
   * taking its own earlier work for an earlier visit's (that would answer "not modified").
   */
  jobKey?: string;
}

/** What {@link routePage} needs: where links go, where articles go. */
export type RoutePageDeps = Pick<CrawlStepDeps, 'seen' | 'parse' | 'crawl' | 'ledger'>;

/** A fetched (or rendered) page, archived, ready to be routed. */
export interface ArchivedPage {
  url: string;
  finalUrl: string;
  status: number;
  bytes: number;
  fetchedAt: string;
  archive: ArchiveRef;
  /** The HTML to scan for links; undefined when the page is not HTML. */
  html: string | undefined;
}

/** Retry-After up to this is left to the queue's own backoff (which caps at 5 minutes). */
const SHORT_RETRY_AFTER_MS = 5 * 60_000;

export type CrawlOutcome =
  /** `http-304`: the server said so; `same-bytes`: the body is the one fetched last time. */
  | { outcome: 'not-modified'; url: string; why?: 'http-304' | 'same-bytes' }
  | { outcome: 'gone'; url: string; status: number; reason: string }
  /** Handed to the render queue; `status` is the plain fetch's (`render: auto`), absent when none was made. */
  | { outcome: 'render'; url: string; why: string; status?: number }
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

// A known article checked again on a source's run is a leaf, as the sitemap item it usually was.
const originOf = (from: string | undefined): UrlOrigin =>
  from === 'feed' || from === 'sitemap' || from === 'link' ? from : from === 'known' ? 'sitemap' : 'seed';

/** Links are followed from seeds and the pages they lead to, within the scope's depth; feed and sitemap items are leaves. */
function followsLinks(job: PayloadOf<'crawl'>): boolean {
  const origin = originOf(job.hints?.from);
  return job.scope !== undefined && job.depth < job.scope.maxDepth && origin !== 'feed' && origin !== 'sitemap';
}

/**
 * States after which the same bytes need no new archive copy, parse or index. Not `fetched`: a crawl
 * job run again after its process died between the archive and the parse job must queue the parse.
 */
const SETTLED: ReadonlySet<PageState> = new Set(['not-modified', 'listing', 'not-article', 'parsed', 'indexed']);

/**
 * Links a crawler does not follow: those the site marks `rel="nofollow"` (or `ugc`, `sponsored`) and
 * comment-reply links (`?replytocom=N`), which show the same page with a reply form.
 */
export function followable(link: { url: string; nofollow: boolean }): boolean {
  if (link.nofollow) return false;
  return !/[?&]replytocom=/i.test(link.url);
}

/**
 * crawl: robots check, per-host politeness, conditional fetch, raw archive
 * (pages of sources rendered in a browser go to the render queue instead:
 * all of them with `render: always`, empty application shells with `auto`),
 * then article pages go to the parse queue and links within the job's scope
 * go back to the crawl queue (once per URL: the global seen-set, or once per
 * run for forced crawls).
 */
export async function crawlStep(job: PayloadOf<'crawl'>, deps: CrawlStepDeps): Promise<CrawlOutcome> {
  const refused = crawlUrlProblem(job.url, deps.fetcher.guard);
  if (refused) {
    await deps.ledger.record(job.url, { state: 'fetch-failed', reason: refused.reason });
    throw new PermanentError(refused.reason, `${job.url}: ${refused.message}`);
  }
  const url = normalizeUrl(job.url);
  const mode = deps.render ? (job.scope?.render ?? 'never') : 'never';
  if (mode === 'always') {
    // The render worker fetches the page itself, under the same robots and politeness rules.
    await deps.render!.add({ ...job, url, why: 'always' });
    return { outcome: 'render', url, why: 'always' };
  }
  const release = await admitFetch(url, deps, job.scope);

  const previous = job.force ? null : await deps.ledger.get(url);
  // What an earlier visit left settled (archived, parsed and so on): only then may "unchanged" end the
  // job. Not after a fetch whose parse was never queued, nor after this same job's own earlier run.
  const settled =
    previous !== null &&
    SETTLED.has(previous.state) &&
    (deps.jobKey === undefined || previous.fetchedBy !== deps.jobKey);
  let outcome;
  try {
    outcome = await deps.fetcher.fetch(url, {
      ...(settled && previous.etag ? { etag: previous.etag } : {}),
      ...(settled && previous.lastModified ? { lastModified: previous.lastModified } : {}),
    });
  } finally {
    await release?.();
  }

  if (outcome.notModified) {
    await deps.ledger.record(url, { state: 'not-modified' });
    await deps.ledger.countOutcome('crawl:not-modified:http-304');
    return { outcome: 'not-modified', url, why: 'http-304' };
  }
  // A link found on a page, in a feed or a sitemap that answers 404 or 410 points at something
  // removed: that is the answer, recorded and counted, not a dead letter to replay. (A seed or a URL
  // an operator queued by hand still fails: someone can fix it.)
  const status = outcome.status ?? 0;
  if (!outcome.ok && (status === 404 || status === 410) && originOf(job.hints?.from) !== 'seed') {
    const reason = `http-${status}`;
    // An article indexed from this URL leaves search; its record is kept as gone. The retire job is
    // added before the ledger forgets the article id, so a crash in between adds the same job again.
    const known = job.force ? await deps.ledger.get(url) : previous;
    const articleId = deps.retire ? known?.articleId : undefined;
    const retired = articleId !== undefined;
    if (retired) {
      await deps.retire?.add(
        { articleId, url, status, reason, at: new Date().toISOString() },
        { jobId: retireJobId(articleId, known?.archive) },
      );
    }
    await deps.ledger.record(url, { state: 'gone', reason, ...(retired ? { articleId: undefined } : {}) });
    await deps.ledger.countOutcome(`crawl:gone:${reason}`);
    if (job.sourceId) await deps.ledger.forgetArticle(job.sourceId, url);
    return { outcome: 'gone', url, status, reason };
  }
  if (!outcome.ok || !outcome.body) {
    const error = await honourRetryAfter(url, outcome, deps);
    await deps.ledger.record(url, { state: 'fetch-failed', reason: error.reason });
    throw error;
  }

  // The same bytes as last time (a server that sends no validators): nothing to archive, parse or index
  // again, when the page would only be parsed (a page whose links this job follows, or that may be
  // rendered, is handled in full: the last fetch may have been a leaf, or plain).
  const bodyHash = createHash('sha256').update(outcome.body).digest('hex');
  if (settled && previous.bodyHash === bodyHash && mode === 'never' && !followsLinks(job)) {
    await deps.ledger.record(url, {
      state: 'not-modified',
      reason: 'same-bytes',
      ...(outcome.headers.etag ? { etag: outcome.headers.etag } : {}),
      ...(outcome.headers['last-modified'] ? { lastModified: outcome.headers['last-modified'] } : {}),
    });
    await deps.ledger.countOutcome('crawl:not-modified:same-bytes');
    return { outcome: 'not-modified', url, why: 'same-bytes' };
  }

  const fetchedAt = new Date().toISOString();
  let ref;
  try {
    ref = await deps.archive.append({
      url,
      finalUrl: outcome.finalUrl,
      status: outcome.status ?? 200,
      headers: outcome.headers,
      body: outcome.body,
      fetchedAt,
      fetchMs: outcome.timings.totalMs,
      redirects: outcome.redirects.slice(0, -1),
    });
  } catch (error) {
    // Nothing was archived (no reference to a torn record is ever handed out): the fetch is retried.
    const reason = error instanceof ArchiveError && error.reason === 'full' ? 'archive-full' : 'archive-io';
    await deps.ledger.record(url, { state: 'fetch-failed', reason });
    throw new RetryableError(reason, `could not archive the page: ${(error as Error).message}`, { cause: error });
  }
  await deps.ledger.record(url, {
    state: 'fetched',
    archive: `${ref.file}:${ref.offset}:${ref.length}`,
    bodyHash,
    fetchedBy: deps.jobKey,
    ...(outcome.headers.etag ? { etag: outcome.headers.etag } : {}),
    ...(outcome.headers['last-modified'] ? { lastModified: outcome.headers['last-modified'] } : {}),
  });

  const isHtml = HTML_TYPES.test(outcome.headers['content-type'] ?? 'text/html');
  const html = isHtml ? new TextDecoder().decode(outcome.body) : undefined;
  if (mode === 'auto' && html !== undefined && deps.detectShell) {
    const verdict = deps.detectShell(html);
    if (verdict.shell) {
      await deps.render!.add({
        ...job,
        url,
        why: verdict.why,
        original: { archive: ref, finalUrl: outcome.finalUrl, fetchedAt },
      });
      return { outcome: 'render', url, why: verdict.why, status: outcome.status ?? 200 };
    }
  }
  return routePage(
    job,
    {
      url,
      finalUrl: outcome.finalUrl,
      status: outcome.status ?? 200,
      bytes: outcome.bytes,
      fetchedAt,
      archive: ref,
      html,
    },
    deps,
  );
}

/**
 * Robots check and a politeness slot for one request to `url`. Returns the
 * slot's release (undefined with politeness off); puts the job back until the
 * host is free when it is not.
 */
export async function admitFetch(
  url: string,
  deps: Pick<
    CrawlStepDeps,
    'robots' | 'politeness' | 'minIntervalMs' | 'maxConcurrencyPerHost' | 'ledger' | 'delayUntil'
  >,
  scope?: Pick<CrawlScope, 'minIntervalMs' | 'maxConcurrency'>,
): Promise<(() => Promise<void>) | undefined> {
  const decision = await deps.robots.check(url);
  if (!decision.allowed) {
    await deps.ledger.record(url, { state: 'fetch-failed', reason: decision.reason });
    throw robotsDecisionToError(url, decision);
  }
  if (!deps.politeness) return undefined;
  const slot = await deps.politeness.acquire(hostOf(url), {
    // A source may ask for more politeness than the crawler's settings, never for less.
    minIntervalMs: Math.max(deps.minIntervalMs, scope?.minIntervalMs ?? 0, decision.crawlDelayMs ?? 0),
    maxConcurrency: Math.min(deps.maxConcurrencyPerHost, scope?.maxConcurrency ?? Infinity),
  });
  if (!slot.granted) return deps.delayUntil(slot.retryAt);
  return () => slot.release();
}

/**
 * An archived page goes on: links within the job's scope back to the crawl
 * queue, article pages to the parse queue, listings recorded as such.
 */
export async function routePage(
  job: PayloadOf<'crawl'>,
  page: ArchivedPage,
  deps: RoutePageDeps,
): Promise<CrawlOutcome> {
  // Links are followed from seeds and the pages they lead to; feed and sitemap items are leaves
  // (the feed or sitemap already lists the site's articles).
  const origin = originOf(job.hints?.from);
  const follow = followsLinks(job);
  // Links are only gathered when they will be followed; the page scan also classifies it. A page
  // whose links are not followed goes to the parser, which tells articles from listings itself.
  const isHtml = page.html !== undefined;
  const scan = page.html !== undefined && follow ? scanHtml(page.html, page.finalUrl) : undefined;
  const classified = scan
    ? classifyPage({ url: page.finalUrl, scan, origin })
    : isHtml
      ? { kind: 'article' as const, reason: 'parser-decides', confidence: 0.5 }
      : { kind: 'listing' as const, reason: 'not-html', confidence: 1 };
  // A listing verdict that is only a guess from the URL's shape (`/about/` looks like a section) is
  // left to the parser, which judges the page's content and records what it is and why.
  const kind =
    classified.kind === 'listing' && classified.confidence < 0.8 && isHtml
      ? { kind: 'article' as const, reason: `${classified.reason}+parser-decides`, confidence: classified.confidence }
      : classified;

  let linksQueued = 0;
  if (scan && job.scope && follow) {
    linksQueued = await queueLinks(
      job,
      job.scope,
      scan.links.filter(followable).map((l) => l.url),
      deps,
    );
  }

  if (kind.kind === 'article') {
    await deps.parse.add({
      url: page.url,
      finalUrl: page.finalUrl,
      fetchedAt: page.fetchedAt,
      archive: page.archive,
      depth: job.depth,
      ...(job.sourceId ? { sourceId: job.sourceId } : {}),
      ...(job.hints ? { hints: job.hints } : {}),
      ...(job.scope?.runId ? { runId: job.scope.runId } : {}),
    });
  } else {
    await deps.ledger.record(page.url, { state: 'listing', reason: kind.reason });
  }
  return {
    outcome: kind.kind,
    url: page.url,
    finalUrl: page.finalUrl,
    status: page.status,
    bytes: page.bytes,
    why: kind.reason,
    linksFound: scan?.links.length ?? 0,
    linksQueued,
  };
}

/**
 * A 429/503 whose Retry-After is longer than the queue's backoff parks the whole host for that
 * long (every crawler process waits; a retry waits for the park without spending an attempt,
 * so five refusals take five Retry-After periods, not 25 minutes); a wait beyond
 * `maxRetryAfterMs` is given up on with its own reason rather than polled every few minutes.
 */
async function honourRetryAfter(
  url: string,
  outcome: FetchOutcome,
  deps: CrawlStepDeps,
): Promise<PermanentError | RetryableError> {
  const error = outcomeToError(outcome);
  const wait = outcome.retryAfterMs;
  if (!(error instanceof RetryableError) || wait === undefined || wait <= SHORT_RETRY_AFTER_MS) return error;
  const max = deps.maxRetryAfterMs ?? 24 * 3600_000;
  await deps.politeness?.park(hostOf(url), Math.min(wait, max));
  if (wait > max) {
    return new PermanentError(
      'retry-after-too-long',
      `${url}: the server asks to wait ${Math.round(wait / 1000)} s (HTTP ${outcome.status}), longer than ${Math.round(max / 1000)} s; giving up`,
      { cause: error },
    );
  }
  // Retried after the park: the retry waits (delayed, no attempt spent) until the host is free again.
  deps.log.info({ url, retryAfterMs: wait, status: outcome.status }, 'host parked for its Retry-After');
  return error;
}

async function queueLinks(
  job: PayloadOf<'crawl'>,
  scope: CrawlScope,
  links: string[],
  deps: RoutePageDeps,
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
  // The crawl jobs are added before the seen-set learns the URLs, each under an id of its URL: if
  // the process or Redis dies in between, the page's job runs again, finds the URLs still unseen and
  // adds the same jobs again (a no-op), so the seen-set never holds a URL whose job was not added.
  const seenBefore = await deps.seen.has(candidates);
  // A forced run re-fetches what the seen-set knows, once per run (BullMQ deduplication by run and URL).
  const forcedRun = job.force ? scope.runId : undefined;
  const chosen = forcedRun ? candidates : candidates.filter((_, i) => !seenBefore[i]);
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
      options: forcedRun ? { deduplication: runDeduplication(forcedRun, link) } : { jobId: linkJobId(link) },
    })),
  );
  await deps.seen.addIfNew(chosen);
  return chosen.length;
}
