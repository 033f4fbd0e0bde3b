import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_OLD_SPACE_MB, withHeapCeiling } from './node-options.ts';

describe('withHeapCeiling', () => {
  it('adds the default ceiling, keeping other options', () => {
    expect(withHeapCeiling({}).NODE_OPTIONS).toBe(`--max-old-space-size=${DEFAULT_MAX_OLD_SPACE_MB}`);
    expect(withHeapCeiling({ NODE_OPTIONS: '--enable-source-maps', A: '1' })).toEqual({
      NODE_OPTIONS: `--enable-source-maps --max-old-space-size=${DEFAULT_MAX_OLD_SPACE_MB}`,
      A: '1',
    });
  });

  it('leaves a ceiling the operator chose', () => {
    expect(withHeapCeiling({ NODE_OPTIONS: '--max-old-space-size=1024' }).NODE_OPTIONS).toBe(
      '--max-old-space-size=1024',
    );
    expect(withHeapCeiling({ NODE_OPTIONS: '--trace-gc --max-old-space-size 512' }).NODE_OPTIONS).toBe(
      '--trace-gc --max-old-space-size 512',
    );
  });
});
