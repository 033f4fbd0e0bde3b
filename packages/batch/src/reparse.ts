import type { RawArchive, SkippedRange } from '@gazette/archive';
import { reparseJobId, runKey, type Producer, type RedisConnection } from '@gazette/jobs';
import type { PageLedger } from '@gazette/pipeline';
import { Cursor, type ProgressListener } from './cursor.ts';

export interface ReparseOptions {
  archive: RawArchive;
  parse: Producer<'parse'>;
  redis: RedisConnection;
  prefix: string;
  /** Skips pages the crawler recorded as listings (home, section, tag pages). */
  ledger?: PageLedger;
  /** Parser version the run is for: a new version is a new run, the same version resumes or repeats harmlessly. */
  parserVersion: string;
  site?: string;
  since?: Date;
  until?: Date;
  /** Stop early (Ctrl-C): the cursor keeps what was queued, the next run resumes after it. */
  signal?: AbortSignal;
  onProgress?: ProgressListener;
}

export interface ReparseResult {
  runId: string;
  /** Archived responses matching the filter. */
  scanned: number;
  /** Parse jobs queued by this invocation (a re-queued job that already exists is not counted twice by BullMQ). */
  queued: number;
  /** Responses skipped: not HTML, not 2xx, a listing, or an older copy of a URL archived again later. */
  skipped: number;
  /** Byte ranges of the archive holding no whole record (torn writes), passed over; the first 100 are listed. */
  damaged: { ranges: number; bytes: number; first: SkippedRange[] };
  /** Queued by an earlier, interrupted invocation of the same run. */
  resumedFrom: number;
  interrupted: boolean;
}

const HTML = /^(text\/html|application\/xhtml\+xml)\b/i;

/**
 * Re-parse from the raw archive, no refetch: every archived HTML response
 * matching the filter (the latest copy of each URL) becomes a parse job with
 * `reparse: true`. Job ids are derived from the run (filter and parser
 * version) and the archive position, so running it twice, or resuming an
 * interrupted run, never queues a page twice; the parser then rebuilds each
 * record and the indexer overwrites the document in place (same id).
 */
export async function reparse(options: ReparseOptions): Promise<ReparseResult> {
  const filterKey = JSON.stringify([
    options.site ?? '',
    options.since?.toISOString() ?? '',
    options.until?.toISOString() ?? '',
    options.parserVersion,
  ]);
  const runId = runKey(filterKey);
  const cursor = new Cursor<{ queuedThrough: number; queued: number }>(
    options.redis,
    `${options.prefix}:cursor:reparse:${runId}`,
  );
  const saved = await cursor.load();
  const result: ReparseResult = {
    runId,
    scanned: 0,
    queued: 0,
    skipped: 0,
    resumedFrom: saved?.queued ?? 0,
    interrupted: false,
    damaged: { ranges: 0, bytes: 0, first: [] },
  };

  // Pass 1: the latest archived copy of each URL matching the filter.
  const latest = new Map<
    string,
    { file: string; offset: number; length: number; fetchedAt: string; url: string; finalUrl: string }
  >();
  const filter = {
    ...(options.site ? { site: options.site } : {}),
    ...(options.since ? { since: options.since } : {}),
    ...(options.until ? { until: options.until } : {}),
    onSkipped: (range: SkippedRange) => {
      result.damaged.ranges++;
      result.damaged.bytes += range.length;
      if (result.damaged.first.length < 100) result.damaged.first.push(range);
    },
  };
  for await (const { ref, page } of options.archive.scan(filter)) {
    if (options.signal?.aborted) break;
    result.scanned++;
    const type = page.headers['content-type'] ?? 'text/html';
    if (page.status < 200 || page.status >= 300 || !HTML.test(type)) {
      result.skipped++;
      continue;
    }
    const previous = latest.get(page.url);
    if (previous) result.skipped++;
    if (!previous || previous.fetchedAt <= page.fetchedAt) {
      latest.set(page.url, { ...ref, fetchedAt: page.fetchedAt, url: page.url, finalUrl: page.finalUrl });
    }
    options.onProgress?.({ done: result.scanned, phase: 'scanning the archive' });
  }

  // Pass 2: queue in archive order, resuming after what an interrupted run queued.
  const items = [...latest.values()].sort((a, b) =>
    a.file === b.file ? a.offset - b.offset : a.file < b.file ? -1 : 1,
  );
  let position = saved?.queuedThrough ?? 0;
  let totalQueued = saved?.queued ?? 0;
  const batchSize = 200;
  while (position < items.length && !options.signal?.aborted) {
    const batch = items.slice(position, position + batchSize);
    const jobs = [];
    for (const item of batch) {
      if (options.ledger) {
        const entry = await options.ledger.get(item.url);
        if (entry?.state === 'listing') {
          result.skipped++;
          continue;
        }
      }
      jobs.push({
        payload: {
          url: item.url,
          finalUrl: item.finalUrl,
          fetchedAt: item.fetchedAt,
          archive: { file: item.file, offset: item.offset, length: item.length },
          reparse: true,
        },
        options: { jobId: reparseJobId(runId, item) },
      });
    }
    if (jobs.length > 0) await options.parse.addBulk(jobs);
    position += batch.length;
    result.queued += jobs.length;
    totalQueued += jobs.length;
    await cursor.save({ queuedThrough: position, queued: totalQueued });
    options.onProgress?.({ done: position, total: items.length, phase: 'queueing parse jobs' });
  }
  result.interrupted = Boolean(options.signal?.aborted);
  if (!result.interrupted) await cursor.clear();
  return result;
}
