/**
 * `npm run bench:table [-- --check]`: regenerates the benchmark table of `docs/benchmarks.md` from
 * the summaries in `docs/bench-results/` (written by the benches' `--record`). With `--check` it
 * changes nothing and exits 1 when the table is out of date.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RESULTS_DIR } from './bench-record.mjs';
import { renderBenchTable, replaceBenchTable, type BenchRecord } from './bench-table.ts';

const docFile = join(RESULTS_DIR, '..', 'benchmarks.md');
const records: BenchRecord[] = existsSync(RESULTS_DIR)
  ? readdirSync(RESULTS_DIR)
      .filter((name) => name.endsWith('.json'))
      .sort()
      .map((name) => JSON.parse(readFileSync(join(RESULTS_DIR, name), 'utf8')) as BenchRecord)
  : [];
const current = readFileSync(docFile, 'utf8');
const updated = replaceBenchTable(current, renderBenchTable(records));
if (process.argv.includes('--check')) {
  if (updated !== current) {
    console.error(
      'docs/benchmarks.md: the benchmark table differs from docs/bench-results/; run `npm run bench:table`',
    );
    process.exit(1);
  }
  console.log(`bench table: up to date (${records.length} recorded runs)`);
} else {
  writeFileSync(docFile, updated);
  console.log(`docs/benchmarks.md: table regenerated from ${records.length} recorded runs`);
}
