/**
 * Phrases per document, for `bench:related --dense-vectors FILE` (measured offline).
 *
 * A phrase is a run of `--n` (2 or 3) neighbouring words. `--words signature` takes the words the
 * text signature counts (stop words left out, plurals reduced: "fired coach", "coach maurice"),
 * `--words all` every word, a run made only of stop words skipped. Reports of one event often share
 * a wire story's sentences and the phrases that name what happened; two events of one kind share
 * single words but fewer phrases.
 *
 *   npm run bench:related -- --index <kept> --no-story --lookups 0 --dense-docs .data/dense-docs.jsonl
 *   npx tsx --conditions=@gazette/source packages/search/bench/phrases.ts \
 *     --docs .data/dense-docs.jsonl --out .data/phrases.json [--n 2|3] [--words signature|all]
 *   npm run bench:related -- --index <kept> --no-story --lookups 0 \
 *     --dense-vectors .data/phrases.json --dense-weights 0,0.25,0.5,1,2,3
 *
 * Each document (title twice, then body) becomes a bag of phrases that at least two documents
 * share, weighted `(1 + ln count) × ln(n / df)` over the n documents given and hashed (FNV-1a) into
 * `--dimensions` (16,384) slots, one vector per document (the format `--dense-vectors` reads).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { signatureTerms } from '../src/index.ts';

const { values } = parseArgs({
  options: {
    docs: { type: 'string' },
    out: { type: 'string' },
    n: { type: 'string', default: '2' },
    words: { type: 'string', default: 'signature' },
    dimensions: { type: 'string', default: '16384' },
  },
});
const n = Number(values.n);
const dimensions = Number(values.dimensions);
const mode = values.words;
if (
  !values.docs ||
  !values.out ||
  !(n >= 2 && n <= 3) ||
  !(dimensions > 0) ||
  (mode !== 'signature' && mode !== 'all')
) {
  console.error(
    'usage: phrases.ts --docs FILE.jsonl --out FILE.json [--n 2|3] [--words signature|all] [--dimensions D]',
  );
  process.exit(2);
}

const WORD = /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu;
const allTerms = (text: string) => (text.toLowerCase().match(WORD) ?? []).map((w) => w.replace(/['’]s$/, ''));
/** A run of stop words ("of the", "in a") says nothing; the signature's own stop list decides. */
const isStop = (w: string) => signatureTerms(w).length === 0;

function slot(phrase: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < phrase.length; i++) {
    h ^= phrase.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % dimensions;
}

interface Doc {
  id: string;
  title: string;
  body: string;
}
const docs = readFileSync(values.docs, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => JSON.parse(line) as Doc);

const counts = docs.map((doc) => {
  const tf = new Map<string, number>();
  for (const text of [doc.title, doc.title, doc.body]) {
    const words = mode === 'signature' ? signatureTerms(text) : allTerms(text);
    for (let i = 0; i + n <= words.length; i++) {
      const run = words.slice(i, i + n);
      if (mode === 'all' && run.every(isStop)) continue;
      const phrase = run.join(' ');
      tf.set(phrase, (tf.get(phrase) ?? 0) + 1);
    }
  }
  return tf;
});
const df = new Map<string, number>();
for (const tf of counts) for (const phrase of tf.keys()) df.set(phrase, (df.get(phrase) ?? 0) + 1);

const vectors: Record<string, number[]> = {};
let shared = 0;
docs.forEach((doc, k) => {
  const v = new Array<number>(dimensions).fill(0);
  for (const [phrase, count] of counts[k]!) {
    const f = df.get(phrase)!;
    if (f < 2) continue;
    shared++;
    v[slot(phrase)]! += (1 + Math.log(count)) * Math.log(docs.length / f);
  }
  vectors[doc.id] = v.map((x) => Math.round(x * 1000) / 1000);
});
writeFileSync(
  values.out,
  JSON.stringify({ model: `${n}-word phrases (${mode} words)`, mode: 'tf-idf, hashed', dimensions, vectors }),
);
console.log(
  `${docs.length} documents, ${df.size} distinct phrases, ${[...df.values()].filter((f) => f >= 2).length} in two or more, ${(shared / docs.length).toFixed(1)} such per document`,
);
