/**
 * Health on the real Elasticsearch, one index at a time: the indexer's gate and its readiness check
 * ask about the articles index only, so another index's being red (another application's in a
 * shared cluster, or the write probe's own canary after losing its node) does not stop indexing.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSearchClient, indexHealth, isSearchUp } from './client.ts';
import { dropArticleIndices, ensureArticleIndex } from './mappings.ts';
import { createRedIndex } from './test-records.ts';

const es = createSearchClient({ url: process.env.ELASTICSEARCH_URL! });
const suffix = randomBytes(4).toString('hex');
const alias = `test-health-${suffix}`;
const elsewhere = `test-health-red-${suffix}`;

beforeAll(() => ensureArticleIndex(es, alias));
afterAll(async () => {
  await dropArticleIndices(es, alias);
  await es.indices.delete({ index: elsewhere, ignore_unavailable: true });
  await es.close();
});

describe('index health', () => {
  it('reads one index through its alias, and says when it does not exist yet', async () => {
    expect(['green', 'yellow']).toContain(await indexHealth(es, alias));
    expect(await indexHealth(es, `test-health-never-${suffix}`)).toBe('missing');
    expect(await isSearchUp(es, `test-health-never-${suffix}`)).toBe(true);
  });

  it('is not held back by another red index, and is by its own', async () => {
    // Kept for as short a time as the checks take, since it turns the shared cluster red.
    await createRedIndex(es, elsewhere);
    try {
      const [cluster, ours, theirs, theirsUp] = await Promise.all([
        isSearchUp(es),
        isSearchUp(es, alias),
        indexHealth(es, elsewhere),
        isSearchUp(es, elsewhere),
      ]);
      expect(cluster).toBe(false);
      expect(ours).toBe(true);
      expect(theirs).toBe('red');
      expect(theirsUp).toBe(false);
    } finally {
      await es.indices.delete({ index: elsewhere, ignore_unavailable: true });
    }
  });

  it('says no when Elasticsearch does not answer', async () => {
    const nowhere = createSearchClient({ url: 'http://127.0.0.1:9' });
    try {
      await expect(indexHealth(nowhere, alias)).rejects.toThrow();
      expect(await isSearchUp(nowhere, alias)).toBe(false);
    } finally {
      await nowhere.close();
    }
  });
});
