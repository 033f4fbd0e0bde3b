/**
 * One pipeline under test: its own queue prefix, index and archive folder, the crawler, parser and
 * indexer as processes, a generated news site, and the accounting every fault scenario ends with:
 * each accepted article URL is indexed exactly once or failed with a reason.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { RedisConnection } from '@gazette/jobs';
import { Queue, type Job } from 'bullmq';
import { expect } from 'vitest';
import {
  queueCounts,
  serveGeneratedSite,
  startService,
  waitFor,
  type GeneratedSite,
  type QueueCounts,
  type ServiceName,
  type ServiceProcess,
  deleteKeysWithPrefix,
} from '@gazette/devstack';
import { normalizeUrl } from '@gazette/frontier';
import { Producer, catalog, createRedis, linkJobId, type QueueName } from '@gazette/jobs';
import { PageLedger, type PageEntry } from '@gazette/pipeline';
import { canaryIndexFor, createSearchClient, dropArticleIndices } from '@gazette/search';

type Worker = Exclude<ServiceName, 'api'>;

export interface HarnessOptions {
  name: string;
  redisUrl: string;
  esUrl: string;
  pages: number;
  /** Delay of each article response. */
  siteDelayMs?: number;
  env?: Record<string, string>;
}

const PIPELINE = ['crawl', 'parse', 'index'] as const;
const FAILED_STATES = new Set(['fetch-failed', 'parse-failed', 'index-failed']);

export class PipelineHarness {
  readonly prefix: string;
  readonly index: string;
  archiveDir = '';
  site!: GeneratedSite;
  redis!: RedisConnection;
  readonly es;
  /** Running workers by name; a second process of a stage is `<name>-2`, and so on. */
  readonly services = new Map<string, ServiceProcess>();
  private crawlProducer: Producer<'crawl'> | undefined;
  private readonly queues = new Map<QueueName, Queue>();

  constructor(readonly options: HarnessOptions) {
    const id = randomBytes(4).toString('hex');
    // A hash-tagged prefix: each queue's keys in one slot when REDIS_URL is a Redis Cluster.
    this.prefix = `{faults-${options.name}-${id}}`;
    this.index = `faults-${options.name}-${id}`;
    this.es = createSearchClient({ url: options.esUrl, requestTimeoutMs: 10_000 });
  }

  async setUp(): Promise<void> {
    this.site = await serveGeneratedSite({ count: this.options.pages, delayMs: this.options.siteDelayMs ?? 0 });
    this.archiveDir = await mkdtemp(join(tmpdir(), `gazette-faults-${this.options.name}-`));
    this.redis = createRedis(this.options.redisUrl);
    // Reconnects on its own when a scenario restarts Redis; commands wait meanwhile.
    this.redis.on('error', () => undefined);
  }

  env(overrides: Record<string, string> = {}): Record<string, string> {
    return {
      REDIS_URL: this.options.redisUrl,
      ELASTICSEARCH_URL: this.options.esUrl,
      QUEUE_PREFIX: this.prefix,
      ES_INDEX: this.index,
      ARCHIVE_DIR: this.archiveDir,
      CRAWLER_ALLOW_HOSTS: '127.0.0.1',
      CRAWLER_POLITENESS_MS: '0',
      CRAWLER_METRICS_PORT: '0',
      PARSER_METRICS_PORT: '0',
      INDEXER_METRICS_PORT: '0',
      LOG_LEVEL: 'info',
      SHUTDOWN_GRACE_SECONDS: '30',
      ...this.options.env,
      ...overrides,
    };
  }

  async start(name: Worker, overrides: Record<string, string> = {}, instance = 1): Promise<ServiceProcess> {
    const key = instance === 1 ? name : `${name}-${instance}`;
    // FAULTS_LOG_DIR keeps each worker's log for a look after a failed scenario.
    const logDir = process.env.FAULTS_LOG_DIR;
    const proc = await startService(name, {
      env: this.env(overrides),
      ...(logDir ? { logFile: join(logDir, `${this.options.name}-${key}.log`) } : {}),
    });
    this.services.set(key, proc);
    return proc;
  }

  /** SIGKILL: no draining, jobs stay active with their locks. */
  async kill(name: Worker): Promise<void> {
    const proc = this.services.get(name);
    if (!proc) return;
    proc.kill('SIGKILL');
    await proc.exited;
  }

  queue(name: QueueName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(catalog[name].name, { connection: this.redis, prefix: this.prefix });
      this.queues.set(name, queue);
    }
    return queue;
  }

  /**
   * Queues article URLs for crawling, one job per URL under the id the crawler gives a link to it, so
   * re-queuing, or the same URL found on a listing page, is a no-op while the job is kept.
   */
  async enqueue(urls: string[], options: { force?: boolean } = {}): Promise<void> {
    this.crawlProducer ??= new Producer('crawl', { connection: this.redis, prefix: this.prefix });
    for (let i = 0; i < urls.length; i += 500) {
      await this.crawlProducer.addBulk(
        urls.slice(i, i + 500).map((url) => ({
          payload: { url, ...(options.force ? { force: true } : {}) },
          options: options.force ? {} : { jobId: linkJobId(normalizeUrl(url)) },
        })),
      );
    }
  }

  /** Queues the site's listing page with links followed one level: URLs reach the crawl queue through the seen-set. */
  async crawlListing(): Promise<void> {
    this.crawlProducer ??= new Producer('crawl', { connection: this.redis, prefix: this.prefix });
    await this.crawlProducer.add({ url: this.site.listingUrl, scope: { maxDepth: 1 } });
  }

  counts(): Promise<QueueCounts> {
    return queueCounts(this.redis, this.prefix);
  }

  async ledger(urls: string[]): Promise<Array<PageEntry | null>> {
    const ledger = new PageLedger(this.redis, this.prefix);
    return Promise.all(urls.map((url) => ledger.get(normalizeUrl(url))));
  }

  /** Every URL in a final state (indexed or failed with a reason) and nothing left in any queue. */
  async waitUntilSettled(
    urls: string[],
    timeoutMs = 120_000,
    what = 'every URL to be indexed or failed',
  ): Promise<void> {
    let unsettled = '';
    try {
      await waitFor(
        async () => {
          const c = await this.counts();
          const busy = PIPELINE.filter((q) => c[q].pending + c[q].active > 0);
          const entries = await this.ledger(urls);
          const open = entries
            .map((e, i) =>
              e && (e.state === 'indexed' || FAILED_STATES.has(e.state))
                ? null
                : `${urls[i]}: ${e?.state ?? 'no entry'}`,
            )
            .filter((line): line is string => line !== null);
          unsettled = [
            ...busy.map((q) => `${q}: ${c[q].pending} pending, ${c[q].active} active`),
            ...open.slice(0, 10),
            ...(open.length > 10 ? [`and ${open.length - 10} more URLs`] : []),
          ].join('; ');
          return busy.length === 0 && open.length === 0;
        },
        { timeoutMs, intervalMs: 250, what },
      );
    } catch (error) {
      // Say what was still open: the queues that held work and the URLs not in a final state.
      throw new Error(`${(error as Error).message}; still open: ${unsettled}`, { cause: error });
    }
  }

  async esCount(): Promise<number> {
    // The indexer creates the index with the first document it writes.
    if (!(await this.es.indices.exists({ index: this.index }))) return 0;
    await this.es.indices.refresh({ index: this.index });
    return (await this.es.count({ index: this.index })).count;
  }

  /**
   * The accounting every scenario ends with: accepted URLs = documents indexed + failed with reason,
   * one document per article (by canonical URL), every failed job carrying a reason code.
   */
  async assertAccounting(urls: string[], expectFailed: string[] = []): Promise<{ indexed: number; failed: number }> {
    const entries = await this.ledger(urls);
    const indexed = entries.filter((e) => e?.state === 'indexed');
    const failed = entries.filter((e) => e && FAILED_STATES.has(e.state));
    for (const [i, e] of entries.entries()) {
      expect(e, `ledger entry of ${urls[i]}`).not.toBeNull();
      if (e && FAILED_STATES.has(e.state)) expect(e.reason, `reason of ${e.url}`).toMatch(/^[\w.-]+$/);
    }
    expect(indexed.length + failed.length).toBe(urls.length);
    expect(failed.map((e) => e!.url).sort()).toEqual(expectFailed.map((u) => normalizeUrl(u)).sort());

    expect(await this.esCount()).toBe(indexed.length);
    if (indexed.length === 0) return { indexed: 0, failed: failed.length };
    const dupes = await this.es.search({
      index: this.index,
      size: 0,
      aggs: { urls: { terms: { field: 'canonicalUrl', size: 100, min_doc_count: 2 } } },
    });
    expect((dupes.aggregations?.urls as { buckets: unknown[] }).buckets).toEqual([]);
    // Every indexed article's document is there under its id.
    const ids = indexed.map((e) => e!.articleId!);
    for (let i = 0; i < ids.length; i += 500) {
      const got = await this.es.mget({ index: this.index, ids: ids.slice(i, i + 500), _source: false });
      expect(got.docs.every((d) => 'found' in d && d.found)).toBe(true);
    }
    for (const name of ['crawl', 'parse', 'index'] as const) {
      for (const job of await this.queue(name).getFailed(0, -1)) {
        expect(job.failedReason, `reason of failed ${name} job ${job.id}`).toMatch(/^\[[\w.-]+\] /);
      }
    }
    return { indexed: indexed.length, failed: failed.length };
  }

  async activeJobs(name: QueueName): Promise<Job[]> {
    return this.queue(name).getActive(0, -1);
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.services.values()].map((s) => s.stop(10_000)));
  }

  async tearDown(): Promise<void> {
    await this.stopAll().catch(() => undefined);
    await this.crawlProducer?.close().catch(() => undefined);
    await Promise.all([...this.queues.values()].map((q) => q.close().catch(() => undefined)));
    // The indexers' write probe leaves its canary index beside the alias; it goes even when dropping
    // the articles index fails (a left-over red canary turns a cluster's overall health red).
    const dropped = await Promise.allSettled([
      dropArticleIndices(this.es, this.index),
      this.es.indices.delete({ index: canaryIndexFor(this.index), ignore_unavailable: true }),
    ]);
    if (dropped[0].status === 'rejected') throw dropped[0].reason;
    await this.es.close().catch(() => undefined);
    if (this.redis) {
      await deleteKeysWithPrefix(this.redis, `${this.prefix}:`).catch(() => 0);
      await this.redis.quit().catch(() => undefined);
    }
    await this.site?.close();
    if (this.archiveDir) await rm(this.archiveDir, { recursive: true, force: true });
  }
}

export { waitFor, type QueueCounts };
