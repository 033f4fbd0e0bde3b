/**
 * Per-page diagnostics: `tsx packages/extract/bench/diagnose.ts [--dir DIR] [--worst N] [--id PREFIX]`
 * prints each page's scores, worst first, with the tokens Gazette missed and added.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { extract } from '../src/index.ts';
import { scorePage, summarise, tokenize } from './score.ts';

const here = dirname(fileURLToPath(import.meta.url));
const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const dir = resolve(arg('--dir') ?? resolve(here, '../../..', '../shared/datasets/article-extraction-benchmark'));
const truth = JSON.parse(readFileSync(join(dir, 'ground-truth.json'), 'utf8')) as Record<
  string,
  { articleBody: string; url: string }
>;
const worst = Number(arg('--worst') ?? 10);
const only = arg('--id');

/** Runs of tokens in `a` not matched in order by `b` (an LCS diff), as short strings. */
function missing(a: string[], b: string[]): string[] {
  const n = a.length;
  const m = b.length;
  if (n * m > 25_000_000) return ['(too long to diff)'];
  const dp: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      dp[i]![j] = a[i] === b[j] ? dp[i + 1]![j + 1]! + 1 : Math.max(dp[i + 1]![j]!, dp[i]![j + 1]!);
  const runs: string[] = [];
  let run: string[] = [];
  let i = 0;
  let j = 0;
  while (i < n) {
    if (j < m && a[i] === b[j]) {
      if (run.length) runs.push(run.join(' '));
      run = [];
      i++;
      j++;
    } else if (j < m && dp[i]![j + 1]! >= dp[i + 1]![j]!) j++;
    else run.push(a[i++]!);
  }
  if (run.length) runs.push(run.join(' '));
  return runs;
}

const rows: Array<{ id: string; f: number; p: number; r: number; exact: boolean; miss: string[]; extra: string[] }> =
  [];
const scores = [];
for (const name of readdirSync(join(dir, 'html')).sort()) {
  const id = name.replace(/\.html(\.gz)?$/, '');
  if (only && !id.startsWith(only)) continue;
  const t = truth[id];
  if (!t) continue;
  const raw = readFileSync(join(dir, 'html', name));
  const html = name.endsWith('.gz') ? gunzipSync(raw) : raw;
  let body = '';
  try {
    const r = extract({ body: html, url: t.url, fetchedAt: '2019-11-20T00:00:00Z' });
    body = r.kind === 'article' ? r.record.body : `NOT ARTICLE ${r.reason}: ${r.detail}`;
  } catch (error) {
    console.log(id.slice(0, 8), 'ERROR', error);
  }
  const s = scorePage(t.articleBody, body);
  scores.push(s);
  const p = s.tp + s.fp ? s.tp / (s.tp + s.fp) : 0;
  const r = s.tp + s.fn ? s.tp / (s.tp + s.fn) : 0;
  const tt = tokenize(t.articleBody);
  const pt = tokenize(body);
  rows.push({
    id,
    f: p + r ? (2 * p * r) / (p + r) : 0,
    p,
    r,
    exact: s.exact,
    miss: s.exact ? [] : missing(tt, pt),
    extra: s.exact ? [] : missing(pt, tt),
  });
  if (only) console.log(body);
}
rows.sort((a, b) => a.f - b.f);
const clip = (s: string): string => (s.length > 160 ? `${s.slice(0, 157)}...` : s);
for (const r of rows.filter((x) => !x.exact).slice(0, worst)) {
  console.log(
    `\n== ${r.id.slice(0, 8)} ${truth[r.id]!.url.slice(0, 90)}  F=${r.f.toFixed(3)} P=${r.p.toFixed(3)} R=${r.r.toFixed(3)}`,
  );
  for (const m of r.miss.slice(0, 8)) console.log(`  - ${clip(m)}`);
  for (const m of r.extra.slice(0, 8)) console.log(`  + ${clip(m)}`);
}
console.log('\n', summarise(scores), 'inexact:', rows.filter((x) => !x.exact).length);
