import { ArchiveError, type RawArchive } from '@gazette/archive';
import { ExtractionError, extract } from '@gazette/extract';
import { PermanentError, RetryableError, indexJobId, type PayloadOf, type Producer } from '@gazette/jobs';
import type { Logger } from '@gazette/logger';
import type { PageLedger } from './page-ledger.ts';

export interface ParseStepDeps {
  archive: RawArchive;
  index: Producer<'index'>;
  ledger: PageLedger;
  log: Logger;
  /** The extractor; defaults to the current parser (a re-parse test passes a newer one). */
  extract?: typeof extract;
}

export type ParseOutcome =
  | { outcome: 'article'; id: string; canonicalUrl: string; wordCount: number }
  | { outcome: 'not-article'; reason: string; detail: string };

/**
 * parse: reads the raw page from the archive, extracts the canonical record
 * and hands it to the index queue. A page that is not an article is recorded
 * as such and not indexed; a page that cannot be parsed fails permanently with
 * its reason (and can be replayed once the parser is fixed).
 */
export async function parseStep(job: PayloadOf<'parse'>, deps: ParseStepDeps): Promise<ParseOutcome> {
  let page;
  try {
    page = await deps.archive.read(job.archive);
  } catch (error) {
    if (error instanceof ArchiveError && error.reason !== 'io') {
      await deps.ledger.record(job.url, { state: 'parse-failed', reason: `archive-${error.reason}` });
      throw new PermanentError(`archive-${error.reason}`, error.message, { cause: error });
    }
    throw new RetryableError('archive-io', `could not read the archive: ${String(error)}`, { cause: error });
  }

  let result;
  try {
    result = (deps.extract ?? extract)({
      body: page.body,
      url: page.finalUrl,
      contentType: page.headers['content-type'],
      fetchedAt: page.fetchedAt,
      ...(job.hints ? { hints: job.hints } : {}),
    });
  } catch (error) {
    if (error instanceof ExtractionError) {
      await deps.ledger.record(job.url, { state: 'parse-failed', reason: error.reason });
      throw new PermanentError(`extract-${error.reason}`, error.message, { cause: error });
    }
    await deps.ledger.record(job.url, { state: 'parse-failed', reason: 'parser-crash' });
    throw new PermanentError('parser-crash', `the parser failed on this page: ${String(error)}`, { cause: error });
  }

  if (result.kind === 'not-article') {
    await deps.ledger.record(job.url, { state: 'not-article', reason: result.reason });
    deps.log.info({ reason: result.reason }, 'not an article');
    return { outcome: 'not-article', reason: result.reason, detail: result.detail };
  }

  const { record } = result;
  // Recorded before the index job exists, so the indexer's `indexed` can never be overwritten by it.
  await deps.ledger.record(job.url, { state: 'parsed', articleId: record.id });
  // One index job per archived copy and parser version: a re-delivered parse job (worker crash) adds
  // nothing twice, while a new fetch of the same page, or a new parser, is indexed again even when the
  // text did not change (the index may have been rebuilt since).
  await deps.index.add(
    { record, ...(job.runId ? { runId: job.runId } : {}) },
    { jobId: indexJobId(record, job.archive) },
  );
  return { outcome: 'article', id: record.id, canonicalUrl: record.canonicalUrl, wordCount: record.wordCount };
}
