import {
  DelayedError,
  Queue,
  UnrecoverableError,
  Worker,
  type BackoffOptions,
  type Job,
  type JobsOptions,
  type WorkerOptions,
} from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '@gazette/logger';
import { catalog, type InputOf, type PayloadOf, type QueueName } from './catalog.ts';
import { GazetteError, InvalidPayloadError, RetryableError, reasonOf } from '@gazette/errors';
import { formatReason } from '@gazette/errors';

/** Where a set of queues lives: one Redis connection and a key prefix. */
export interface QueueContext {
  connection: Redis;
  /** BullMQ key prefix; tests use their own so they never collide. */
  prefix: string;
}

const MAX_BACKOFF_MS = 5 * 60_000;
/** Jitter of a queue whose catalog entry names none: ±25 %. */
const DEFAULT_JITTER = 0.5;

/**
 * Backoff for every Gazette queue: a retryable error may name its own delay
 * (Retry-After); otherwise exponential from the queue's base delay, capped at
 * five minutes, spread by the queue's `jitter`: a jitter of j draws the delay
 * evenly from (1 - j/2) to (1 + j/2) times the exponential value (0.5 when
 * the catalog names none, i.e. ±25 %).
 */
export function gazetteBackoff(attemptsMade: number, _type?: string, err?: Error, job?: { opts: JobsOptions }): number {
  if (err instanceof RetryableError && err.retryAfterMs !== undefined)
    return Math.min(err.retryAfterMs, MAX_BACKOFF_MS);
  const backoff = job?.opts.backoff;
  const base = typeof backoff === 'object' && backoff.delay ? backoff.delay : 1_000;
  const jitter = typeof backoff === 'object' && backoff.jitter !== undefined ? backoff.jitter : DEFAULT_JITTER;
  const exp = Math.min(base * 2 ** Math.max(0, attemptsMade - 1), MAX_BACKOFF_MS);
  return Math.round(exp * (1 - jitter / 2 + Math.random() * jitter));
}

/** A queue's backoff option: Gazette's strategy, with the catalog's base delay and jitter. */
export function backoffOptions(options: JobsOptions): BackoffOptions {
  const b = options.backoff;
  const delay = typeof b === 'object' && b.delay ? b.delay : typeof b === 'number' ? b : 1_000;
  return { type: 'gazette', delay, ...(typeof b === 'object' && b.jitter !== undefined ? { jitter: b.jitter } : {}) };
}

export function validatePayload<Q extends QueueName>(queue: Q, data: unknown): PayloadOf<Q> {
  const result = catalog[queue].schema.safeParse(data);
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new InvalidPayloadError(queue, issues);
  }
  return result.data as PayloadOf<Q>;
}

/** Typed, validating producer for one queue of the catalog. */
export class Producer<Q extends QueueName> {
  readonly queue: Queue;
  constructor(
    readonly name: Q,
    context: QueueContext,
  ) {
    const def = catalog[name];
    this.queue = new Queue(def.name, {
      connection: context.connection,
      prefix: context.prefix,
      defaultJobOptions: { ...def.jobOptions, backoff: backoffOptions(def.jobOptions) },
    });
  }

  async add(payload: InputOf<Q>, options: JobsOptions = {}): Promise<Job> {
    const data = validatePayload(this.name, payload);
    return this.queue.add(this.name, data, options);
  }

  async addBulk(items: Array<{ payload: InputOf<Q>; options?: JobsOptions }>): Promise<Job[]> {
    const jobs = items.map((item) => ({
      name: this.name,
      data: validatePayload(this.name, item.payload),
      ...(item.options ? { opts: item.options } : {}),
    }));
    return this.queue.addBulk(jobs);
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}

export interface ProcessorContext {
  job: Job;
  log: Logger;
  /** Worker token, for moving the job to delayed. */
  token: string | undefined;
}

export type Processor<Q extends QueueName, R> = (payload: PayloadOf<Q>, ctx: ProcessorContext) => Promise<R>;

/**
 * A worker that dies (SIGKILL, OOM, lost host) leaves its jobs active with a lock nobody renews: the lock
 * expires after `lockDuration` and the next stalled check of any worker of the queue (every
 * `stalledInterval`) puts them back in waiting. Locks are renewed every half `lockDuration`, so a job
 * may run for any time as long as its process is alive. A job whose worker died more than
 * `maxStalledCount` times in a row fails with `job stalled more than allowable limit`.
 */
const STALLED_RECOVERY = {
  lockDuration: 15_000,
  stalledInterval: 5_000,
  maxStalledCount: 2,
} satisfies Partial<WorkerOptions>;

export interface CreateWorkerOptions {
  context: QueueContext;
  logger: Logger;
  concurrency: number;
  /** Extra BullMQ worker options (lock duration, stalled interval, ...). */
  worker?: Partial<WorkerOptions>;
}

/**
 * A BullMQ worker for one queue of the catalog: validates the payload at the
 * boundary, binds a child logger to queue, job id and URL, and maps Gazette's
 * error taxonomy onto BullMQ (permanent → UnrecoverableError, retryable →
 * retry with {@link gazetteBackoff}).
 */
export function createWorker<Q extends QueueName, R>(
  name: Q,
  processor: Processor<Q, R>,
  options: CreateWorkerOptions,
): Worker {
  const def = catalog[name];
  return new Worker(
    def.name,
    async (job, token) => {
      const url =
        typeof job.data === 'object' && job.data !== null && 'url' in job.data ? String(job.data.url) : undefined;
      const log = options.logger.child({ queue: def.name, jobId: job.id, ...(url ? { url } : {}) });
      try {
        const payload = validatePayload(name, job.data);
        return await processor(payload, { job, log, token });
      } catch (error) {
        // Control flow for BullMQ (moved to delayed, or put back while the queue is rate limited), not failures.
        if (error instanceof DelayedError || (error instanceof Error && error.name === 'RateLimitError')) throw error;
        const reason = reasonOf(error);
        const message = error instanceof Error ? error.message : String(error);
        // Attempt history: one log line per failed attempt, kept with the job (dead letters included).
        await job
          .log(
            `attempt ${job.attemptsMade + 1} failed at ${new Date().toISOString()}: ${formatReason(reason, message)}`,
          )
          .catch(() => undefined);
        if (error instanceof GazetteError && !error.retryable) {
          log.warn({ reason, err: error }, 'job failed permanently');
          throw new UnrecoverableError(formatReason(reason, message));
        }
        log.warn({ reason, attempt: job.attemptsMade + 1, err: error }, 'job failed, will retry if attempts remain');
        const wrapped = new RetryableError(reason, formatReason(reason, message), {
          cause: error,
          ...(error instanceof RetryableError && error.retryAfterMs !== undefined
            ? { retryAfterMs: error.retryAfterMs }
            : {}),
        });
        throw wrapped;
      }
    },
    {
      connection: options.context.connection,
      prefix: options.context.prefix,
      concurrency: options.concurrency,
      settings: { backoffStrategy: gazetteBackoff },
      ...STALLED_RECOVERY,
      ...options.worker,
    },
  );
}
