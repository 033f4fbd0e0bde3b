import type { Client } from '@elastic/elasticsearch';

/** Bumped when the mapping changes; `gazette reindex` builds a new index of the new version. */
export const INDEX_MAPPING_VERSION = 1;

/**
 * Which text analysis the cluster can do. A node started without the
 * analysis-common module has only the `standard` analyzer; with it, Gazette
 * uses the language analyzers.
 */
export interface AnalysisSupport {
  english: boolean;
}

export async function detectAnalysis(client: Client): Promise<AnalysisSupport> {
  try {
    await client.indices.analyze({ analyzer: 'english', text: 'running' });
    return { english: true };
  } catch {
    return { english: false };
  }
}

/** Index settings and mappings of an articles index, for what the cluster supports. */
export function articleIndexBody(support: AnalysisSupport) {
  const text = support.english ? 'english' : 'standard';
  return {
    settings: {
      number_of_shards: 1,
      number_of_replicas: 0,
      refresh_interval: '1s',
    },
    mappings: {
      dynamic: 'strict' as const,
      _meta: { gazetteMappingVersion: INDEX_MAPPING_VERSION, textAnalyzer: text },
      properties: {
        schemaVersion: { type: 'integer' as const },
        id: { type: 'keyword' as const },
        url: { type: 'keyword' as const },
        canonicalUrl: { type: 'keyword' as const },
        site: { type: 'keyword' as const },
        siteName: { type: 'keyword' as const },
        title: {
          type: 'text' as const,
          analyzer: text,
          fields: {
            raw: { type: 'keyword' as const, ignore_above: 512 },
            std: { type: 'text' as const, analyzer: 'standard' },
          },
        },
        description: { type: 'text' as const, analyzer: text },
        authors: { type: 'keyword' as const },
        publishedAt: { type: 'date' as const },
        modifiedAt: { type: 'date' as const },
        language: { type: 'keyword' as const },
        section: { type: 'keyword' as const },
        tags: { type: 'keyword' as const },
        leadImage: { type: 'keyword' as const, index: false },
        body: {
          type: 'text' as const,
          analyzer: text,
          term_vector: 'with_positions_offsets' as const,
          fields: { std: { type: 'text' as const, analyzer: 'standard' } },
        },
        wordCount: { type: 'integer' as const },
        relatedLinks: {
          properties: { url: { type: 'keyword' as const }, text: { type: 'text' as const, analyzer: 'standard' } },
        },
        outLinks: { type: 'keyword' as const },
        contentHash: { type: 'keyword' as const },
        simhash: { type: 'keyword' as const },
        fetchedAt: { type: 'date' as const },
        parserVersion: { type: 'keyword' as const },
        indexedAt: { type: 'date' as const },
      },
    },
  };
}

/**
 * Makes sure `alias` points at an articles index, creating `<alias>-v<version>-<stamp>`
 * behind it when missing. Safe to call from several processes at once.
 */
export async function ensureArticleIndex(client: Client, alias: string): Promise<string> {
  const existing = await client.indices.getAlias({ name: alias }).catch((e: unknown) => {
    if ((e as { statusCode?: number }).statusCode === 404) return undefined;
    throw e;
  });
  if (existing) {
    const name = Object.keys(existing)[0];
    if (name) return name;
  }
  const support = await detectAnalysis(client);
  const index = `${alias}-v${INDEX_MAPPING_VERSION}`;
  try {
    await client.indices.create({
      index,
      ...articleIndexBody(support),
      aliases: { [alias]: { is_write_index: true } },
    });
  } catch (error) {
    const type = (error as { body?: { error?: { type?: string } } }).body?.error?.type;
    if (type !== 'resource_already_exists_exception') throw error;
  }
  return index;
}
