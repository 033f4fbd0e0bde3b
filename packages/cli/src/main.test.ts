import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from './main.ts';

let out: string[];
let err: string[];
beforeEach(() => {
  out = [];
  err = [];
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void out.push(args.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void err.push(args.join(' ')));
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe('gazette help and --version', () => {
  it('prints the version of the package for --version, -V and version', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    for (const flag of ['--version', '-V', 'version']) {
      out = [];
      expect(await main([flag])).toBe(0);
      expect(out).toEqual([`gazette ${version}`]);
    }
  });

  it('shows one command’s options for `help <command>`, as `<command> --help` does', async () => {
    expect(await main(['help', 'search'])).toBe(0);
    const viaHelp = out.join('\n');
    out = [];
    expect(await main(['search', '--help'])).toBe(0);
    expect(viaHelp).toBe(out.join('\n'));
    expect(viaHelp).toMatch(/^usage: gazette search/);
  });

  it('refuses help on a command that does not exist with a usage error', async () => {
    expect(await main(['help', 'serach'])).toBe(2);
    expect(err.join('\n')).toMatch(/^gazette help: unknown command 'serach'/);
    expect(await main(['help', 'search', 'extra'])).toBe(2);
    expect(err.join('\n')).toContain('unexpected argument extra');
    expect(out).toEqual([]);
  });

  it('lists the commands for help, and for no command at all with a usage exit', async () => {
    expect(await main(['help'])).toBe(0);
    expect(out.join('\n')).toMatch(/^usage: gazette <command>/);
    expect(await main([])).toBe(2);
  });
});

describe('gazette reindex and index merge --segments', () => {
  it('refuses a segment count that is not a whole number from 0 up, before touching any service', async () => {
    for (const value of ['-1', '2.5', 'few']) {
      err = [];
      expect(await main(['reindex', `--segments=${value}`])).toBe(2);
      expect(err.join('\n')).toContain(`--segments: expected a whole number from 0 to 1000, got ${value}`);
    }
    // Merging the live index to 0 segments means nothing: from 1 up there.
    err = [];
    expect(await main(['index', 'merge', '--segments=0'])).toBe(2);
    expect(err.join('\n')).toContain('--segments: expected a whole number from 1 to 1000, got 0');
  });
});
