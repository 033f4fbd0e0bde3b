import { normalizeUrl } from '@gazette/frontier';
import type { PageLedger, PageState } from './page-ledger.ts';

const FAILED_STATE = { crawl: 'fetch-failed', parse: 'parse-failed', index: 'index-failed' } as const;

/** The URL (and article id) a job of `queue` is about, when its payload names one. */
function subjectOf(queue: keyof typeof FAILED_STATE, data: unknown): { url: string; articleId?: string } | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  if (queue === 'index') {
    const record = (data as { record?: { url?: unknown; id?: unknown } }).record;
    if (typeof record?.url !== 'string') return undefined;
    return { url: record.url, ...(typeof record.id === 'string' ? { articleId: record.id } : {}) };
  }
  const url = (data as { url?: unknown }).url;
  if (typeof url !== 'string') return undefined;
  try {
    return { url: queue === 'crawl' ? normalizeUrl(url) : url };
  } catch {
    return { url };
  }
}

/**
 * The `onFinalFailure` of a pipeline worker: a job's final failure, whatever raised it (the step, or
 * BullMQ for a job that stalled too often), leaves the page's ledger entry failed with its reason.
 * An entry the step itself already marked failed keeps the step's own, more specific reason.
 */
export function ledgerFinalFailure(
  ledger: PageLedger,
  queue: keyof typeof FAILED_STATE,
): (data: unknown, reason: string) => Promise<void> {
  const state: PageState = FAILED_STATE[queue];
  return async (data, reason) => {
    const subject = subjectOf(queue, data);
    if (!subject) return;
    if ((await ledger.get(subject.url))?.state === state) return;
    await ledger.record(subject.url, {
      state,
      reason,
      ...(subject.articleId ? { articleId: subject.articleId } : {}),
    });
  };
}
