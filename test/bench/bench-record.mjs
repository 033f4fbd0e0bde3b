/**
 * `--record`: a benchmark keeps its summary in `docs/bench-results/<name>.json`, the input of the
 * benchmark table in `docs/benchmarks.md` (`npm run bench:table` regenerates it). Plain JavaScript,
 * so the whole-process extraction bench (plain Node.js, no TypeScript loader) shares it.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Where recorded summaries live. */
export const RESULTS_DIR = join(repoRoot, 'docs', 'bench-results');

/** True when the command line asks for the summary to be recorded. */
export function wantsRecord(argv = process.argv) {
  return argv.includes('--record');
}

function commitOf() {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}

/**
 * Writes `{ name, bench, command, recordedAt, commit, node, cores, loadAverage, result }` to
 * `docs/bench-results/<name>.json` and returns the file's path.
 * @param {string} name file name without `.json` (e.g. `related-synthetic-100000`)
 * @param {string} bench which benchmark (`extract`, `extract-process`, `pipeline`, `related`, `related-synthetic`)
 * @param {string} script the npm script (`bench:related`)
 * @param {unknown} result the benchmark's summary
 * @param {number[]} loadAverage the 1-minute load average at the start and at the end of the run
 */
export function recordBenchResult(name, bench, script, result, loadAverage) {
  const args = process.argv.slice(2).filter((a) => a !== '--record');
  const record = {
    name,
    bench,
    command: `npm run ${script}${args.length ? ` -- ${args.join(' ')}` : ''}`,
    recordedAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    commit: commitOf(),
    node: process.version,
    cores: availableParallelism(),
    loadAverage: loadAverage.map((x) => Math.round(x * 10) / 10),
    result,
  };
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `${name}.json`);
  writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
  process.stderr.write(
    `recorded in docs/bench-results/${name}.json (npm run bench:table updates docs/benchmarks.md)\n`,
  );
  return file;
}

/** The 1-minute load average now. */
export function loadNow() {
  return loadavg()[0] ?? 0;
}
