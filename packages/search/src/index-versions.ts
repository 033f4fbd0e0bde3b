import type { Client } from '@elastic/elasticsearch';
import { aliasTargets, articleTemplateFor } from './mappings.ts';

/** One version of the articles index behind an alias. */
export interface IndexVersion {
  index: string;
  /** The alias points at it (the live version). */
  live: boolean;
  docs: number;
  bytes: number;
  createdAt: string;
  /** The Gazette mapping version it was built with (`INDEX_MAPPING_VERSION` then; 1 before it was recorded). */
  mappingVersion: number;
}

/** Every version of the articles index of `alias` (`<alias>-v*`), newest first. */
export async function listIndexVersions(client: Client, alias: string): Promise<IndexVersion[]> {
  const { pattern } = articleTemplateFor(alias);
  const [rows, live, mappings] = await Promise.all([
    client.cat.indices({ index: pattern, format: 'json', h: 'index,docs.count,store.size,creation.date', bytes: 'b' }),
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
