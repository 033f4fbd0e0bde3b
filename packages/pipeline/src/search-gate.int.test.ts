/**
 * The indexer's gate on the real Elasticsearch, after its write probe's canary lost its only copy:
 * the cluster as a whole is red because of the canary alone, the articles index is fine. The gate
 * asks about the articles index, so it goes on to the write probe, which starts the canary afresh,
 * and indexing resumes (asked about the whole cluster, it would stay shut for good).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RetryableError } from '@gazette/jobs';
import { createLogger } from '@gazette/logger';
import {
  canaryIndexFor,
  createSearchClient,
  dropArticleIndices,
  ensureArticleIndex,
  isSearchUp,
} from '@gazette/search';
import { searchGateFor } from './search-gate.ts';

const es = createSearchClient({ url: process.env.ELASTICSEARCH_URL! });
const alias = `test-gate-${randomBytes(4).toString('hex')}`;
const canary = canaryIndexFor(alias);

beforeAll(() => ensureArticleIndex(es, alias));
afterAll(async () => {
  await dropArticleIndices(es, alias);
  await es.indices.delete({ index: canary, ignore_unavailable: true });
  await es.close();
});

describe('searchGateFor', () => {
  it('reopens when only its lost canary keeps the cluster red', async () => {
    // A canary no node may hold: red, as when its only copy died with its node.
    await es.indices.delete({ index: canary, ignore_unavailable: true });
    await es.indices.create({
      index: canary,
      wait_for_active_shards: 0,
      settings: { number_of_shards: 1, number_of_replicas: 0, 'index.routing.allocation.require._name': 'gone' },
    });
    expect(await isSearchUp(es)).toBe(false);

    const gate = searchGateFor(es, alias, {
      log: createLogger({ name: 'test', level: 'silent' }),
      probeMs: 0,
      settleMs: 0,
    });
    gate.noteFailure(new RetryableError('es-unavailable', 'a node went away'));
    expect(gate.open).toBe(false);
    expect(await gate.available()).toBe(true);
    expect(gate.open).toBe(true);
    expect((await es.cluster.health({ index: canary })).status).toBe('green');
  });
});
