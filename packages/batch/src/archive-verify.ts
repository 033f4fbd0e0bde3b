import { createHash } from 'node:crypto';
import { ArchiveError, type ArchiveRef, type WarcArchive } from '@gazette/archive';
import { openQueue, type Producer, type QueueContext, type RedisConnection } from '@gazette/jobs';
import type { PageEntry } from '@gazette/pipeline';
import type { ProgressListener } from './cursor.ts';

export interface ArchiveVerifyOptions {
  archive: WarcArchive;
  context: QueueContext;
  /** Where repairs queue a fresh fetch. */
  crawl: Producer<'crawl'>;
  /** Queue a fresh fetch of every page whose archived copy is unreadable, and drop its stale parse job. */
  repair?: boolean;
  onProgress?: ProgressListener;
}

export interface BadReference {
  /** `parse:<state>` for a parse job, `ledger` for a page's last archived copy. */
  where: string;
  url: string;
  ref: ArchiveRef;
  /** `archive-not-found`, `archive-corrupt` or `archive-io`. */
  reason: string;
  jobId?: string;
}

export interface ArchiveVerifyResult {
  checked: number;
  ok: number;
  bad: BadReference[];
  /** Fresh fetches queued by `repair`. */
  refetched: number;
  /** Stale parse jobs removed by `repair`. */
  removedJobs: number;
}

const PARSE_STATES = ['waiting', 'prioritized', 'delayed', 'active', 'failed'] as const;
const PAGE = 500;

function parseRef(value: string): ArchiveRef | undefined {
  const m = /^(.+):(\d+):(\d+)$/.exec(value);
  return m ? { file: m[1]!, offset: Number(m[2]), length: Number(m[3]) } : undefined;
}

/**
 * Checks every archive reference Gazette still holds, in the parse queue (jobs not yet done or
 * failed) and in the page ledger (each page's last archived copy), by reading the record back. With
 * `repair`, each page whose copy cannot be read is fetched again (a forced crawl) and its stale
 * parse job removed, so nothing waits on bytes that are not there.
 */
export async function verifyArchive(options: ArchiveVerifyOptions): Promise<ArchiveVerifyResult> {
  const result: ArchiveVerifyResult = { checked: 0, ok: 0, bad: [], refetched: 0, removedJobs: 0 };
  const check = async (where: string, url: string, ref: ArchiveRef, jobId?: string) => {
    result.checked++;
    try {
      await options.archive.read(ref);
      result.ok++;
    } catch (error) {
      const reason = error instanceof ArchiveError ? `archive-${error.reason}` : 'archive-io';
      result.bad.push({ where, url, ref, reason, ...(jobId ? { jobId } : {}) });
    }
    options.onProgress?.({ done: result.checked, phase: 'checking archive references' });
  };

  const parse = openQueue(options.context, 'parse');
  try {
    for (const state of PARSE_STATES) {
      for (let start = 0; ; start += PAGE) {
        const jobs = await parse.getJobs([state], start, start + PAGE - 1, true);
        for (const job of jobs) {
          const data = job.data as { url?: string; archive?: ArchiveRef };
          if (data.archive && data.url) await check(`parse:${state}`, data.url, data.archive, job.id);
        }
        if (jobs.length < PAGE) break;
      }
    }
    const redis: RedisConnection = options.context.connection;
    let cursor = '0';
    do {
      const [next, fields] = await redis.hscan(`${options.context.prefix}:pages`, cursor, 'COUNT', PAGE);
      cursor = next;
      for (let i = 1; i < fields.length; i += 2) {
        const entry = JSON.parse(fields[i]!) as PageEntry;
        const ref = entry.archive ? parseRef(entry.archive) : undefined;
        if (ref) await check('ledger', entry.url, ref);
      }
    } while (cursor !== '0');

    if (options.repair) {
      const urls = new Set<string>();
      for (const bad of result.bad) {
        if (bad.jobId && bad.where !== 'parse:active') {
          const job = await parse.getJob(bad.jobId);
          if (job) {
            await job.remove();
            result.removedJobs++;
          }
        }
        urls.add(bad.url);
      }
      for (const url of urls) {
        const id = `refetch-${createHash('sha1').update(url).digest('base64url')}`;
        await options.crawl.add({ url, force: true, hints: { from: 'replay' } }, { jobId: id });
        result.refetched++;
      }
    }
  } finally {
    await parse.close();
  }
  return result;
}
