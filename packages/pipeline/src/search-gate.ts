import { GazetteError } from '@gazette/jobs';
import type { Logger } from '@gazette/logger';
import { canWrite, isSearchUp } from '@gazette/search';

/** The Elasticsearch client the search package works with. */
type Client = Parameters<typeof isSearchUp>[0];

export interface SearchGateOptions {
  /** Whether Elasticsearch answers and is healthy (e.g. the search package's `isSearchUp`). */
  isUp: () => Promise<boolean>;
  /**
   * Whether a real write succeeds (e.g. the search package's `canWrite`, a write to a canary index).
   * Health alone cannot see a write block: under the flood stage the cluster stays green.
   */
  canWrite?: () => Promise<boolean>;
  log: Logger;
  /** How often, at most, to ask while it is down. */
  probeMs?: number;
  /**
   * How long it must keep answering before indexing resumes. A node that is shutting down still
   * answers health checks for a few seconds while refusing writes; this keeps the gate shut then.
   */
  settleMs?: number;
  /** Clock (tests). */
  now?: () => number;
}

/**
 * The indexer's view of Elasticsearch's availability. Once an index job fails
 * because Elasticsearch is unreachable, answers 5xx/429 to a whole request, or
 * refuses writes (a write block such as the flood stage's, back-pressure), the
 * gate closes: {@link SearchGate.available} says no, without asking, until
 * the next probe is due, and then asks once for all callers; it opens again
 * once Elasticsearch has kept answering, and accepting a real write, for `settleMs`. The indexer
 * rate-limits its queue while the gate is closed, so jobs wait without spending
 * attempts and an outage of any length drops nothing.
 */
export class SearchGate {
  readonly probeMs: number;
  private readonly settleMs: number;
  private upSince: number | undefined;
  private readonly isUp: () => Promise<boolean>;
  private readonly canWrite: () => Promise<boolean>;
  private readonly log: Logger;
  private readonly now: () => number;
  private closed = false;
  private nextProbe = 0;
  private probe: Promise<boolean> | undefined;

  constructor(options: SearchGateOptions) {
    this.isUp = options.isUp;
    this.canWrite = options.canWrite ?? (async () => true);
    this.log = options.log;
    this.probeMs = options.probeMs ?? 1_000;
    this.settleMs = options.settleMs ?? 3_000;
    this.now = options.now ?? Date.now;
  }

  /** False while Elasticsearch is known to be away. */
  get open(): boolean {
    return !this.closed;
  }

  /** Whether index jobs should run now (probes Elasticsearch, once per interval, while it is away). */
  async available(): Promise<boolean> {
    if (!this.closed) return true;
    if (this.now() < this.nextProbe) return false;
    this.probe ??= this.isUp()
      .then(async (up) => up && (await this.canWrite()))
      .catch(() => false)
      .then((up) => {
        const now = this.now();
        this.nextProbe = now + this.probeMs;
        if (!up) {
          this.upSince = undefined;
          return false;
        }
        this.upSince ??= now;
        if (this.closed && now - this.upSince >= this.settleMs) {
          this.closed = false;
          this.log.info('Elasticsearch answers again: indexing resumes');
        }
        return !this.closed;
      })
      .finally(() => (this.probe = undefined));
    return this.probe;
  }

  /** Closes the gate when `error` says Elasticsearch as a whole is unavailable. */
  noteFailure(error: unknown): void {
    if (error instanceof GazetteError && error.retryable && error.reason.startsWith('es-') && !this.closed) {
      this.closed = true;
      this.upSince = undefined;
      this.nextProbe = this.now() + this.probeMs;
      this.log.warn(
        { err: error, reason: error.reason },
        'Elasticsearch is unavailable or refuses writes: index jobs wait until a write succeeds',
      );
    }
  }
}

/**
 * The indexer's gate on a real cluster: Elasticsearch counts as up when the articles index (`index`,
 * an alias) is not red, whatever other indices are (another application's in a shared cluster, or
 * the write probe's own canary after losing its only copy, which `canWrite` starts afresh), and a
 * real write to the canary beside it succeeds.
 */
export function searchGateFor(
  es: Client,
  index: string,
  options: Omit<SearchGateOptions, 'isUp' | 'canWrite'>,
): SearchGate {
  return new SearchGate({ ...options, isUp: () => isSearchUp(es, index), canWrite: () => canWrite(es, index) });
}
