export interface BoundedLabelOptions {
  /** Values counted (space-saving) to find the busiest; default 4 × max. Memory stays this size. */
  capacity?: number;
  /** The labelled set is recomputed after this many observations; default 1000. */
  recomputeEvery?: number;
  /** Called with each value that lost its own label (e.g. to remove its series). */
  onDemote?: (value: string) => void;
}

/**
 * A metric label with bounded cardinality: the `max` busiest values keep their own label, every
 * other one is counted as `other`, so a crawl of thousands of sites never makes thousands of series.
 * Volumes are estimated with the space-saving algorithm over a fixed number of counters (a value
 * seen often enough always holds one; its count is over-estimated by at most the `error` it took
 * over), and the labelled set is recomputed every `recomputeEvery` observations, so a site that
 * grows busy later takes the place of a quiet one seen first. Until the first recomputation the
 * first `max` values seen are labelled.
 */
export class BoundedLabel {
  private readonly counts = new Map<string, { count: number; error: number }>();
  private labelled = new Set<string>();
  private sinceRecompute = 0;
  private readonly capacity: number;
  private readonly recomputeEvery: number;

  constructor(
    readonly max: number,
    private readonly options: BoundedLabelOptions = {},
  ) {
    this.capacity = Math.max(max, options.capacity ?? max * 4);
    this.recomputeEvery = options.recomputeEvery ?? 1_000;
  }

  /** Counts one observation of `value` and returns its label: itself, or `other`. */
  of(value: string): string {
    this.observe(value);
    if (this.labelled.size < this.max && !this.labelled.has(value)) this.labelled.add(value);
    if (++this.sinceRecompute >= this.recomputeEvery) this.recompute();
    return this.labelled.has(value) ? value : 'other';
  }

  /** The values labelled now. */
  get current(): string[] {
    return [...this.labelled];
  }

  /** Estimated volume of a value (space-saving: an upper bound, exact while it never lost its counter). */
  estimate(value: string): number {
    return this.counts.get(value)?.count ?? 0;
  }

  /** Makes the `max` busiest values the labelled ones (a tie keeps the one already labelled). */
  recompute(): void {
    this.sinceRecompute = 0;
    const top = [...this.counts]
      .sort(
        ([a, x], [b, y]) =>
          y.count - x.count || Number(this.labelled.has(b)) - Number(this.labelled.has(a)) || a.localeCompare(b),
      )
      .slice(0, this.max)
      .map(([v]) => v);
    const next = new Set(top);
    for (const v of this.labelled) if (!next.has(v)) this.options.onDemote?.(v);
    this.labelled = next;
  }

  private observe(value: string): void {
    const entry = this.counts.get(value);
    if (entry) {
      entry.count++;
      return;
    }
    if (this.counts.size < this.capacity) {
      this.counts.set(value, { count: 1, error: 0 });
      return;
    }
    // Space-saving: the new value takes over the smallest counter, inheriting its count as error.
    let minKey = '';
    let min = Infinity;
    for (const [k, e] of this.counts) {
      if (e.count < min) {
        min = e.count;
        minKey = k;
      }
    }
    this.counts.delete(minKey);
    this.counts.set(value, { count: min + 1, error: min });
  }
}

/** The class of an HTTP status (`2xx` ... `5xx`), or `none` when no response came. */
export function statusClass(status: number | undefined): string {
  return status !== undefined && status >= 100 && status < 600 ? `${Math.floor(status / 100)}xx` : 'none';
}

/**
 * Labels of one fetch for `gazette_fetch_total{status,class,reason}`: the status code and its class,
 * and a reason code (`ok`, `not-modified`, `gone`, or the failure's: `http-404`, `timeout`, ...). A
 * failure's status comes from its reason when it names one (`http-503` → 503, `http-4xx` → class 4xx).
 */
export function fetchLabels(fetched: { status?: number; reason: string } | { error: { reason?: string } }): {
  status: string;
  class: string;
  reason: string;
} {
  if ('error' in fetched) {
    const reason = fetched.error.reason ?? 'unexpected';
    const exact = /^http-(\d{3})$/.exec(reason);
    if (exact) return { status: exact[1]!, class: statusClass(Number(exact[1])), reason };
    const range = /^http-([1-5])xx$/.exec(reason);
    return { status: 'none', class: range ? `${range[1]}xx` : 'none', reason };
  }
  return {
    status: fetched.status === undefined ? 'none' : String(fetched.status),
    class: statusClass(fetched.status),
    reason: fetched.reason,
  };
}
