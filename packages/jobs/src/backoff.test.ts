import { describe, expect, it } from 'vitest';
import { catalog } from './catalog.ts';
import { RetryableError } from '@gazette/errors';
import { backoffOptions, gazetteBackoff } from './queues.ts';

function samples(attempt: number, backoff: ReturnType<typeof backoffOptions>, n = 400): number[] {
  return Array.from({ length: n }, () => gazetteBackoff(attempt, 'gazette', new Error('x'), { opts: { backoff } }));
}

describe('retry backoff', () => {
  it('keeps the catalog jitter on each queue', () => {
    expect(backoffOptions(catalog.crawl.jobOptions)).toEqual({ type: 'gazette', delay: 2_000, jitter: 0.5 });
    expect(backoffOptions(catalog.index.jobOptions)).toEqual({ type: 'gazette', delay: 1_000, jitter: 0.2 });
    expect(backoffOptions(catalog.parse.jobOptions)).toEqual({ type: 'gazette', delay: 1_000 });
  });

  it('spreads each delay by the queue jitter around the exponential value', () => {
    const index = samples(3, backoffOptions(catalog.index.jobOptions)); // 4 s, ±10 %
    expect(Math.min(...index)).toBeGreaterThanOrEqual(3_600);
    expect(Math.max(...index)).toBeLessThanOrEqual(4_400);
    const parse = samples(3, backoffOptions(catalog.parse.jobOptions)); // 4 s, ±25 % by default
    expect(Math.min(...parse)).toBeGreaterThanOrEqual(3_000);
    expect(Math.max(...parse)).toBeLessThanOrEqual(5_000);
    expect(Math.max(...parse) - Math.min(...parse)).toBeGreaterThan(Math.max(...index) - Math.min(...index));
  });

  it('waits as long as a retryable error asks, up to five minutes', () => {
    const opts = { backoff: backoffOptions(catalog.crawl.jobOptions) };
    expect(
      gazetteBackoff(1, 'gazette', new RetryableError('http-429', 'slow down', { retryAfterMs: 7_000 }), { opts }),
    ).toBe(7_000);
    expect(
      gazetteBackoff(1, 'gazette', new RetryableError('http-429', 'slow down', { retryAfterMs: 1e9 }), { opts }),
    ).toBe(300_000);
  });
});
