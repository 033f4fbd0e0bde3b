/**
 * A metric label with bounded cardinality: the first `max` distinct values keep their own label,
 * every later one is counted as `other`, so a crawl of thousands of sites never makes thousands of
 * series. A busy deployment sees its main sites first; `other` says how much falls outside.
 */
export class BoundedLabel {
  private readonly seen = new Set<string>();
  constructor(readonly max: number) {}

  of(value: string): string {
    if (this.seen.has(value)) return value;
    if (this.seen.size >= this.max) return 'other';
    this.seen.add(value);
    return value;
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
