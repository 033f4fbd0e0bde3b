import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MAX_OLD_SPACE_MB,
  requireModuleNeedsFlag,
  serviceProcessEnv,
  withHeapCeiling,
  withRequireModule,
} from './node-options.ts';

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

describe('withRequireModule', () => {
  it('asks for require() of ES modules on the Node.js versions that have it behind a flag only', () => {
    for (const v of ['20.17.0', '20.18.1', '22.0.0', '22.11.0']) expect(requireModuleNeedsFlag(v), v).toBe(true);
    for (const v of ['20.16.0', '20.19.0', '20.20.2', '22.12.0', '24.21.0', '23.0.0']) {
      expect(requireModuleNeedsFlag(v), v).toBe(false);
    }
  });

  it('adds the flag once, after what NODE_OPTIONS holds, and only where needed', () => {
    expect(withRequireModule({ NODE_OPTIONS: '--trace-gc' }, '20.18.1').NODE_OPTIONS).toBe(
      '--trace-gc --experimental-require-module',
    );
    const flagged = { NODE_OPTIONS: '--experimental-require-module' };
    expect(withRequireModule(flagged, '20.18.1')).toBe(flagged);
    const env = { A: '1' };
    expect(withRequireModule(env, '20.20.2')).toBe(env);
  });

  it('gives a service process both the heap ceiling and, on this Node.js, the flag where needed', () => {
    const options = serviceProcessEnv({}).NODE_OPTIONS ?? '';
    expect(options).toContain(`--max-old-space-size=${DEFAULT_MAX_OLD_SPACE_MB}`);
    expect(options.includes('--experimental-require-module')).toBe(requireModuleNeedsFlag());
  });
});
