import type { Logger } from 'pino';

export interface OutcomeSummaryOptions {
  /** What is counted, first word of the line (`crawl`, `parse`, `index`). */
  what: string;
  logger: Logger;
  /** Length of a summary period; default 1 s. */
  intervalMs?: number;
  /** Clock (tests). */
  now?: () => number;
}

/**
 * One info line per period instead of one per page: outcomes are counted as they happen and
 * written once a period, e.g. `crawl: 37 fetched, 2 not-modified, 1 failed (http-503) in the last 1 s`
 * (failures and retries with their reasons). Nothing is written for a period without outcomes.
 */
export class OutcomeSummary {
  private counts = new Map<string, Map<string, number>>();
  private since: number;
  private timer: NodeJS.Timeout | undefined;
  private readonly now: () => number;

  constructor(private readonly options: OutcomeSummaryOptions) {
    this.now = options.now ?? Date.now;
    this.since = this.now();
  }

  /** Counts one outcome (`fetched`, `failed`, ...), with its reason when it has one. */
  record(outcome: string, reason = ''): void {
    let reasons = this.counts.get(outcome);
    if (!reasons) this.counts.set(outcome, (reasons = new Map()));
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  }

  /** Writes the line for the period that ends now (if anything happened) and starts the next; returns it. */
  flush(): string | null {
    const now = this.now();
    const seconds = Math.max(1, Math.round((now - this.since) / 1000));
    this.since = now;
    if (this.counts.size === 0) return null;
    const outcomes: Record<string, number> = {};
    const parts = [...this.counts]
      .map(([outcome, reasons]) => {
        const total = [...reasons.values()].reduce((a, n) => a + n, 0);
        outcomes[outcome] = total;
        const named = [...reasons]
          .filter(([r]) => r !== '')
          .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
          .map(([r, n]) => (n > 1 ? `${r} ×${n}` : r));
        return { outcome, total, text: `${total} ${outcome}${named.length ? ` (${named.join(', ')})` : ''}` };
      })
      // Successes first by count, then failures and retries.
      .sort((a, b) => rank(a.outcome) - rank(b.outcome) || b.total - a.total || a.outcome.localeCompare(b.outcome))
      .map((p) => p.text);
    this.counts.clear();
    const line = `${this.options.what}: ${parts.join(', ')} in the last ${seconds} s`;
    this.options.logger.info({ summary: this.options.what, outcomes, seconds }, line);
    return line;
  }

  /** Flushes every period until {@link stop}. */
  start(): this {
    this.timer ??= setInterval(() => this.flush(), this.options.intervalMs ?? 1_000).unref();
    return this;
  }

  /** Stops the timer and writes what is left. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.flush();
  }
}

const rank = (outcome: string) => (outcome === 'failed' ? 2 : outcome === 'retrying' ? 1 : 0);
