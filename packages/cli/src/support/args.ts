import { UsageError } from '../command.ts';

export type FlagKind = 'string' | 'boolean' | 'multi';

export interface Parsed {
  flags: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

/** Parses `--name value`, `--name=value`, boolean `--flag` and repeatable flags; anything else is positional. */
export function parseFlags(argv: string[], spec: Record<string, FlagKind>): Parsed {
  const flags: Parsed['flags'] = {};
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    const kind = spec[name];
    if (!kind) throw new UsageError(`unknown option --${name}`);
    if (kind === 'boolean') {
      flags[name] = true;
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined || (inline === undefined && value.startsWith('--'))) {
      throw new UsageError(`--${name} needs a value`);
    }
    if (kind === 'multi') flags[name] = [...((flags[name] as string[] | undefined) ?? []), value];
    else flags[name] = value;
  }
  return { flags, positionals };
}

/** An instant: ISO 8601, or a duration ago such as `30m`, `6h`, `7d`. */
export function parseInstant(value: string, flag: string, now = Date.now()): Date {
  const relative = /^(\d+)\s*(s|m|h|d)$/.exec(value);
  if (relative) {
    const unit = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[relative[2] as 's' | 'm' | 'h' | 'd'];
    return new Date(now - Number(relative[1]) * unit);
  }
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new UsageError(`${flag} takes an ISO 8601 date or a duration ago such as 6h`);
  return date;
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
