import { ArchiveError, type RawArchive } from '@gazette/archive';
import { ExtractionError, extract } from '@gazette/extract';
import type { ArticleRecord } from '@gazette/article';
import { PermanentError, RetryableError, indexJobId, retireJobId, type PayloadOf, type Producer } from '@gazette/jobs';
import type { Logger } from '@gazette/logger';
import { recordDigest, type ArticleHistory } from './article-history.ts';
import type { PageLedger } from './page-ledger.ts';

export interface ParseStepDeps {
  archive: RawArchive;
  index: Producer<'index'>;
  ledger: PageLedger;
  log: Logger;
  /** The extractor; defaults to the current parser (a re-parse test passes a newer one). */
  extract?: typeof extract;
  /** Versions of each article (a new one when a fetch changed it); without it none are kept. */
  history?: ArticleHistory;
  /** An article whose URL now leads to another article or to no article leaves search through this queue. */
  retire?: Producer<'retire'>;
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

  const before = job.reparse ? null : await deps.ledger.get(job.url);
  const archived = `${job.archive.file}:${job.archive.offset}:${job.archive.length}`;
  const retireBefore = async (reason: string) => {
    const articleId = before?.articleId;
    if (!articleId || !deps.retire) return;
    await deps.retire.add(
      { articleId, url: job.url, status: page.status, reason, at: page.fetchedAt },
      { jobId: retireJobId(articleId, archived) },
    );
  };

  if (result.kind === 'not-article') {
    // The URL was an article and now is something else (a redirect to the home page, a notice).
    await retireBefore(`now-${result.reason}`);
    await deps.ledger.record(job.url, { state: 'not-article', reason: result.reason, articleId: undefined });
    deps.log.info({ reason: result.reason }, 'not an article');
    return { outcome: 'not-article', reason: result.reason, detail: result.detail };
  }

  let { record } = result;
  if (before?.articleId && before.articleId !== record.id) await retireBefore('moved');
  // A re-parse rebuilds records from old copies: not a new version of anything.
  if (deps.history && !job.reparse)
    record = await noteVersion(record, page.headers['last-modified'], archived, deps.history);
  if (job.sourceId) await deps.ledger.noteArticle(job.sourceId, job.url);
  // Recorded before the index job exists, so the indexer's `indexed` is never overwritten by it; a
  // parse job run again after its process died (its index job may be done) leaves `indexed` alone.
  await deps.ledger.record(job.url, { state: 'parsed', articleId: record.id }, { unlessAlready: 'indexed' });
  // One index job per archived copy and parser version: a re-delivered parse job (worker crash) adds
  // nothing twice, while a new fetch of the same page, or a new parser, is indexed again even when the
  // text did not change (the index may have been rebuilt since).
  await deps.index.add(
    { record, ...(job.runId ? { runId: job.runId } : {}) },
    { jobId: indexJobId(record, job.archive) },
  );
  return { outcome: 'article', id: record.id, canonicalUrl: record.canonicalUrl, wordCount: record.wordCount };
}

/** When the page itself does not say, an article edited since the last version seen gets this version's time. */
async function noteVersion(
  record: ArticleRecord,
  lastModifiedHeader: string | undefined,
  archived: string,
  history: ArticleHistory,
): Promise<ArticleRecord> {
  let dated = record;
  if (!record.modifiedAt) {
    const latest = await history.latest(record.id);
    // A new parser may read the same page differently: only the same parser's reading tells an edit.
    if (latest && latest.parserVersion === record.parserVersion && latest.digest !== recordDigest(record)) {
      // The server's Last-Modified when it falls after the version before, else when the change was seen.
      const header = lastModifiedHeader ? Date.parse(lastModifiedHeader) : NaN;
      const at =
        header > Date.parse(latest.fetchedAt) && header <= Date.parse(record.fetchedAt) + 60_000 ? header : NaN;
      dated = { ...record, modifiedAt: Number.isNaN(at) ? record.fetchedAt : new Date(at).toISOString() };
    } else if (latest) {
      dated = { ...record, modifiedAt: latest.modifiedAt };
    }
  }
  await history.noteVersion(dated, archived);
  return dated;
}
