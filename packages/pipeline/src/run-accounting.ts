import { urlKey, type BeforeReplay, type PayloadOf, type QueueName, type RedisConnection } from '@gazette/jobs';
import { RunTally } from '@gazette/sources';

/** The queues whose jobs belong to a source run. */
export type RunQueue = 'crawl' | 'render' | 'parse' | 'index';

const RUN_QUEUES: readonly QueueName[] = ['crawl', 'render', 'parse', 'index'] satisfies RunQueue[];
const isRunQueue = (name: QueueName): name is RunQueue => RUN_QUEUES.includes(name);

/** The run a job belongs to and its member name in the run (queue and URL), from its payload. */
export function runMemberOf(queue: RunQueue, data: unknown): { runId: string; member: string } | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const d = data as { url?: unknown; runId?: unknown; scope?: { runId?: unknown }; record?: { url?: unknown } };
  const runId = queue === 'crawl' || queue === 'render' ? d.scope?.runId : d.runId;
  const url = queue === 'index' ? d.record?.url : d.url;
  if (typeof runId !== 'string' || typeof url !== 'string') return undefined;
  return { runId, member: `${queue}:${urlKey(url)}` };
}

/** What a completed job adds to its run's totals. */
export function countersOf(queue: RunQueue, result: unknown): string[] {
  const outcome = (result as { outcome?: unknown } | undefined)?.outcome;
  switch (queue) {
    case 'crawl':
    case 'render':
      if (outcome === 'article') return ['fetched'];
      if (outcome === 'listing') return ['fetched', 'listing'];
      if (outcome === 'not-modified') return ['notModified'];
      if (outcome === 'gone') return ['gone'];
      // Handed on to the render queue: the render job counts the page.
      return [];
    case 'parse':
      return outcome === 'not-article' ? ['notArticle'] : ['parsed'];
    case 'index':
      return ['indexed'];
  }
}

/**
 * A source run's accounting as the pipeline sees it: producers open each job of a run before it is
 * added (crawl jobs count as queued), workers settle it once it completed or failed for good. The
 * jobs a job causes are opened before it settles, so a run is over exactly when its last job settles.
 */
export class RunAccounting {
  readonly tally: RunTally;
  constructor(redis: RedisConnection, prefix: string) {
    this.tally = new RunTally(redis, prefix);
  }

  /** A producer's `beforeAdd`: opens the jobs that belong to a run. */
  beforeAdd<Q extends RunQueue>(queue: Q): (payloads: Array<PayloadOf<Q>>) => Promise<void> {
    return async (payloads) => {
      const byRun = new Map<string, string[]>();
      for (const payload of payloads) {
        const found = runMemberOf(queue, payload);
        if (!found) continue;
        byRun.set(found.runId, [...(byRun.get(found.runId) ?? []), found.member]);
      }
      for (const [runId, members] of byRun) {
        await this.tally.open(runId, members, queue === 'crawl' ? 'queued' : undefined);
      }
    };
  }

  /** Settles a completed job with what its result adds to the run. */
  async completed(queue: RunQueue, payload: unknown, result: unknown): Promise<void> {
    const found = runMemberOf(queue, payload);
    if (found) await this.tally.settle(found.runId, found.member, countersOf(queue, result));
  }

  /** A worker's `onFinalFailure`: settles the job as failed with its reason. */
  finalFailure(queue: RunQueue): (data: unknown, reason: string) => Promise<void> {
    return async (data, reason) => {
      const found = runMemberOf(queue, data);
      if (found) await this.tally.settle(found.runId, found.member, [`failed:${reason}`]);
    };
  }

  /**
   * The replay's `beforeReplay`: a dead letter of a run, replayed, is open in its run again and its
   * failure no longer counted, so the run is running until the replayed job settles and counts it
   * once. Undone (the failure counted again) when the job could not be replayed after all.
   */
  readonly beforeReplay: BeforeReplay = async (name, job) => {
    if (!isRunQueue(name)) return;
    const found = runMemberOf(name, job.data);
    if (!found) return;
    const reason = await this.tally.reopen(found.runId, found.member);
    if (reason === undefined) return;
    return async () => {
      await this.tally.settle(found.runId, found.member, [`failed:${reason}`]);
    };
  };
}

/** Several `onFinalFailure` handlers as one (each runs; the first error is thrown after all ran). */
export function allFinalFailures(
  ...handlers: Array<(data: unknown, reason: string) => Promise<void>>
): (data: unknown, reason: string) => Promise<void> {
  return async (data, reason) => {
    const results = await Promise.allSettled(handlers.map((h) => h(data, reason)));
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) throw failure.reason;
  };
}
