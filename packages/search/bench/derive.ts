/**
 * `npm run bench:derive`: CPU time per article of the fields the indexer derives from an article's
 * text (`extractEntities`, `extractTimeReferences`, `textSignature`), on the ECB+ development
 * articles and the extraction benchmark's true bodies (`../shared/datasets/...`), with a SHA-256 of
 * everything derived, so a faster version can be checked to give the same output. Each figure is
 * the median of 7 rounds of process CPU time (less moved by other load than wall time).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { extractEntities, extractTimeReferences, textSignature } from '@gazette/search';

const here = dirname(fileURLToPath(import.meta.url));
const datasets = resolve(here, '../../../../shared/datasets');
const ecb = readFileSync(join(datasets, 'ecbplus-events/articles.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => JSON.parse(line) as { title: string; body: string });
const truth = JSON.parse(
  readFileSync(join(datasets, 'article-extraction-benchmark/ground-truth.json'), 'utf8'),
) as Record<string, { title?: string; articleBody?: string }>;
const texts: Array<[string, string]> = [
  ...ecb.map((a): [string, string] => [a.title, a.body]),
  ...Object.values(truth).map((t): [string, string] => [t.title ?? '', t.articleBody ?? '']),
];

const hash = createHash('sha256');
for (const [title, body] of texts) {
  hash.update(
    JSON.stringify([extractEntities(title, body), extractTimeReferences(title, body), textSignature(title, body)]),
  );
}

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const parts = {
  entities: (t: string, b: string) => extractEntities(t, b),
  'years and dates': (t: string, b: string) => extractTimeReferences(t, b),
  signature: (t: string, b: string) => textSignature(t, b),
};
const chars = texts.reduce((n, [t, b]) => n + t.length + b.length, 0);
console.log(`${texts.length} articles, ${Math.round(chars / texts.length)} characters each on average`);
let total = 0;
for (const [name, fn] of Object.entries(parts)) {
  const rounds: number[] = [];
  for (let round = 0; round < 8; round++) {
    const c0 = cpuMs();
    for (const [t, b] of texts) fn(t, b);
    if (round > 0) rounds.push(((cpuMs() - c0) * 1000) / texts.length);
  }
  const median = rounds.sort((a, b) => a - b)[Math.floor(rounds.length / 2)]!;
  total += median;
  console.log(`${name.padEnd(16)} ${median.toFixed(0).padStart(5)} µs of CPU per article`);
}
console.log(`${'all three'.padEnd(16)} ${total.toFixed(0).padStart(5)} µs of CPU per article`);
console.log(`output sha256 ${hash.digest('hex')}`);
