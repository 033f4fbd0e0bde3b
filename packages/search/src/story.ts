/**
 * Story grouping: the articles that report the same story as a given article, in time order, the
 * first report marked and near-duplicate copies folded under the article they copy. Built on the
 * related lookup: its re-ranked candidates are members when their score clears a floor and is
 * close enough to the best candidate's.
 */
import type { Client } from '@elastic/elasticsearch';
import type { ArticleRecord } from '@gazette/article';
import { duplicatesOf, getArticle, relatedArticles, type ArticleSummary, type RelatedTuning } from './queries.ts';

export interface StoryOptions {
  /** Related candidates considered (1-100). */
  depth?: number;
  /** A candidate joins when its related score is at least this (scores of the re-ranked lookup). */
  minScore?: number;
  /** ... and at least this share of the best candidate's score. */
  minShare?: number;
  tuning?: Partial<RelatedTuning>;
}

/**
 * Defaults chosen on the first fold of the development set (odd topics) and checked on the second
 * (see the package README); `npm run bench:related` prints both.
 */
export const DEFAULT_STORY_OPTIONS: Required<Omit<StoryOptions, 'tuning'>> = {
  depth: 30,
  minScore: 0.5,
  minShare: 0.6,
};

export interface StoryArticle extends Omit<ArticleSummary, 'duplicates'> {
  /** The earliest dated report of the story. */
  first: boolean;
  /** Near-duplicate copies of this article, folded under it. */
  copies: ArticleSummary[];
}

export interface Story {
  id: string;
  /** The id of the first report (the earliest dated article), or null when no member has a date. */
  firstReport: string | null;
  /** Members in time order (undated ones last), the article itself included. */
  articles: StoryArticle[];
}

function recordSummary(r: ArticleRecord): ArticleSummary {
  return {
    id: r.id,
    score: null,
    title: r.title,
    url: r.url,
    canonicalUrl: r.canonicalUrl,
    site: r.site,
    publishedAt: r.publishedAt,
    authors: r.authors,
    language: r.language,
  };
}

/** Which related candidates belong to the story (pure; exported for tests). */
export function storyMembers<T extends { score: number | null }>(
  candidates: T[],
  options: Pick<StoryOptions, 'minScore' | 'minShare'> = {},
): T[] {
  const minScore = options.minScore ?? DEFAULT_STORY_OPTIONS.minScore;
  const minShare = options.minShare ?? DEFAULT_STORY_OPTIONS.minShare;
  const best = Math.max(0, ...candidates.map((c) => c.score ?? 0));
  return candidates.filter((c) => c.score !== null && c.score >= minScore && c.score >= minShare * best);
}

/** Orders story members by publication date (undated last, then by id) and marks the first report. */
export function orderStory(members: Array<Omit<StoryArticle, 'first'>>): {
  firstReport: string | null;
  articles: StoryArticle[];
} {
  const time = (a: { publishedAt: string | null }) => (a.publishedAt ? Date.parse(a.publishedAt) : Infinity);
  const sorted = [...members].sort((a, b) => time(a) - time(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const first = sorted[0] && sorted[0].publishedAt ? sorted[0].id : null;
  return { firstReport: first, articles: sorted.map((a) => ({ ...a, first: a.id === first })) };
}

/** The story of article `id`, or null when `id` is not indexed. */
export async function storyOf(
  client: Client,
  index: string,
  id: string,
  options: StoryOptions = {},
): Promise<Story | null> {
  const depth = Math.min(Math.max(options.depth ?? DEFAULT_STORY_OPTIONS.depth, 1), 100);
  const [record, related, ownCopies] = await Promise.all([
    getArticle(client, index, id),
    relatedArticles(client, index, id, {
      k: depth,
      duplicates: true,
      ...(options.tuning ? { tuning: options.tuning } : {}),
    }),
    duplicatesOf(client, index, id),
  ]);
  if (!record || !related) return null;
  const members: Array<Omit<StoryArticle, 'first'>> = [
    { ...recordSummary(record), copies: ownCopies ?? [] },
    ...storyMembers(related, options).map(({ duplicates, ...summary }) => ({ ...summary, copies: duplicates ?? [] })),
  ];
  return { id, ...orderStory(members) };
}
