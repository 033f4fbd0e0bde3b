import type { RedisConnection } from '@gazette/jobs';

/**
 * Where a long operation (re-parse, re-index, import) got to, kept in Redis so
 * an interrupted run resumes where it stopped. One key per operation and
 * subject; deleted when the operation completes.
 */
export class Cursor<T extends object> {
  constructor(
    private readonly redis: RedisConnection,
    readonly key: string,
  ) {}

  async load(): Promise<T | null> {
    const raw = await this.redis.get(this.key);
    return raw ? (JSON.parse(raw) as T) : null;
  }

  async save(value: T): Promise<void> {
    // Kept a week: long enough to resume, short enough not to pile up.
    await this.redis.set(this.key, JSON.stringify(value), 'EX', 7 * 24 * 3600);
  }

  async clear(): Promise<void> {
    await this.redis.del(this.key);
  }
}

/** Progress reports of a long operation: done so far and, when known, the total. */
export type ProgressListener = (progress: { done: number; total?: number; phase?: string }) => void;
