import { backingServiceUrls } from '@gazette/runtime';
import { createSearchClient } from '@gazette/search';
import { UsageError } from '../command.ts';
import { parseFlags, parseInstant, type FlagKind } from '../support/args.ts';

/** Parsed `--name value` options (repeatable ones collected) and positional arguments. */
export interface ParsedArgs {
  values: Map<string, string[]>;
  flags: Set<string>;
  positional: string[];
}

/** Splits argv into options with a value (repeatable), boolean flags and positional arguments; unknown options are usage errors. */
export function parseOptions(argv: string[], valued: string[], booleans: string[]): ParsedArgs {
  const spec: Record<string, FlagKind> = {};
  for (const name of valued) spec[name] = 'multi';
  for (const name of booleans) spec[name] = 'boolean';
  const { flags, positionals } = parseFlags(argv, spec);
  const values = new Map<string, string[]>();
  const set = new Set<string>();
  for (const [name, value] of Object.entries(flags)) {
    if (Array.isArray(value)) values.set(name, value);
    else if (value === true) set.add(name);
  }
  return { values, flags: set, positional: positionals };
}

export function intOption(args: ParsedArgs, name: string, min: number, max: number): number | undefined {
  const raw = args.values.get(name)?.at(-1);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}`);
  return n;
}

export function listOption(args: ParsedArgs, name: string): string[] | undefined {
  const all = (args.values.get(name) ?? [])
    .flatMap((v) => v.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
  return all.length ? all : undefined;
}

/** A time option: a duration ago (`6h`, `2d`) or an ISO 8601 date or date-time, as an ISO date-time. */
export function dateOption(args: ParsedArgs, name: string): string | undefined {
  const raw = args.values.get(name)?.at(-1);
  if (raw === undefined) return undefined;
  return parseInstant(raw, `--${name}`).toISOString();
}

/** `--since` and `--until` ({@link dateOption}); `--since` after `--until` is a usage error, not an empty answer. */
export function dateRange(args: ParsedArgs): { since: string | undefined; until: string | undefined } {
  const since = dateOption(args, 'since');
  const until = dateOption(args, 'until');
  if (since && until && since > until) throw new UsageError(`--since (${since}) is after --until (${until})`);
  return { since, until };
}

/** Elasticsearch client and articles alias from ELASTICSEARCH_URL and ES_INDEX (or --index). */
export function searchTarget(args: ParsedArgs, env: NodeJS.ProcessEnv = process.env) {
  const url = backingServiceUrls(env).esUrl;
  const index = args.values.get('index')?.at(-1) ?? env['ES_INDEX'] ?? 'gazette-articles';
  return { client: createSearchClient({ url, requestTimeoutMs: 15_000 }), index };
}

export const ES_USAGE = [
  '  --index NAME          articles alias or index (default: ES_INDEX, else gazette-articles)',
  '  --json                print JSON',
  '',
  'Elasticsearch is ELASTICSEARCH_URL (default http://127.0.0.1:9200).',
];

/** `2025-07-25T09:32:00Z` → `2025-07-25`, or `-`. */
export const day = (iso: string | null) => (iso ? iso.slice(0, 10) : '-');
