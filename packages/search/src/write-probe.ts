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

/** One shard; a replica wherever there is a second node: the probe must survive a node loss like the articles. */
const CANARY_SETTINGS = { number_of_shards: 1, 'index.auto_expand_replicas': '0-1' };
const QUICK = { requestTimeout: 3_000, maxRetries: 0 };

function alreadyExists(error: unknown): boolean {
  return error instanceof errors.ResponseError && error.body?.error?.type === 'resource_already_exists_exception';
}

async function createCanary(client: Client, canary: string): Promise<void> {
  await client.indices.create({ index: canary, settings: CANARY_SETTINGS }, QUICK).catch((error: unknown) => {
    if (!alreadyExists(error)) throw error;
  });
}

/**
 * Creates the canary index beside `alias` if it is missing and resolves once its copies are active
 * (at most 10 s), so that it exists, replica included, before any outage: a canary first created in
 * the middle of one can lose its only copy with the next node. Never rejects: a failure leaves it to
 * {@link canWrite}.
 */
export async function ensureCanary(client: Client, alias: string): Promise<void> {
  await client.indices
    .create(
      { index: canaryIndexFor(alias), settings: CANARY_SETTINGS, wait_for_active_shards: 'all', timeout: '10s' },
      { requestTimeout: 12_000, maxRetries: 0 },
    )
    .catch(() => undefined);
}

/** A lost canary is started afresh at most once in this long (per canary and process). */
export const CANARY_RESTART_MS = 30_000;
const restartedAt = new Map<string, number>();

/**
 * Starts the canary afresh when every copy of it is gone (red): it holds nothing but the last
 * probe, and left red it would refuse every write for good, so the indexer would never resume. At
 * most once per {@link CANARY_RESTART_MS}, so that a cluster that cannot place any shard is not
 * asked to create and delete an index at every probe. True when it was started afresh.
 */
async function restartLostCanary(client: Client, canary: string): Promise<boolean> {
  const health = await client.cluster.health({ index: canary }, QUICK);
  if (health.status !== 'red') return false;
  const now = Date.now();
  if (now - (restartedAt.get(canary) ?? -Infinity) < CANARY_RESTART_MS) return false;
  restartedAt.set(canary, now);
  await client.indices.delete({ index: canary }, QUICK);
  await createCanary(client, canary);
  return true;
}

/**
 * Whether documents can be written now: the articles index carries no write block, and a real write
 * to a small canary index succeeds (a canary whose every copy was lost is started afresh first).
 * Health alone cannot tell: under the flood-stage block the cluster stays green while every write
 * is refused.
 */
export async function canWrite(client: Client, alias: string): Promise<boolean> {
  try {
    const settings = await client.indices.getSettings(
      { index: alias, name: WRITE_BLOCKS, flat_settings: true, allow_no_indices: true, ignore_unavailable: true },
      QUICK,
    );
    for (const entry of Object.values(settings)) {
      const flat = (entry.settings ?? {}) as Record<string, unknown>;
      if (WRITE_BLOCKS.some((block) => String(flat[block]) === 'true')) return false;
    }
    const canary = canaryIndexFor(alias);
    await createCanary(client, canary);
    const probe = () => client.index({ index: canary, id: 'probe', document: { at: new Date().toISOString() } }, QUICK);
    try {
      await probe();
    } catch (error) {
      if (!(await restartLostCanary(client, canary))) throw error;
      await probe();
    }
    return true;
  } catch {
    return false;
  }
}
