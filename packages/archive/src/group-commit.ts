import { ArchiveError, type ArchiveRef } from './raw-page.ts';

/** What writing one batch did: references for the records written (a prefix of the batch, in order) and what stopped it. */
export interface BatchResult {
  refs: ArchiveRef[];
  failure?: ArchiveError;
}

export interface GroupCommitOptions {
  /** Writes the records, in order, as one unit (one file append and sync, one object upload). */
  write: (records: Uint8Array[]) => Promise<BatchResult>;
  /** A batch stops short of this many bytes (a single larger record still goes alone). Default no cap. */
  maxBatchBytes?: number;
  /** Turns what `write` threw into the error every record of the batch is rejected with. */
  toError: (error: unknown) => ArchiveError;
  /** Told of every failed batch, once. */
  onFailure?: (error: ArchiveError) => void;
}

interface PendingAppend {
  bytes: Uint8Array;
  resolve: (ref: ArchiveRef) => void;
  reject: (error: Error) => void;
}

/**
 * Group commit for an archive backend: appends that arrive while a batch is being written wait and
 * are written together in the next batch, so concurrent crawl jobs share one sync or one upload
 * instead of queueing behind each other's. A record's promise resolves with its reference only once
 * the backend says its bytes are stored; a record the batch did not store is rejected with the
 * batch's failure.
 */
export class GroupCommit {
  private pending: PendingAppend[] = [];
  private flushing: Promise<void> | undefined;

  constructor(private readonly options: GroupCommitOptions) {}

  append(bytes: Uint8Array): Promise<ArchiveRef> {
    return new Promise<ArchiveRef>((resolve, reject) => {
      this.pending.push({ bytes, resolve, reject });
      this.flushing ??= this.flushLoop().finally(() => {
        this.flushing = undefined;
      });
    });
  }

  /** Resolves once every append made so far has been written or has failed. */
  async drain(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  private takeBatch(): PendingAppend[] {
    const max = this.options.maxBatchBytes ?? Infinity;
    let size = 0;
    let count = 0;
    while (count < this.pending.length && (count === 0 || size + this.pending[count]!.bytes.length <= max)) {
      size += this.pending[count]!.bytes.length;
      count++;
    }
    return this.pending.splice(0, count);
  }

  private async flushLoop(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.takeBatch();
      let result: BatchResult;
      try {
        result = await this.options.write(batch.map((p) => p.bytes));
      } catch (error) {
        result = { refs: [], failure: this.options.toError(error) };
      }
      const { refs, failure } = result;
      if (failure) this.options.onFailure?.(failure);
      batch.forEach((p, i) => {
        const ref = refs[i];
        if (ref) p.resolve(ref);
        else p.reject(failure ?? new ArchiveError('io', 'the record was not written'));
      });
    }
  }
}
