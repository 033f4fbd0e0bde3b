/**
 * Write blocks on the real Elasticsearch: the flood stage's `read_only_allow_delete` and an index
 * write block are retryable refusals (`es-write-blocked`), not bad documents, and the write probe
 * says no while either holds and yes once it is lifted.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RetryableError } from '@gazette/errors';
import { BulkWriter } from './bulk-writer.ts';
import { createSearchClient } from './client.ts';
import { dropArticleIndices, ensureArticleIndex } from './mappings.ts';
import { makeRecord } from './test-records.ts';
import { canWrite, canaryIndexFor } from './write-probe.ts';

const es = createSearchClient({ url: process.env.ELASTICSEARCH_URL! });
const alias = `test-blocks-${randomBytes(4).toString('hex')}`;

beforeAll(() => ensureArticleIndex(es, alias));
afterAll(async () => {
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
