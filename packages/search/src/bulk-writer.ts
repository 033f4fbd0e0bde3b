import type { Client } from '@elastic/elasticsearch';
import type { ArticleRecord } from '@gazette/article';
import { PermanentError, RetryableError } from '@gazette/errors';
import { classifySearchError } from './client.ts';
import { writeRefusal } from './write-probe.ts';
import {
  chooseDuplicateGroup,
  duplicateCandidatesQuery,
  toIndexDocument,
  type ArticleDocument,
  type DuplicateCandidate,
} from './document.ts';
import { indexFeatures, type IndexFeatures } from './mappings.ts';

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
 *
 * Before writing, each document gets the fields its index derives at index time
 * (entities, SimHash bands, per-language text) and its near-duplicate group: the
 * indexed articles and the others in the batch whose SimHash is within
 * `DUPLICATE_MAX_DISTANCE` bits. An index of an older mapping gets the
 * plain record.
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
  private features = new Map<string, Promise<IndexFeatures>>();

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
    let response;
    try {
      const docs = await this.prepare(batch, indexedAt);
      const operations = batch.flatMap((p, i) => [{ index: { _index: p.index, _id: p.record.id } }, docs[i]]);
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
      // A write block (flood stage, an index block) or back-pressure is about the cluster, not the document.
      const refusal = writeRefusal(result.error.type, status);
      if (refusal) p.reject(new RetryableError(refusal, message));
      else if (status >= 500) p.reject(new RetryableError(`es-${status}`, message));
      else p.reject(new PermanentError(`es-${status}`, message));
    });
    this.onFlush?.({ docs: batch.length, ms: performance.now() - started, failed });
  }

  private featuresOf(index: string): Promise<IndexFeatures> {
    let features = this.features.get(index);
    if (!features) {
      features = indexFeatures(this.client, index);
      this.features.set(index, features);
      // An index that does not exist yet (or failed to answer) is asked again next time.
      features.then(
        (f) => f.version === 0 && this.features.delete(index),
        () => this.features.delete(index),
      );
    }
    return features;
  }

  /** The documents to write, in batch order, with derived fields and near-duplicate groups. */
  private async prepare(batch: Pending[], indexedAt: string): Promise<ArticleDocument[]> {
    const docs: ArticleDocument[] = new Array<ArticleDocument>(batch.length);
    const byIndex = new Map<string, number[]>();
    batch.forEach((p, i) => byIndex.set(p.index, [...(byIndex.get(p.index) ?? []), i]));
    for (const [index, positions] of byIndex) {
      const features = await this.featuresOf(index);
      const prepared = positions.map((i) => toIndexDocument(batch[i]!.record, features, indexedAt));
      if (features.derivedFields) await assignDuplicateGroups(this.client, index, prepared);
      positions.forEach((i, j) => (docs[i] = prepared[j]!));
    }
    return docs;
  }

  /** Flushes what is waiting and waits for requests in flight. */
  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.flush();
    await Promise.all([...this.inFlight]);
  }
}

const CANDIDATE_CHUNK = 50;

/**
 * Sets `dupGroup` and `duplicate` on each document: candidates sharing enough SimHash bands are
 * fetched from `index` in one search per 50 documents, confirmed by their exact distance, and the
 * documents of the batch are compared with each other in order.
 */
export async function assignDuplicateGroups(client: Client, index: string, docs: ArticleDocument[]): Promise<void> {
  const existing: DuplicateCandidate[] = [];
  for (let i = 0; i < docs.length; i += CANDIDATE_CHUNK) {
    const chunk = docs.slice(i, i + CANDIDATE_CHUNK);
    const res = await client.search<DuplicateCandidate>({
      index,
      size: Math.min(10_000, chunk.length * 50),
      _source: ['id', 'simhash', 'dupGroup', 'publishedAt'],
      query: { bool: { should: chunk.map((d) => duplicateCandidatesQuery(d.simhash)), minimum_should_match: 1 } },
    });
    for (const hit of res.hits.hits) {
      const s = hit._source;
      if (s?.id && s.simhash) existing.push({ ...s, dupGroup: s.dupGroup ?? s.id, publishedAt: s.publishedAt ?? null });
    }
  }
  const assigned = new Map<string, DuplicateCandidate>();
  for (const doc of docs) {
    const candidates = [...existing.filter((c) => !assigned.has(c.id)), ...assigned.values()];
    const group = chooseDuplicateGroup(doc, candidates);
    doc.dupGroup = group;
    doc.duplicate = group !== doc.id;
    assigned.set(doc.id, { id: doc.id, simhash: doc.simhash, dupGroup: group, publishedAt: doc.publishedAt });
  }
}
