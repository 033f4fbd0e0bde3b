import type { PayloadOf } from '@gazette/jobs';
import { classifySearchError, getArticle } from '@gazette/search';
import type { ArticleHistory, GoneArticle } from './article-history.ts';

/** The Elasticsearch client the search package works with. */
type Client = Parameters<typeof getArticle>[0];

export interface RetireStepDeps {
  es: Client;
  /** Articles alias (or index). */
  index: string;
  history: ArticleHistory;
}

/**
 * retire: an indexed article whose page went away (404/410) or now shows something else leaves the
 * index (so search, related articles and stories no longer return it) and is kept as a gone record
 * with its last indexed record, the status and the date. Running it twice moves nothing twice: an
 * article already out of the index keeps the record and date of its first removal.
 */
export async function retireStep(
  job: PayloadOf<'retire'>,
  deps: RetireStepDeps,
): Promise<{ outcome: 'retired' | 'already-gone' | 'not-indexed' | 'newer-copy'; id: string }> {
  const id = job.articleId;
  let record;
  try {
    record = await getArticle(deps.es, deps.index, id);
  } catch (error) {
    throw classifySearchError(error, `reading article ${id}`);
  }
  // Indexed again from a fetch after this one (the article is served again): nothing to retire.
  if (record && record.fetchedAt > job.at) return { outcome: 'newer-copy', id };
  const before = await deps.history.gone(id);
  if (!record && before) return { outcome: 'already-gone', id };
  const entry: GoneArticle = {
    id,
    url: job.url,
    state: 'gone',
    goneAt: job.at,
    status: job.status,
    reason: job.reason,
    record,
  };
  // The gone record is written before the document leaves the index: nothing is ever in neither.
  await deps.history.markGone(entry);
  if (!record) return { outcome: 'not-indexed', id };
  try {
    await deps.es.delete({ index: deps.index, id }, { ignore: [404] });
  } catch (error) {
    throw classifySearchError(error, `removing article ${id}`);
  }
  return { outcome: 'retired', id };
}
