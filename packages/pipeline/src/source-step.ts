import { hostname } from 'node:os';
import type { Fetcher, RobotsCache } from '@gazette/fetch';
import { discover, type SeenSet } from '@gazette/frontier';
import {
  crawlScopeSchema,
  formatReason,
  runDeduplication,
  sourceRunId,
  type PayloadOf,
  type Producer,
  type UrlHints,
} from '@gazette/jobs';
import type { Logger } from '@gazette/logger';
import { nextBackoff, type RunTally, type SourceRun, type SourceStore } from '@gazette/sources';
import type { PageLedger } from './page-ledger.ts';

export interface RunSourceDeps {
  store: SourceStore;
  crawl: Producer<'crawl'>;
  seen: SeenSet;
  fetcher: Fetcher;
  robots?: RobotsCache;
  log: Logger;
  /** Knows the source's articles: those first indexed within `revisitDays` are fetched again on each run. */
  ledger?: PageLedger;
  /** The runs' totals: discovery is one open job of the run until it ends. */
  tally?: RunTally;
}

/** Discovery's member in the run's open jobs. */
const DISCOVERY = 'discover';

export type RunSourceResult =
  | { outcome: 'skipped'; reason: 'unknown-source' | 'paused' | 'backoff' }
  | { outcome: 'ran'; runId: string; discovered: number; queued: number };

/**
 * One run of a source: finds its URLs (seeds, feed items, sitemap URLs) and
 * queues crawl jobs within the source's link rules. Seeds are queued on every
 * run; other URLs only when the seen-set does not know them yet; and the
 * source's articles first indexed within its `revisitDays` are fetched again
 * (conditionally), so edits and removals reach the index. The run id
 * is the schedule job's id, and crawl jobs are deduplicated per run and URL,
 * so a re-delivered schedule job never queues a URL twice. A forced run
 * queues every URL it finds, to be fetched without conditional headers. A
 * skipped fire (paused source, polling backoff) is recorded as a run with
 * its reason.
 */
export async function runSource(
  payload: PayloadOf<'schedule'>,
  jobId: string,
  deps: RunSourceDeps,
): Promise<RunSourceResult> {
  const entry = await deps.store.get(payload.sourceId);
  if (!entry) return { outcome: 'skipped', reason: 'unknown-source' };
  const { source } = entry;
  const runId = sourceRunId(source.id, jobId);
  const run: SourceRun = {
    runId,
    sourceId: source.id,
    jobId,
    trigger: payload.force ? 'forced' : payload.manual ? 'manual' : 'schedule',
    startedAt: new Date().toISOString(),
    worker: `${hostname()}:${process.pid}`,
  };
  // A paused source still runs when an operator asks for it.
  if (entry.paused && !payload.manual) {
    await deps.store.recordRun({ ...run, skipped: 'paused', finishedAt: run.startedAt });
    return { outcome: 'skipped', reason: 'paused' };
  }
  // A source whose feeds and sitemaps brought nothing new lately is polled less often.
  const backoff = await deps.store.backoff(source.id);
  if (!payload.manual && backoff && backoff.skipsLeft > 0) {
    await deps.store.setBackoff(source.id, { ...backoff, skipsLeft: backoff.skipsLeft - 1 });
    await deps.store.recordRun({ ...run, skipped: 'backoff', finishedAt: run.startedAt });
    deps.log.info({ sourceId: source.id, runId, ...backoff }, 'source run skipped: nothing new lately');
    return { outcome: 'skipped', reason: 'backoff' };
  }
  await deps.tally?.open(runId, [DISCOVERY]);
  await deps.store.recordRun(run);

  try {
    const problems: NonNullable<SourceRun['problems']> = [];
    const found = await discover(source, deps.fetcher, {
      ...(deps.robots ? { robots: deps.robots } : {}),
      onProblem: (p) => problems.push(p),
    });
    const scope = crawlScopeSchema.parse({
      maxDepth: source.maxDepth,
      sameSite: source.sameSite,
      allow: source.allow,
      deny: source.deny,
      runId,
      ...(source.render !== 'never' ? { render: source.render } : {}),
      minIntervalMs: source.minIntervalMs,
      maxConcurrency: source.maxConcurrency,
    });
    const seeds = found.filter((u) => u.hints.from === 'seed');
    const others = found.filter((u) => u.hints.from !== 'seed');
    // The crawl jobs are added before the seen-set learns the URLs, under the run's deduplication key:
    // if the process or Redis dies in between, the retried run (same run id) finds the URLs still unseen
    // and adds the same jobs again (a no-op), so the seen-set never holds a URL whose job was not added.
    const seenBefore = others.length > 0 ? await deps.seen.has(others.map((u) => u.url)) : [];
    const freshOthers = others.filter((_, i) => !seenBefore[i]);
    // A forced run refetches everything it found, seen or not.
    const chosen: Array<{ url: string; hints: UrlHints }> = [...seeds, ...(payload.force ? others : freshOthers)];
    // Known articles, checked again for edits and removals (a leaf each: their links are not followed).
    const revisits = await knownArticles(source.id, source.revisitDays, deps.ledger);
    const queuedNow = new Set(chosen.map((u) => u.url));
    for (const url of revisits) {
      if (!queuedNow.has(url)) chosen.push({ url, hints: { from: 'known' as const } });
    }
    // Only feeds and sitemaps tell whether a source changed; a seed-only source keeps its interval.
    if (others.length > 0) await deps.store.setBackoff(source.id, nextBackoff(backoff, freshOthers.length));
    if (chosen.length > 0) {
      await deps.crawl.addBulk(
        chosen.map((u) => ({
          payload: {
            url: u.url,
            sourceId: source.id,
            depth: 0,
            scope,
            hints: u.hints,
            ...(payload.force ? { force: true } : {}),
          },
          options: { deduplication: runDeduplication(runId, u.url) },
        })),
      );
    }
    if (freshOthers.length > 0) await deps.seen.addIfNew(freshOthers.map((u) => u.url));
    Object.assign(run, {
      discoveredAt: new Date().toISOString(),
      discovered: found.length,
      queued: chosen.length,
      revisited: revisits.length,
      problems: problems.slice(0, 20),
    });
    await deps.store.recordRun(run);
    if (deps.tally) {
      await deps.tally.add(runId, { discovered: found.length });
      await deps.tally.settle(runId, DISCOVERY, []);
    }
    deps.log.info(
      { sourceId: source.id, runId, discovered: found.length, queued: chosen.length, revisited: revisits.length },
      'source run',
    );
    return { outcome: 'ran', runId, discovered: found.length, queued: chosen.length };
  } catch (error) {
    run.finishedAt = new Date().toISOString();
    run.error = error instanceof Error ? error.message : String(error);
    await deps.store.recordRun(run);
    // A retry of the schedule job opens discovery again under the same run id.
    await deps.tally?.settle(runId, DISCOVERY, []);
    throw error;
  }
}

/**
 * The schedule worker's `onFinalFailure`: a run whose schedule job failed for good before discovery
 * could record it (its workers died under it until its attempts were spent, so the job failed with
 * reason `stalled` before discovery ran again) is recorded failed with the job's reason. A run that
 * ended or recorded its own failure is left as it is.
 */
export function sourceRunFailure(
  store: SourceStore,
): (data: unknown, reason: string, error: unknown, job: { id?: string | undefined }) => Promise<void> {
  return async (data, reason, error, job) => {
    const sourceId = (data as { sourceId?: unknown } | null)?.sourceId;
    if (typeof sourceId !== 'string' || job.id === undefined) return;
    const run = await store.run(sourceId, sourceRunId(sourceId, job.id));
    if (!run || run.skipped || run.error || run.discoveredAt) return;
    const message = error instanceof Error ? error.message : String(error);
    await store.recordRun({ ...run, error: formatReason(reason, message), finishedAt: new Date().toISOString() });
  };
}

async function knownArticles(sourceId: string, days: number, ledger: PageLedger | undefined): Promise<string[]> {
  if (!ledger || days <= 0) return [];
  return ledger.articlesOf(sourceId, Date.now() - days * 24 * 3600_000);
}
