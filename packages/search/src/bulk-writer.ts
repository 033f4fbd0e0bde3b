import type { Client } from '@elastic/elasticsearch';
import type { ArticleRecord } from '@gazette/article';
import { PermanentError, RetryableError } from '@gazette/jobs';
import { classifySearchError } from './client.ts';

export interface BulkWriterOptions {
  client: Client;
  /** Alias or index written into. */
  index: string;
  /** Flush once this many documents are waiting. */
  maxBatch?: number;
  /** Flush at the latest this long after the first waiting document. */
  flushIntervalMs?: number;
  /** Called after each bulk request, for metrics. */
  onFlush?: (info: { docs: number; ms: number; failed: number; error?: unknown }) => void;
}

interface Pending {
  record: ArticleRecord;
  index: string;
  resolve: () => void;
  reject: (error: Error) => void;
}

/**
 * Groups single-document writes into bulk requests. Each write resolves or
 * rejects on its own (per-item results), so a queue job fails exactly when its
 * document did. Documents are written under their deterministic id, so a
 * re-delivered job overwrites rather than duplicates.
 */
export class BulkWriter {
  private readonly client: Client;
  private readonly index: string;
  private readonly maxBatch: number;
  private readonly flushIntervalMs: number;
  private readonly onFlush: BulkWriterOptions['onFlush'];
  private pending: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;
  private inFlight = new Set<Promise<void>>();

  constructor(options: BulkWriterOptions) {
    this.client = options.client;
    this.index = options.index;
    this.maxBatch = options.maxBatch ?? 200;
    this.flushIntervalMs = options.flushIntervalMs ?? 250;
    this.onFlush = options.onFlush;
  }

  write(record: ArticleRecord, index?: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ record, index: index ?? this.index, resolve, reject });
      if (this.pending.length >= this.maxBatch) this.flushSoon(0);
      else this.flushSoon(this.flushIntervalMs);
    });
  }

  private flushSoon(delay: number): void {
    if (delay === 0) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = undefined;
      this.track(this.flush());
      return;
    }
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.track(this.flush());
    }, delay);
  }

  private track(p: Promise<void>): void {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  /** Sends everything waiting now. */
  async flush(): Promise<void> {
    const batch = this.pending.splice(0, this.pending.length);
    if (batch.length === 0) return;
    const started = performance.now();
    const indexedAt = new Date().toISOString();
    const operations = batch.flatMap((p) => [
      { index: { _index: p.index, _id: p.record.id } },
      { ...p.record, indexedAt },
    ]);
    let response;
    try {
      response = await this.client.bulk({ operations, refresh: false });
    } catch (error) {
      const classified = classifySearchError(error, `bulk write of ${batch.length} documents`);
      this.onFlush?.({ docs: batch.length, ms: performance.now() - started, failed: batch.length, error });
      for (const p of batch) p.reject(classified);
      return;
    }
    let failed = 0;
    response.items.forEach((item, i) => {
      const p = batch[i];
      if (!p) return;
      const result = item.index;
      if (!result?.error) {
        p.resolve();
        return;
      }
      failed++;
      const status = result.status;
      const message = `Elasticsearch refused document ${p.record.id}: ${result.error.type}: ${result.error.reason ?? ''}`;
      if (status === 429 || status >= 500) p.reject(new RetryableError(`es-${status}`, message));
      else p.reject(new PermanentError(`es-${status}`, message));
    });
    this.onFlush?.({ docs: batch.length, ms: performance.now() - started, failed });
  }

  /** Flushes what is waiting and waits for requests in flight. */
  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.flush();
    await Promise.all([...this.inFlight]);
  }
}
