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
import { assertClusterPrefix, type RedisConnection } from './redis.ts';
import type { Logger } from '@gazette/logger';
import { catalog, type InputOf, type PayloadOf, type QueueName } from './catalog.ts';
import {
  GazetteError,
  InvalidPayloadError,
  PermanentError,
  RetryableError,
  formatReason,
  reasonOf,
} from '@gazette/errors';

/** Where a set of queues lives: one Redis connection and a key prefix. */
export interface QueueContext {
  connection: RedisConnection;
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

export interface ProducerOptions<Q extends QueueName> {
  /** Told about the (validated) payloads before they are added; a failure here fails the add. */
  beforeAdd?: (payloads: Array<PayloadOf<Q>>) => Promise<void>;
}

/** Typed, validating producer for one queue of the catalog. */
export class Producer<Q extends QueueName> {
  readonly queue: Queue;
  private readonly beforeAdd: ProducerOptions<Q>['beforeAdd'];
  constructor(
    readonly name: Q,
    context: QueueContext,
    options: ProducerOptions<Q> = {},
  ) {
    this.beforeAdd = options.beforeAdd;
    const def = catalog[name];
    assertClusterPrefix(context.connection, context.prefix);
    this.queue = new Queue(def.name, {
      connection: context.connection,
      prefix: context.prefix,
      defaultJobOptions: { ...def.jobOptions, backoff: backoffOptions(def.jobOptions) },
    });
  }

  async add(payload: InputOf<Q>, options: JobsOptions = {}): Promise<Job> {
    const data = validatePayload(this.name, payload);
    await this.beforeAdd?.([data]);
    return this.queue.add(this.name, data, options);
  }

  async addBulk(items: Array<{ payload: InputOf<Q>; options?: JobsOptions }>): Promise<Job[]> {
    const jobs = items.map((item) => ({
      name: this.name,
      data: validatePayload(this.name, item.payload),
      ...(item.options ? { opts: item.options } : {}),
    }));
    await this.beforeAdd?.(jobs.map((j) => j.data));
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

/** What BullMQ itself says of a job that stalled more than `maxStalledCount` times. */
const STALLED_MESSAGE = /stalled more than allowable limit/;

interface WorkerInternals {
  getUnrecoverableErrorMessage?: (job: Job) => string | undefined;
}

export interface CreateWorkerOptions {
  context: QueueContext;
  logger: Logger;
  concurrency: number;
  /** Extra BullMQ worker options (lock duration, stalled interval, ...). */
  worker?: Partial<WorkerOptions>;
  /**
   * Told about every failure that is final (permanent, or the last attempt), with its reason code,
   * including those BullMQ raises itself (a job stalled too often: `stalled`); services record them
   * in the page ledger. A failure here is logged, never thrown.
   */
  onFinalFailure?: (data: unknown, reason: string, error: unknown, job: Job) => Promise<void>;
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
  assertClusterPrefix(options.context.connection, options.context.prefix);
  const { stalledRetryable, ...recovery } = def.recovery;
  const jobKey = (job: Job) => `${options.context.prefix}:${def.name}:${job.id}`;
  const worker = new Worker(
    def.name,
    async (job, token) => {
      const url =
        typeof job.data === 'object' && job.data !== null && 'url' in job.data ? String(job.data.url) : undefined;
      const log = options.logger.child({ queue: def.name, jobId: job.id, ...(url ? { url } : {}) });
      try {
        if (job.deferredFailure && STALLED_MESSAGE.test(job.deferredFailure)) {
          // Its workers died under it more than maxStalledCount times in a row (see StalledRecovery).
          const what = `the workers running this job stopped (crashed or were killed) more than ${recovery.maxStalledCount} times in a row`;
          if (!stalledRetryable) throw new PermanentError('stalled', what);
          // Cleared, so the retry starts a fresh stall count, and retried like any transient failure.
          await options.context.connection.multi().hdel(jobKey(job), 'defa').hset(jobKey(job), 'stc', 0).exec();
          throw new RetryableError('stalled', what);
        }
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
        const permanent = !(error instanceof GazetteError && error.retryable);
        if (permanent || job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) {
          await options.onFinalFailure?.(job.data, reason, error, job).catch((failure: unknown) => {
            log.error({ err: failure, reason }, 'could not record the final failure');
          });
        }
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
      ...recovery,
      ...options.worker,
    },
  );
  // BullMQ fails a job that stalled too often before the processor sees it, with no reason code and
  // no word to the page ledger. Here it reaches the processor instead, which retries it or fails it
  // with the `stalled` reason code (above).
  if (def.completedData) slimCompletedJobs(worker, options.context, def.name, def.completedData);
  const internals = worker as unknown as WorkerInternals;
  const bullmqMessage = internals.getUnrecoverableErrorMessage?.bind(worker);
  if (!bullmqMessage) throw new Error('this BullMQ version does not expose getUnrecoverableErrorMessage');
  internals.getUnrecoverableErrorMessage = (job: Job) => {
    const message = bullmqMessage(job);
    return message && STALLED_MESSAGE.test(message) ? undefined : message;
  };
  return worker;
}

// Replaces the payload only while the job is still in the completed set: a job the completed window
// already removed is not brought back as a stray hash.
const SLIM_COMPLETED = `if redis.call('ZSCORE', KEYS[1], ARGV[1]) then redis.call('HSET', KEYS[2], 'data', ARGV[2]) return 1 end return 0`;

/** Shrinks the payload of each job this worker completes to what the queue keeps of it. */
function slimCompletedJobs(worker: Worker, context: QueueContext, queue: string, keep: (data: never) => unknown): void {
  worker.on('completed', (job) => {
    if (!job.id) return;
    const stub = JSON.stringify(keep(job.data as never));
    void context.connection
      .eval(
        SLIM_COMPLETED,
        2,
        `${context.prefix}:${queue}:completed`,
        `${context.prefix}:${queue}:${job.id}`,
        job.id,
        stub,
      )
      // Best effort: a job left whole costs memory for its window, nothing else.
      .catch(() => undefined);
  });
}
