import type { Client } from '@elastic/elasticsearch';

/** Articles indexed per minute over the last `minutes` minutes (oldest first, empty minutes included). */
export async function articlesPerMinute(
  es: Client,
  index: string,
  minutes = 60,
  now = new Date(),
): Promise<Array<{ minute: string; count: number }>> {
  const end = Math.floor(now.getTime() / 60_000) * 60_000;
  const start = end - (minutes - 1) * 60_000;
  const res = await es
    .search({
      index,
      size: 0,
      query: { range: { indexedAt: { gte: new Date(start).toISOString() } } },
      aggs: {
        perMinute: {
          date_histogram: {
            field: 'indexedAt',
            fixed_interval: '1m',
            min_doc_count: 0,
            extended_bounds: { min: start, max: end },
          },
        },
      },
    })
    .catch((error: unknown) => {
      if ((error as { statusCode?: number }).statusCode === 404) return null;
      throw error;
    });
  const buckets = (res?.aggregations?.perMinute as { buckets?: Array<{ key: number; doc_count: number }> } | undefined)
    ?.buckets;
  const counts = new Map((buckets ?? []).map((b) => [b.key, b.doc_count]));
  const out: Array<{ minute: string; count: number }> = [];
  for (let t = start; t <= end; t += 60_000) out.push({ minute: new Date(t).toISOString(), count: counts.get(t) ?? 0 });
  return out;
}

export interface RecentArticle {
  id: string;
  url: string;
  title: string;
  site: string | null;
  indexedAt: string;
}

/** The `size` articles indexed last, newest first (none when the index does not exist yet). */
export async function recentArticles(es: Client, index: string, size = 10): Promise<RecentArticle[]> {
  const res = await es
    .search<{ url?: string; title?: string; site?: string; indexedAt?: string }>({
      index,
      size,
      sort: [{ indexedAt: 'desc' }],
      _source: ['url', 'title', 'site', 'indexedAt'],
      query: { exists: { field: 'indexedAt' } },
    })
    .catch((error: unknown) => {
      if ((error as { statusCode?: number }).statusCode === 404) return null;
      throw error;
    });
  return (res?.hits.hits ?? []).map((h) => ({
    id: h._id ?? '',
    url: h._source?.url ?? '',
    title: h._source?.title ?? '',
    site: h._source?.site ?? null,
    indexedAt: h._source?.indexedAt ?? '',
  }));
}
