import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compiledPath, entryArgs } from './entry.ts';

describe('entryArgs', () => {
  it('maps a source entry to its compiled file', () => {
    expect(compiledPath('services/api/src/main.ts')).toBe('services/api/dist/main.js');
    expect(compiledPath('packages/devstack/src/sub/stop.ts')).toBe('packages/devstack/dist/sub/stop.js');
    expect(compiledPath('test/bench/pipeline.ts')).toBeNull();
  });

  it('runs compiled output when it exists and the source through tsx otherwise', () => {
    const root = mkdtempSync(join(tmpdir(), 'gazette-entry-'));
    expect(entryArgs(root, 'services/api/src/main.ts')).toEqual([
      '--conditions=@gazette/source',
      '--import',
      'tsx',
      join(root, 'services/api/src/main.ts'),
    ]);
    mkdirSync(join(root, 'services/api/dist'), { recursive: true });
    writeFileSync(join(root, 'services/api/dist/main.js'), '');
    expect(entryArgs(root, 'services/api/src/main.ts')).toEqual([join(root, 'services/api/dist/main.js')]);
  });
});
