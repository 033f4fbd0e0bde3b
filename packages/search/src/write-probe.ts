import { errors, type Client } from '@elastic/elasticsearch';

/** Index blocks that refuse document writes (`read_only_allow_delete` is what the flood stage sets). */
const WRITE_BLOCKS = ['index.blocks.write', 'index.blocks.read_only', 'index.blocks.read_only_allow_delete'];

/** The index the indexer's write probes go to, beside the articles alias. */
export const canaryIndexFor = (alias: string): string => `${alias}-canary`;

/** Why Elasticsearch refused a write as a whole, when it is a block or back-pressure rather than bad input. */
export function writeRefusal(type: string | undefined, status: number): 'es-write-blocked' | 'es-rejected' | undefined {
  if (type === 'cluster_block_exception') return 'es-write-blocked';
  if (status === 429 || type === 'es_rejected_execution_exception') return 'es-rejected';
  return undefined;
}

/**
 * Whether documents can be written now: the articles index carries no write block, and a real write
 * to a small canary index (one shard, no replica) succeeds. Health alone cannot tell: under the
 * flood-stage block the cluster stays green while every write is refused.
 */
export async function canWrite(client: Client, alias: string): Promise<boolean> {
  const quick = { requestTimeout: 3_000, maxRetries: 0 };
  try {
    const settings = await client.indices.getSettings(
      { index: alias, name: WRITE_BLOCKS, flat_settings: true, allow_no_indices: true, ignore_unavailable: true },
      quick,
    );
    for (const entry of Object.values(settings)) {
      const flat = (entry.settings ?? {}) as Record<string, unknown>;
      if (WRITE_BLOCKS.some((block) => String(flat[block]) === 'true')) return false;
    }
    const canary = canaryIndexFor(alias);
    await client.indices
      .create(
        {
          index: canary,
          // A replica wherever there is a second node: the probe must survive a node loss like the articles.
          settings: { number_of_shards: 1, 'index.auto_expand_replicas': '0-1' },
        },
        quick,
      )
      .catch((error: unknown) => {
        if (!(error instanceof errors.ResponseError && error.body?.error?.type === 'resource_already_exists_exception'))
          throw error;
      });
    await client.index({ index: canary, id: 'probe', document: { at: new Date().toISOString() } }, quick);
    return true;
  } catch {
    return false;
  }
}
