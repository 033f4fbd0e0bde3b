import type { Client } from '@elastic/elasticsearch';
import { aliasTargets, articleTemplateFor, SERVING_SEGMENTS } from './mappings.ts';

/** One version of the articles index behind an alias. */
export interface IndexVersion {
  index: string;
  /** The alias points at it (the live version). */
  live: boolean;
  docs: number;
  bytes: number;
  /** Segments of its primary shards (each search works once per segment). */
  segments: number;
  createdAt: string;
  /** The Gazette mapping version it was built with (`INDEX_MAPPING_VERSION` then; 1 before it was recorded). */
  mappingVersion: number;
}

/** Every version of the articles index of `alias` (`<alias>-v*`), newest first. */
export async function listIndexVersions(client: Client, alias: string): Promise<IndexVersion[]> {
  const { pattern } = articleTemplateFor(alias);
  const [rows, live, mappings] = await Promise.all([
    client.cat.indices({
      index: pattern,
      format: 'json',
      h: 'index,docs.count,store.size,pri.segments.count,creation.date',
      bytes: 'b',
    }),
    aliasTargets(client, alias),
    client.indices.getMapping({ index: pattern, allow_no_indices: true }),
  ]);
  const mappingVersion = (index: string): number => {
    const meta = mappings[index]?.mappings._meta as { gazetteMappingVersion?: number } | undefined;
    return meta?.gazetteMappingVersion ?? 1;
  };
  return rows
    .filter((r): r is typeof r & { index: string } => typeof r.index === 'string')
    .map((r) => ({
      index: r.index,
      live: live.includes(r.index),
      docs: Number(r['docs.count'] ?? 0),
      bytes: Number(r['store.size'] ?? 0),
      segments: Number(r['pri.segments.count'] ?? 0),
      createdAt: new Date(Number(r['creation.date'] ?? 0)).toISOString(),
      mappingVersion: mappingVersion(r.index),
    }))
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.index.localeCompare(a.index));
}

/**
 * Deletes old versions of the articles index of `alias`: every version the alias does not point
 * at, except the `keep` newest of them (a way back after a re-index). The live version is never
 * deleted. Returns the deleted indices (none with `dryRun`, which only says which).
 */
export async function pruneIndexVersions(
  client: Client,
  alias: string,
  options: { keep?: number; dryRun?: boolean } = {},
): Promise<{ deleted: string[]; kept: string[] }> {
  const versions = await listIndexVersions(client, alias);
  const old = versions.filter((v) => !v.live);
  const doomed = old.slice(options.keep ?? 0).map((v) => v.index);
  const kept = versions.map((v) => v.index).filter((i) => !doomed.includes(i));
  if (doomed.length > 0 && !options.dryRun) await client.indices.delete({ index: doomed, ignore_unavailable: true });
  return { deleted: doomed, kept };
}

/**
 * Force-merges the live version of the articles index of `alias` down to at most `segments`
 * segments per shard (default {@link SERVING_SEGMENTS}, what `gazette reindex` leaves): an index
 * the indexer keeps writing to gathers segments, and every search works once per segment. Waits
 * for the merge; searches keep working meanwhile. Returns the index and its primary segments
 * before and after; null when the alias points nowhere.
 */
export async function mergeLiveIndex(
  client: Client,
  alias: string,
  segments: number = SERVING_SEGMENTS,
): Promise<{ index: string; before: number; after: number } | null> {
  if (!Number.isInteger(segments) || segments < 1) throw new RangeError(`segments: at least 1, got ${segments}`);
  const live = (await listIndexVersions(client, alias)).find((v) => v.live);
  if (!live) return null;
  await client.indices.forcemerge({ index: live.index, max_num_segments: segments }, { requestTimeout: 3_600_000 });
  await client.indices.refresh({ index: live.index });
  const stats = await client.indices.stats({ index: live.index, metric: 'segments' });
  return { index: live.index, before: live.segments, after: stats._all.primaries?.segments?.count ?? live.segments };
}
