import { describe, expect, it } from 'vitest';
import { parseFlags } from './args.ts';

describe('parseFlags', () => {
  const spec = { site: 'multi', json: 'boolean', since: 'string' } as const;

  it('reads values, repeated and boolean options, and keeps one-dash words as arguments', () => {
    expect(parseFlags(['storm', '--site', 'a.example', '--site=b.example', '-draft', '--json'], spec)).toEqual({
      flags: { site: ['a.example', 'b.example'], json: true },
      positionals: ['storm', '-draft'],
    });
    expect(parseFlags(['--since', '-1d'], spec).flags.since).toBe('-1d');
  });

  it('says which option is unknown or lacks its value', () => {
    expect(() => parseFlags(['--nope'], spec)).toThrow('unknown option --nope');
    expect(() => parseFlags(['--since'], spec)).toThrow('--since needs a value');
    expect(() => parseFlags(['--since', '--json'], spec)).toThrow('--since needs a value');
  });
});
