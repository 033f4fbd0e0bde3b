import { parseArgs, type ParseArgsConfig } from 'node:util';
import { parseInstant as readInstant } from '@gazette/runtime';
import { UsageError } from '../command.ts';

export type FlagKind = 'string' | 'boolean' | 'multi';

export interface Parsed {
  flags: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

/**
 * Parses `--name value`, `--name=value`, boolean `--flag` and repeatable flags with
 * `node:util` parseArgs (the one option parser of every command); anything else is positional.
 */
export function parseFlags(argv: string[], spec: Record<string, FlagKind>): Parsed {
  const options: ParseArgsConfig['options'] = {};
  for (const [name, kind] of Object.entries(spec)) {
    options[name] = kind === 'boolean' ? { type: 'boolean' } : { type: 'string', multiple: kind === 'multi' };
  }
  // Only `--name` is an option: a word with one dash (`-word` in a search query) stays an argument.
  const dashed: string[] = [];
  const args = argv.map((a) => (/^-[^-]/.test(a) ? `\0${dashed.push(a) - 1}` : a));
  const restore = (v: string) => (v.startsWith('\0') ? (dashed[Number(v.slice(1))] ?? v) : v);
  let parsed;
  try {
    parsed = parseArgs({ args, options, strict: true, allowPositionals: true });
  } catch (error) {
    throw usageErrorOf(error, argv);
  }
  const flags: Parsed['flags'] = {};
  for (const [name, value] of Object.entries(parsed.values)) {
    flags[name] =
      typeof value === 'string' ? restore(value) : Array.isArray(value) ? value.map((v) => restore(String(v))) : value;
  }
  return { flags, positionals: parsed.positionals.map(restore) };
}

/** parseArgs' complaint in the words of the CLI: `unknown option --x`, `--x needs a value`. */
function usageErrorOf(error: unknown, argv: string[]): Error {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  const option = /'(--?[\w-]+)/.exec(message)?.[1] ?? argv.find((a) => a.startsWith('-')) ?? '';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return new UsageError(`unknown option ${option}`);
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') return new UsageError(`${option} needs a value`);
  return new UsageError(message);
}

/** A time flag: a duration ago (`30m`, `6h`, `7d`) or an ISO 8601 date or date-time (the one reading, `@gazette/runtime`). */
export function parseInstant(value: string, flag: string, now = Date.now()): Date {
  try {
    return readInstant(value, now);
  } catch (error) {
    throw new UsageError(`${flag}: ${(error as Error).message}`);
  }
}

/** A duration in milliseconds: `90s`, `15m`, `2h`, `1d` or plain milliseconds. */
export function parseDuration(value: string, flag: string): number {
  const match = /^(\d+)\s*(ms|s|m|h|d)?$/.exec(value);
  if (!match) throw new UsageError(`${flag} takes a duration such as 15m, 2h or 1d`);
  const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[(match[2] ?? 'ms') as 'ms'];
  return Number(match[1]) * unit;
}

export function positiveInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} takes a positive whole number`);
  return n;
}

/** `--segments N`: a whole number from `min` to 1000; `fallback` when absent. */
export function segmentsFlag(value: string | boolean | string[] | undefined, fallback: number, min = 0): number {
  if (value === undefined) return fallback;
  const segments = typeof value === 'string' ? Number(value) : NaN;
  if (!Number.isInteger(segments) || segments < min || segments > 1000) {
    throw new UsageError(`--segments: expected a whole number from ${min} to 1000, got ${String(value)}`);
  }
  return segments;
}
