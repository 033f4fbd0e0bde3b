import { createSearchClient } from '@gazette/search';
import { UsageError } from '../command.ts';

/** Parsed `--name value` options (repeatable ones collected) and positional arguments. */
export interface ParsedArgs {
  values: Map<string, string[]>;
  flags: Set<string>;
  positional: string[];
}

/** Splits argv into options with a value, boolean flags and positional arguments; unknown options are usage errors. */
export function parseOptions(argv: string[], valued: string[], booleans: string[]): ParsedArgs {
  const values = new Map<string, string[]>();
  const flags = new Set<string>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--') || arg === '--') {
      if (arg !== '--') positional.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    if (booleans.includes(name)) flags.add(name);
    else if (valued.includes(name)) {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
      values.set(name, [...(values.get(name) ?? []), value]);
    } else throw new UsageError(`unknown option --${name}`);
  }
  return { values, flags, positional };
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

export function dateOption(args: ParsedArgs, name: string): string | undefined {
  const raw = args.values.get(name)?.at(-1);
  if (raw === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}/.test(raw) || Number.isNaN(Date.parse(raw))) {
    throw new UsageError(`--${name} must be an ISO 8601 date or time`);
  }
  return raw;
}

/** Elasticsearch client and articles alias from ELASTICSEARCH_URL and ES_INDEX (or --index). */
export function searchTarget(args: ParsedArgs, env: NodeJS.ProcessEnv = process.env) {
  const url = env['ELASTICSEARCH_URL'] ?? 'http://127.0.0.1:9200';
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
