import { z } from 'zod';
import { sourceSchema, type Source } from '@gazette/frontier';
import { Producer, manualRunJob, sourceRunId, type QueueContext } from '@gazette/jobs';
import {
  SourceNotFoundError,
  SourceStore,
  scheduleSchema,
  type Schedule,
  type SourceEntry,
  type SourceRun,
} from './sources.ts';
import { RunTally, type RunTotals } from './run-tally.ts';

/** A new source: the source itself, plus its schedule (default: every `recrawlIntervalMs`; null: manual only). */
export const newSourceSchema = z
  .object({
    source: sourceSchema,
    schedule: scheduleSchema.nullable().optional(),
    paused: z.boolean().default(false),
  })
  .strict();

/** Changes to a source: any source field but the id, the schedule, paused. */
export const sourcePatchSchema = z
  .object({
    source: sourceSchema.omit({ id: true }).partial().optional(),
    schedule: scheduleSchema.nullable().optional(),
    paused: z.boolean().optional(),
  })
  .strict();

export type NewSource = z.input<typeof newSourceSchema>;
export type SourcePatch = z.input<typeof sourcePatchSchema>;

/** Where a run stands: skipped fire, discovery failed, jobs still open, or every job settled. */
export type RunState = 'skipped' | 'failed' | 'running' | 'finished';

/** One run with what became of its URLs; `finishedAt` is when the last of its jobs settled. */
export interface RunView extends SourceRun {
  state: RunState;
  totals: RunTotals;
}

/** A run record joined with its totals. */
export function runView(run: SourceRun, totals: RunTotals): RunView {
  if (run.skipped) return { ...run, state: 'skipped', finishedAt: run.finishedAt ?? run.startedAt, totals };
  if (run.error) return { ...run, state: 'failed', totals };
  // Discovery still going, or jobs still open.
  if (!run.discoveredAt || totals.open > 0 || !totals.finishedAt) {
    const { finishedAt: _none, ...rest } = run;
    return { ...rest, state: 'running', totals };
  }
  return { ...run, state: 'finished', finishedAt: totals.finishedAt, totals };
}

/** A source as listed: stored entry, its scheduler's next fire time and its last run. */
export interface SourceView extends SourceEntry {
  nextRunAt: string | null;
  lastRun: RunView | null;
}

const schedulerIdOf = (sourceId: string) => `source-${sourceId}`;

/** Schedule job states in which the job will run (again). */
const PENDING = new Set(['waiting', 'active', 'delayed', 'prioritized', 'waiting-children']);

/**
 * Sources and schedules. Each active source with a schedule owns one BullMQ
 * job scheduler on the `schedule` queue (id `source-<id>`): BullMQ keeps it in
 * Redis and produces exactly one job per fire, whichever and however many
 * processes run, and it outlives any of them. Every change goes to the store
 * first, then the scheduler is upserted or removed to match.
 */
export class SourceRegistry {
  readonly store: SourceStore;
  readonly tally: RunTally;
  private readonly producer: Producer<'schedule'>;

  constructor(context: QueueContext) {
    this.store = new SourceStore(context.connection, context.prefix);
    this.tally = new RunTally(context.connection, context.prefix);
    this.producer = new Producer('schedule', context);
  }

  get queue() {
    return this.producer.queue;
  }

  async create(input: NewSource): Promise<SourceView> {
    const parsed = newSourceSchema.parse(input);
    const schedule =
      parsed.schedule === undefined ? { everyMs: parsed.source.recrawlIntervalMs, tz: 'UTC' } : parsed.schedule;
    const entry = await this.store.create({ source: parsed.source, schedule, paused: parsed.paused });
    await this.sync(entry);
    return this.view(entry);
  }

  async update(id: string, patch: SourcePatch): Promise<SourceView> {
    const parsed = sourcePatchSchema.parse(patch);
    const current = await this.require(id);
    const source: Source = parsed.source
      ? sourceSchema.parse({ ...current.source, ...parsed.source, id })
      : current.source;
    const entry = await this.store.put({
      ...current,
      source,
      schedule: parsed.schedule === undefined ? current.schedule : parsed.schedule,
      paused: parsed.paused ?? current.paused,
    });
    await this.sync(entry);
    return this.view(entry);
  }

  pause(id: string): Promise<SourceView> {
    return this.update(id, { paused: true });
  }

  resume(id: string): Promise<SourceView> {
    return this.update(id, { paused: false });
  }

  async remove(id: string): Promise<boolean> {
    await this.queue.removeJobScheduler(schedulerIdOf(id));
    return this.store.remove(id);
  }

  /**
   * Queues one run of the source now, whatever its schedule or pause state; `force` refetches every
   * URL it finds (seen or not, without conditional headers). While an earlier "run now" of the source
   * with the same `force` is still queued or discovering, that run is returned (`alreadyQueued`)
   * instead of a second one.
   */
  async runNow(
    id: string,
    options: { force?: boolean } = {},
  ): Promise<{ jobId: string; runId: string; alreadyQueued: boolean }> {
    await this.require(id);
    const force = Boolean(options.force);
    const opts = manualRunJob(id, force);
    const job = await this.producer.add({ sourceId: id, manual: true, ...(force ? { force: true } : {}) }, opts);
    // BullMQ answers a deduplicated add with the id of the job that holds the key.
    const jobId = String(job.id);
    return { jobId, runId: sourceRunId(id, jobId), alreadyQueued: jobId !== opts.jobId };
  }

  /** Recent runs of a source with their totals, newest first. */
  async runs(id: string, limit?: number): Promise<RunView[]> {
    const runs = await Promise.all((await this.store.runs(id, limit)).map((run) => this.withScheduleJob(run)));
    const totals = await this.tally.totalsOf(runs.map((r) => r.runId));
    return runs.map((run) => runView(run, totals.get(run.runId)!));
  }

  /**
   * A run whose discovery did not end is read against its schedule job, which knows better than the
   * record: when the job failed for good before discovery could record it (its workers died under
   * it until its attempts were spent) or is gone, the run failed, with the job's reason; when a
   * failed run's job is waiting or running again (a retry, a replay), the run is running again.
   */
  private async withScheduleJob(run: SourceRun): Promise<SourceRun> {
    if (run.skipped || run.discoveredAt || !run.jobId) return run;
    const job = await this.queue.getJob(run.jobId);
    const state = job ? await job.getState() : 'unknown';
    if (run.error) {
      if (!PENDING.has(state)) return run;
      const { error: _error, finishedAt: _finishedAt, ...again } = run;
      return again;
    }
    if (job && state === 'failed') {
      return {
        ...run,
        error: job.failedReason || 'the schedule job failed',
        finishedAt: new Date(job.finishedOn ?? Date.now()).toISOString(),
      };
    }
    if (state === 'unknown') return { ...run, error: 'the schedule job is gone: discovery never ended' };
    return run;
  }

  async get(id: string): Promise<SourceView | null> {
    const entry = await this.store.get(id);
    return entry ? this.view(entry) : null;
  }

  async list(): Promise<SourceView[]> {
    const [entries, runs] = await Promise.all([this.store.list(), this.store.lastRuns()]);
    return Promise.all(entries.map((e) => this.view(e, runs[e.source.id] ?? null)));
  }

  /**
   * Makes the job schedulers match the store: upserts the scheduler of every
   * active scheduled source, removes the others (orphans included). Safe to
   * call from several processes at once, and at every start.
   */
  async reconcile(): Promise<{ active: number; removed: number }> {
    const entries = await this.store.list();
    const wanted = new Set<string>();
    for (const entry of entries) {
      await this.sync(entry);
      if (!entry.paused && entry.schedule) wanted.add(schedulerIdOf(entry.source.id));
    }
    let removed = 0;
    for (const scheduler of await this.queue.getJobSchedulers(0, -1)) {
      const id = scheduler.id ?? scheduler.key;
      if (!wanted.has(id) && (await this.queue.removeJobScheduler(id))) removed++;
    }
    return { active: wanted.size, removed };
  }

  close(): Promise<void> {
    return this.producer.close();
  }

  private async require(id: string): Promise<SourceEntry> {
    const entry = await this.store.get(id);
    if (!entry) throw new SourceNotFoundError(`no source with id ${id}`);
    return entry;
  }

  private async sync(entry: SourceEntry): Promise<void> {
    const schedulerId = schedulerIdOf(entry.source.id);
    if (entry.paused || !entry.schedule) {
      await this.queue.removeJobScheduler(schedulerId);
      return;
    }
    await this.queue.upsertJobScheduler(schedulerId, repeatOptions(entry.schedule), {
      name: 'schedule',
      data: { sourceId: entry.source.id },
    });
  }

  private async view(entry: SourceEntry, lastRun?: SourceRun | null): Promise<SourceView> {
    const scheduler = await this.queue.getJobScheduler(schedulerIdOf(entry.source.id));
    const recorded = lastRun === undefined ? await this.store.lastRun(entry.source.id) : lastRun;
    const run = recorded ? await this.withScheduleJob(recorded) : null;
    return {
      ...entry,
      nextRunAt: scheduler?.next ? new Date(scheduler.next).toISOString() : null,
      lastRun: run ? runView(run, await this.tally.totals(run.runId)) : null,
    };
  }
}

function repeatOptions(schedule: Schedule): { pattern: string; tz: string } | { every: number } {
  return schedule.cron !== undefined ? { pattern: schedule.cron, tz: schedule.tz } : { every: schedule.everyMs! };
}
