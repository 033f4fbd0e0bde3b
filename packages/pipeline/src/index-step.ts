import { GazetteError, reasonOf, type PayloadOf } from '@gazette/jobs';
import type { BulkWriter } from '@gazette/search';
import type { ArticleHistory } from './article-history.ts';
import type { PageLedger } from './page-ledger.ts';
import type { SearchGate } from './search-gate.ts';

export interface IndexStepDeps {
  writer: BulkWriter;
  ledger?: PageLedger;
  /** Told about failures, so an Elasticsearch outage closes it. */
  gate?: SearchGate;
  /** Makes sure the articles index exists (once per process); throws a classified error. */
  prepare?: () => Promise<void>;
  /** This is the job's last attempt: a failure now is final and recorded in the ledger. */
  lastAttempt?: boolean;
  /** Gone articles: a record fetched before its article went away is not written back. */
  history?: ArticleHistory;
}

/**
 * index: writes the record through the shared bulk writer under its
 * deterministic id. Resolves once Elasticsearch acknowledged this document;
 * the page's ledger entry then says `indexed`, or, once no retry is left,
 * `index-failed` with the reason.
 */
export async function indexStep(
  job: PayloadOf<'index'>,
  deps: IndexStepDeps,
): Promise<{ id: string; skipped?: 'gone-since' }> {
  const { record } = job;
  try {
    const gone = await deps.history?.gone(record.id);
    // An older copy indexed late must not bring back an article that has gone since it was fetched.
    if (gone && gone.goneAt >= record.fetchedAt) return { id: record.id, skipped: 'gone-since' };
    await deps.prepare?.();
    await deps.writer.write(record, job.target);
    // Fetched again after it went away: the article is back.
    if (gone) await deps.history?.unmarkGone(record.id);
    await deps.ledger?.record(record.url, { state: 'indexed', articleId: record.id });
    return { id: record.id };
  } catch (error) {
    deps.gate?.noteFailure(error);
    const final = !(error instanceof GazetteError && error.retryable) || (deps.lastAttempt ?? false);
    if (final) {
      await deps.ledger
        ?.record(record.url, { state: 'index-failed', reason: reasonOf(error), articleId: record.id })
        .catch(() => undefined);
    }
    throw error;
  }
}
