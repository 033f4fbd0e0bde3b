/**
 * Write blocks on the real Elasticsearch: the flood stage's `read_only_allow_delete` and an index
 * write block are retryable refusals (`es-write-blocked`), not bad documents, and the write probe
 * says no while either holds and yes once it is lifted. A canary whose every copy is gone is started
 * afresh, at most once in a while.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RetryableError } from '@gazette/errors';
import { BulkWriter } from './bulk-writer.ts';
import { createSearchClient } from './client.ts';
import { dropArticleIndices, ensureArticleIndex } from './mappings.ts';
import { createRedIndex, makeRecord } from './test-records.ts';
import { canWrite, canaryIndexFor, ensureCanary } from './write-probe.ts';

const es = createSearchClient({ url: process.env.ELASTICSEARCH_URL! });
const alias = `test-blocks-${randomBytes(4).toString('hex')}`;

// Elasticsearch lifts `read_only_allow_delete` by itself at its next disk check (every 30 s, or
// sooner) when the disk has room: that could lift the block between the test setting it and the
// probe reading it. Without disk checks nothing is lifted behind the test's back.
const DISK_CHECKS = 'cluster.routing.allocation.disk.threshold_enabled';

beforeAll(async () => {
  await es.cluster.putSettings({ persistent: { [DISK_CHECKS]: false } });
  await ensureArticleIndex(es, alias);
});
afterAll(async () => {
  await es.cluster.putSettings({ persistent: { [DISK_CHECKS]: null } });
  await es.indices.putSettings({
    index: alias,
    settings: { 'index.blocks.read_only_allow_delete': null, 'index.blocks.write': null },
  });
  await dropArticleIndices(es, alias);
  await es.indices.delete({ index: canaryIndexFor(alias), ignore_unavailable: true });
  await es.close();
});

describe('write blocks', () => {
  for (const block of ['index.blocks.read_only_allow_delete', 'index.blocks.write']) {
    it(`refuses documents under ${block} with a retryable reason, and the probe sees it`, async () => {
      expect(await canWrite(es, alias)).toBe(true);
      await es.indices.putSettings({ index: alias, settings: { [block]: true } });
      const writer = new BulkWriter({ client: es, index: alias, flushIntervalMs: 10 });
      const failure = await writer
        .write(
          makeRecord({
            url: `https://news.example/${block}`,
            title: 'Blocked',
            body: 'A story written under a block.',
          }),
        )
        .catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(RetryableError);
      expect((failure as RetryableError).reason).toBe('es-write-blocked');
      expect(await canWrite(es, alias)).toBe(false);

      await es.indices.putSettings({ index: alias, settings: { [block]: null } });
      expect(await canWrite(es, alias)).toBe(true);
      await writer.write(
        makeRecord({ url: `https://news.example/${block}`, title: 'Blocked', body: 'A story written under a block.' }),
      );
      await writer.close();
    });
  }
});

describe('the canary', () => {
  it('is created with its copies active before any probe', async () => {
    const other = `test-canary-${randomBytes(4).toString('hex')}`;
    try {
      await ensureCanary(es, other);
      const health = await es.cluster.health({ index: canaryIndexFor(other) });
      expect(health.status).toBe('green');
      await ensureCanary(es, other); // already there: no error
    } finally {
      await es.indices.delete({ index: canaryIndexFor(other), ignore_unavailable: true });
    }
  });

  it('is started afresh when every copy of it is gone, at most once in a while', async () => {
    const other = `test-lost-${randomBytes(4).toString('hex')}`;
    const canary = canaryIndexFor(other);
    // A canary no node may hold: red, as when its only copy died with its node.
    const lost = async () => {
      await createRedIndex(es, canary);
      expect((await es.cluster.health({ index: canary })).status).toBe('red');
    };
    try {
      await ensureArticleIndex(es, other);
      await lost();
      expect(await canWrite(es, other)).toBe(true);
      expect((await es.cluster.health({ index: canary })).status).toBe('green');
      const probe = await es.get<{ at: string }>({ index: canary, id: 'probe' });
      expect(probe.found).toBe(true);
      // Lost again within the restart interval: the probe says no rather than churn indices.
      await lost();
      expect(await canWrite(es, other)).toBe(false);
      expect((await es.cluster.health({ index: canary })).status).toBe('red');
    } finally {
      await dropArticleIndices(es, other);
      await es.indices.delete({ index: canary, ignore_unavailable: true });
    }
  });
});
