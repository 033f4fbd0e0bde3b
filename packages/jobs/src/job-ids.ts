import { createHash, randomUUID } from 'node:crypto';

/**
 * Job ids and deduplication keys: the one place their recipes live. A job id
 * makes an add idempotent (BullMQ ignores a second job with the same id while
 * the first is kept); a deduplication key drops repeats for a while.
 */

/** The one URL hash (SHA-1, base64url): deduplication keys and per-URL Redis fields. */
export function urlKey(url: string): string {
  return createHash('sha1').update(url).digest('base64url');
}

/** A short stable key (16 hex digits of SHA-1) for a batch run or an input file, from what identifies it. */
export function runKey(identity: string): string {
  return createHash('sha1').update(identity).digest('hex').slice(0, 16);
}

/** How long a crawl run remembers the URLs it queued. */
export const RUN_DEDUPLICATION_TTL_MS = 6 * 3600_000;

/** Crawl-job deduplication within one run: a URL is queued at most once per run. */
export function runDeduplication(runId: string, url: string): { id: string; ttl: number } {
  return { id: `${runId}:${urlKey(url)}`, ttl: RUN_DEDUPLICATION_TTL_MS };
}

/** The run id of one scheduled source run, from the source and the schedule job that started it. */
export function sourceRunId(sourceId: string, scheduleJobId: string): string {
  return urlKey(`${sourceId}:${scheduleJobId}`).slice(0, 20);
}

/**
 * An operator's "run now": a job id of its own, and a deduplication key held while the run's
 * schedule job waits, retries or discovers (until it completes or fails for good). A second "run
 * now" of the same source, with the same `force`, in that time gets the queued run back: a double
 * click is one run, not two fetches of every seed and feed.
 */
export function manualRunJob(sourceId: string, force: boolean): { jobId: string; deduplication: { id: string } } {
  return {
    jobId: `manual-${randomUUID()}`,
    deduplication: { id: `run-now-${sourceId}-${force ? 'forced' : 'plain'}` },
  };
}

/** Where a page's archived copy lives, as a job id part: file name without `.warc.gz`, then the offset. */
function archivePart(archive: { file: string; offset: number }): string {
  return `${archive.file.replace(/\.warc\.gz$/, '')}-${archive.offset}`;
}

/**
 * One index job per archived copy and parser version: a re-delivered parse job adds nothing twice,
 * while a new fetch of the page, or a new parser, is indexed again.
 */
export function indexJobId(
  record: { id: string; parserVersion: string },
  archive: { file: string; offset: number },
): string {
  return `${record.id}-${archivePart(archive)}-${record.parserVersion}`;
}

/** One parse job per reparse run and archived copy: a resumed run queues nothing twice. */
export function reparseJobId(runId: string, archive: { file: string; offset: number }): string {
  return `reparse-${runId}-${archivePart(archive)}`;
}

/** One index job per imported record content and parser version. */
export function importJobId(record: { id: string; contentHash: string; parserVersion: string }): string {
  return `${record.id}-${record.contentHash.slice(0, 16)}-${record.parserVersion}`;
}

/**
 * One crawl job per link URL while it is kept: the job is added before the seen-set learns the URL,
 * so a page re-run after a crash adds the same job again, a no-op.
 */
export function linkJobId(url: string): string {
  return `link-${urlKey(url)}`;
}

/**
 * One retire job per article and last archived copy: a crawl job run again after a crash (the ledger
 * still names the same copy) adds nothing twice, while the article coming back and going again does.
 */
export function retireJobId(articleId: string, lastCopy: string | undefined): string {
  return `retire-${articleId}-${urlKey(lastCopy ?? '').slice(0, 12)}`;
}
