import type { Client } from '@elastic/elasticsearch';
import { attachCopies, SUMMARY_FIELDS, toSummary, type ArticleSummary } from './article-reads.ts';
import { filterClauses, list, type ArticleFilters } from './filters.ts';
import { queryFieldProblem } from './query-fields.ts';
import { plainWords, queryStringOf } from './query-text.ts';

/* Full-text search: the request, its cursor, query-syntax errors, and copies standing in for their group. */

export type SearchSort = 'relevance' | 'date';

export interface SearchOptions extends ArticleFilters {
  /**
   * Query string: words (all must match), "phrases", field:value (title, body, description, site,
   * author, tag, language, section), OR, -exclusion, wildcards. Empty: every article.
   */
  q?: string;
  author?: string | string[];
  tag?: string | string[];
  sort?: SearchSort;
  size?: number;
  /** Offset, for shallow pages (up to 10,000). Prefer `after`. */
  from?: number;
  /** The `next` cursor of the previous page (search_after). */
  after?: string;
  /** Highlighted snippets of title and body (default true). */
  highlight?: boolean;
  /** Include near-duplicate copies as results of their own instead of collapsing them (default false). */
  includeDuplicates?: boolean;
  /** List each result's near-duplicate copies under `duplicates`. */
  duplicates?: boolean;
}

export interface SearchResult {
  total: number;
  /** `eq` when `total` is exact, `gte` when it is a lower bound. */
  totalRelation?: 'eq' | 'gte';
  hits: ArticleSummary[];
  /** Cursor of the next page (pass as `after`), or null after the last page. */
  next?: string | null;
  /**
   * `words` when `q` was not a query Elasticsearch could read (`AC/DC`, `wind!`, `[draft`, a lone
   * `OR`) and was searched as plain words instead; absent when its syntax was read as written.
   */
  readAs?: 'words';
}

/**
 * Thrown for a field the query string may not name, a bad cursor or page, and a query string
 * Elasticsearch cannot parse even as plain words ({@link searchArticles} tries those once).
 */
export class SearchQueryError extends Error {
  override name = 'SearchQueryError';
  /** The request parameter at fault. */
  readonly param: 'q' | 'after' | 'from' | 'size';
  /** Elasticsearch refused the query string itself (its syntax), as opposed to a field it may not name. */
  readonly unreadable: boolean;
  constructor(message: string, param: SearchQueryError['param'] = 'q', unreadable = false) {
    super(message.startsWith(`${param}:`) ? message : `${param}: ${message}`);
    this.param = param;
    this.unreadable = unreadable;
  }
}

/** Elasticsearch's default `index.max_result_window`: from + size may not pass it. */
export const MAX_RESULT_WINDOW = 10_000;

export const SEARCH_FIELDS = ['title^3', 'description^2', 'body', 'i18n.*.title^3', 'i18n.*.body'];

function encodeCursor(sort: unknown[]): string {
  return Buffer.from(JSON.stringify(sort)).toString('base64url');
}

/**
 * A `next` cursor back into sort values. Its shape is checked against the sort it must continue
 * (`[score, date|null, id]` by relevance, `[date|null, id]` by date), so a tampered cursor is the
 * caller's mistake in `after`, never a failed search.
 */
function decodeCursor(cursor: string, byDate: boolean): Array<string | number | null> {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    const finite = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
    const date = (v: unknown) => v === null || (finite(v) && Number.isSafeInteger(v));
    const id = (v: unknown) => typeof v === 'string' && v.length <= 64;
    if (Array.isArray(value)) {
      if (byDate && value.length === 2 && date(value[0]) && id(value[1])) return value as Array<number | string | null>;
      if (!byDate && value.length === 3 && finite(value[0]) && date(value[1]) && id(value[2]))
        return value as Array<number | string | null>;
    }
  } catch {
    // reported below
  }
  throw new SearchQueryError('not a cursor returned by a previous search with the same q and sort', 'after');
}

/**
 * The search request for `options` (pure; exported for tests). `standIns` are copies that stand for
 * their near-duplicate group because its representative does not match the filters.
 */
export function buildSearchRequest(index: string, options: SearchOptions, standIns: string[] = []) {
  const size = Math.min(Math.max(options.size ?? 10, 1), 100);
  const q = options.q?.trim();
  const fieldProblem = q ? queryFieldProblem(queryStringOf(q)) : null;
  if (fieldProblem) throw new SearchQueryError(fieldProblem, 'q');
  if (!options.after && (options.from ?? 0) + size > MAX_RESULT_WINDOW)
    throw new SearchQueryError(`from + size must be at most ${MAX_RESULT_WINDOW}; page further with after`, 'from');
  const must = q
    ? [
        {
          query_string: {
            query: queryStringOf(q),
            fields: SEARCH_FIELDS,
            default_operator: 'and' as const,
            lenient: true,
            allow_leading_wildcard: false,
          },
        },
      ]
    : [{ match_all: {} }];
  const mustNot = options.includeDuplicates
    ? []
    : standIns.length
      ? [{ bool: { filter: [{ term: { duplicate: true } }], must_not: [{ ids: { values: standIns } }] } }]
      : [{ term: { duplicate: true } }];
  const sortByDate = options.sort === 'date' || !q;
  const searchAfter = options.after ? decodeCursor(options.after, sortByDate) : undefined;
  const sort = sortByDate
    ? [{ publishedAt: { order: 'desc' as const, missing: '_last' as const } }, { id: 'asc' as const }]
    : [
        { _score: { order: 'desc' as const } },
        { publishedAt: { order: 'desc' as const, missing: '_last' as const } },
        { id: 'asc' as const },
      ];
  return {
    index,
    size,
    ...(searchAfter ? { search_after: searchAfter } : { from: options.from ?? 0 }),
    _source: SUMMARY_FIELDS,
    track_scores: true,
    query: { bool: { must, filter: filterClauses(options), must_not: mustNot } },
    sort,
    ...(options.highlight === false || !q
      ? {}
      : {
          highlight: {
            pre_tags: ['<em>'],
            post_tags: ['</em>'],
            encoder: 'html' as const,
            fields: {
              title: { number_of_fragments: 0 },
              body: { fragment_size: 160, number_of_fragments: 2, no_match_size: 160 },
            },
          },
        }),
  };
}

function isQueryError(error: unknown): boolean {
  const e = error as {
    statusCode?: number;
    body?: { error?: { type?: string; root_cause?: Array<{ type?: string }> } };
  };
  // The request is built from the caller's q, page and cursor: a 400 is always one of those.
  return e.statusCode === 400 && e.body?.error !== undefined;
}

/**
 * Full-text search over title (boosted), description and body with query-string syntax, filters,
 * relevance or date order, highlighted snippets and search_after pagination. Near-duplicate copies
 * are left out (their group's first article stands for them) unless asked for.
 */
export async function searchArticles(client: Client, index: string, options: SearchOptions): Promise<SearchResult> {
  try {
    return await searchAsWritten(client, index, options);
  } catch (error) {
    // A reader's text that is not valid syntax is still a search: its words are looked for.
    if (!(error instanceof SearchQueryError) || !error.unreadable || !options.q) throw error;
    const result = await searchAsWritten(client, index, { ...options, q: plainWords(options.q) });
    return { ...result, readAs: 'words' };
  }
}

async function searchAsWritten(client: Client, index: string, options: SearchOptions): Promise<SearchResult> {
  const standIns =
    options.includeDuplicates || !narrowsCopies(options) ? [] : await copiesStandingIn(client, index, options);
  const request = buildSearchRequest(index, options, standIns);
  let res;
  try {
    res = await client.search(request);
  } catch (error) {
    if (isQueryError(error)) {
      const reason = (error as { body?: { error?: { root_cause?: Array<{ reason?: string }> } } }).body?.error
        ?.root_cause?.[0]?.reason;
      // Elasticsearch names the part it could not use: the cursor, the page window, else the query.
      const param = /search_after|sort value/i.test(reason ?? '')
        ? 'after'
        : /result window|from \+ size|\[from\]|\[size\]/i.test(reason ?? '')
          ? 'from'
          : 'q';
      const what = param === 'q' ? 'could not parse the query' : 'refused the page requested';
      throw new SearchQueryError(`Elasticsearch ${what}${reason ? `: ${reason}` : ''}`, param, param === 'q');
    }
    throw error;
  }
  const totalHits = res.hits.total;
  const total = typeof totalHits === 'number' ? totalHits : (totalHits?.value ?? 0);
  const totalRelation = typeof totalHits === 'number' ? 'eq' : (totalHits?.relation ?? 'eq');
  const hits = res.hits.hits.map((hit) => {
    const summary = toSummary(hit);
    const h = hit.highlight;
    if (h && (h['title'] || h['body'])) {
      summary.highlight = {
        ...(h['title'] ? { title: h['title'] } : {}),
        ...(h['body'] ? { body: h['body'] } : {}),
      };
    }
    return summary;
  });
  if (options.duplicates && hits.length > 0) await attachCopies(client, index, hits);
  const last = res.hits.hits[res.hits.hits.length - 1];
  const next = res.hits.hits.length === request.size && last?.sort ? encodeCursor(last.sort) : null;
  return { total, totalRelation, hits, next };
}

/** Filters on fields that differ between copies of one story (site, byline, tags, dates). */
function narrowsCopies(o: SearchOptions): boolean {
  return list(o.site).length + list(o.author).length + list(o.tag).length > 0 || !!o.since || !!o.until;
}

/**
 * Filters apply before a near-duplicate group picks its representative: for each group with a
 * matching copy whose representative does not match, the earliest matching copy stands in.
 */
async function copiesStandingIn(client: Client, index: string, options: SearchOptions): Promise<string[]> {
  const { query } = buildSearchRequest(index, { ...options, includeDuplicates: true });
  const filter = [...query.bool.filter];
  let copies;
  try {
    copies = await client.search({
      index,
      size: 0,
      query: { bool: { must: query.bool.must, filter: [...filter, { term: { duplicate: true } }] } },
      aggs: {
        groups: {
          terms: { field: 'dupGroup', size: 1000 },
          aggs: {
            first: {
              top_hits: {
                size: 1,
                _source: false,
                sort: [{ publishedAt: { order: 'asc' as const, missing: '_last' as const } }, { id: 'asc' as const }],
              },
            },
          },
        },
      },
    });
  } catch (error) {
    if (isQueryError(error)) return [];
    throw error;
  }
  type Bucket = { key: string; first: { hits: { hits: Array<{ _id?: string }> } } };
  const buckets = (copies.aggregations?.groups as { buckets?: Bucket[] } | undefined)?.buckets ?? [];
  if (buckets.length === 0) return [];
  const reps = await client.search({
    index,
    size: 0,
    query: {
      bool: {
        must: query.bool.must,
        filter: [...filter, { term: { duplicate: false } }, { terms: { dupGroup: buckets.map((b) => b.key) } }],
      },
    },
    aggs: { groups: { terms: { field: 'dupGroup', size: buckets.length } } },
  });
  const represented = new Set(
    ((reps.aggregations?.groups as { buckets?: Array<{ key: string }> } | undefined)?.buckets ?? []).map((b) => b.key),
  );
  return buckets
    .filter((b) => !represented.has(b.key))
    .map((b) => b.first.hits.hits[0]?._id)
    .filter((id): id is string => !!id);
}
