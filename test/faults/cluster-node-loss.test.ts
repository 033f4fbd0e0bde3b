/**
 * Fault: Gazette scaled out — a Redis Cluster (3 masters, 3 replicas), a three-node Elasticsearch
 * cluster and the archive in an S3 bucket, with two crawlers, two parsers and two indexers. In the
 * middle of the run one Elasticsearch node and the Redis master holding the queues are SIGKILLed;
 * the replica takes over. Every accepted URL ends indexed or failed with a reason, each article
 * indexed once. The clusters are started (or reused) by the infra scripts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEsCluster, startLocalS3, startRedisCluster, type LocalRedisCluster } from '@gazette/devstack';
import { PipelineHarness, waitFor } from '../support/pipeline-harness.ts';

const PAGES = 200;
let h: PipelineHarness;
let redis: LocalRedisCluster;
let es: Awaited<ReturnType<typeof startEsCluster>>;

beforeAll(async () => {
  [redis, es] = await Promise.all([startRedisCluster(), startEsCluster()]);
  const s3 = await startLocalS3();
  h = new PipelineHarness({
    name: 'cluster',
    redisUrl: redis.url,
    esUrl: es.url,
    pages: PAGES,
    // Each page takes the site a second: crawling (16 at a time) paces the run, so that the pages
    // queued after the pause are still in flight when the nodes die.
    siteDelayMs: 1000,
    env: {
      ARCHIVE_S3_BUCKET: s3.bucket,
      ARCHIVE_S3_PREFIX: `faults-cluster-${Date.now()}/`,
      ARCHIVE_S3_ENDPOINT: s3.endpoint,
      ARCHIVE_S3_FORCE_PATH_STYLE: 'true',
      ARCHIVE_S3_ACCESS_KEY_ID: s3.accessKeyId,
      ARCHIVE_S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
    },
  });
  await h.setUp();
}, 900_000);

afterAll(async () => {
  await h?.tearDown();
  // The killed Redis node rejoins as a replica; the Elasticsearch node is started again by the next start.
  await redis?.restore();
});

async function indexedCount(urls: string[]): Promise<number> {
  return (await h.ledger(urls)).filter((e) => e?.state === 'indexed').length;
}

describe('node loss on a scaled-out deployment', () => {
  it('loses and duplicates nothing when an Elasticsearch node and a Redis master die mid-run', async () => {
    const urls = h.site.articleUrls;
    for (const instance of [1, 2]) {
      await h.start('crawler', { CRAWLER_CONCURRENCY: '8' }, instance);
      await h.start('parser', {}, instance);
      await h.start('indexer', { INDEXER_FLUSH_MS: '200' }, instance);
    }
    // A first part of the pages runs end to end before the nodes die and the rest is queued after,
    // so most pages are still to come when they die, however fast the pipeline gets through the first.
    const first = urls.slice(0, 40);
    await h.enqueue(first);

    // Kill once the pipeline runs end to end.
    await waitFor(async () => (await indexedCount(urls)) >= 20, {
      timeoutMs: 300_000,
      what: 'the first pages indexed',
    });
    // Every shard has its replica started on another node before one dies: a node loss is survivable
    // only once the replicas exist (an index created seconds ago may not have them yet). The pipeline
    // is paused meanwhile (jobs in hand finish). The client waits as long as the cluster is asked to
    // (its own request timeout is 10 s).
    const stages = (['crawl', 'parse', 'index'] as const).map((name) => h.queue(name));
    await Promise.all(stages.map((q) => q.pause()));
    const health = await h.es.cluster.health(
      { index: h.index, wait_for_status: 'green', timeout: '120s' },
      { requestTimeout: 125_000 },
    );
    expect(health.status).toBe('green');
    const before = await indexedCount(urls);
    await h.enqueue(urls.slice(first.length));
    await Promise.all(stages.map((q) => q.resume()));
    const killedAt = Date.now();
    await es.killNode(2);
    // The master serving the queues' slot (the prefix is the hash tag).
    const port = await redis.killMaster(h.prefix);
    expect(port).toBeGreaterThan(0);

    // Recovered: pages are indexed again after both losses.
    await waitFor(async () => (await indexedCount(urls)) > before + 10, {
      timeoutMs: 300_000,
      intervalMs: 200,
      what: 'indexing to resume after the node loss',
    });
    const recoveryMs = Date.now() - killedAt;

    await h.waitUntilSettled(urls, 480_000);
    const { indexed, failed } = await h.assertAccounting(urls);
    console.log(
      `cluster node loss: accepted ${urls.length} = indexed ${indexed} + failed ${failed}; ` +
        `0 lost, 0 duplicated; recovered in ${(recoveryMs / 1000).toFixed(1)} s ` +
        `(killed Elasticsearch node 2 and the Redis master on port ${port} with ${before} pages indexed)`,
    );
    expect(indexed + failed).toBe(urls.length);
  }, 900_000);
});
