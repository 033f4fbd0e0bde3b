import { describe, expect, it } from 'vitest';
import { MAX_SKIPPED_FIRES, nextBackoff } from './sources.ts';

describe('polling backoff', () => {
  it('doubles the effective interval after each quiet run, up to a cap', () => {
    let state = nextBackoff(null, 0);
    const skips = [state.skipsLeft];
    for (let i = 0; i < 5; i++) {
      state = nextBackoff(state, 0);
      skips.push(state.skipsLeft);
    }
    // Skipping 2^n - 1 fires after n quiet runs polls at 2×, 4×, 8× the interval.
    expect(skips).toEqual([1, 3, 7, 7, 7, 7].map((n) => Math.min(n, MAX_SKIPPED_FIRES)));
  });

  it('resets as soon as a run finds something new', () => {
    const quiet = nextBackoff(nextBackoff(null, 0), 0);
    expect(quiet.skipsLeft).toBeGreaterThan(0);
    expect(nextBackoff(quiet, 3)).toEqual({ quietRuns: 0, skipsLeft: 0 });
  });
});
