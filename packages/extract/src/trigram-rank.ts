/**
 * franc-all's ranking, computed through an inverted trigram index.
 *
 * franc-all scores a text against every language of its script by looking each of the text's
 * trigrams up in every language's profile (about 300 languages × 300 trigrams for Latin text):
 * most lookups miss and add the same maximum penalty. Here each script's profiles are turned once
 * into trigram → (language, rank) postings, every language starts at the all-missing distance, and
 * only the trigrams a language actually has correct it. The text's trigrams are counted as
 * franc-all's `trigram-utils` counts them; their order does not matter to the sums. The arithmetic,
 * the language order and the stable sort are franc-all's, so the answers and scores are identical
 * (a test compares them).
 */
import { data as francData } from 'franc-all/data.js';
import { expressions as francExpressions } from 'franc-all/expressions.js';

/** franc-all's constants: the longest sample it reads, and the penalty for a trigram a profile lacks. */
const MAX_LENGTH = 2048;
const MAX_DIFFERENCE = 300;
/** More than any script's number of languages: a sort key packs a distance and a language's position. */
const LANGUAGE_SLOTS = 1024;
const LANGUAGE_BITS = 10;

interface ScriptIndex {
  /** Languages in franc-all's order (its profile object's key order). */
  languages: string[];
  /** Postings of trigram number n: `postings[offsets[n]]` up to `postings[offsets[n + 1]]`. */
  offsets: Int32Array;
  /**
   * One entry per (language, rank in that language's profile), grouped by trigram, both in one
   * number: `language + LANGUAGE_SLOTS × (rank + 1)`.
   */
  postings: Int32Array;
  /** Trigram (by {@link trigramKey}, so a text's trigrams are never built as strings) → its number. */
  table: KeyTable;
}

/**
 * A trigram's three UTF-16 code units as one number (exact: under 2^48). Every profile trigram is
 * three code units, as every trigram of a text is.
 */
function trigramKey(text: string, i: number): number {
  return (text.charCodeAt(i) * 0x10000 + text.charCodeAt(i + 1)) * 0x10000 + text.charCodeAt(i + 2);
}

/** Trigram keys → numbers: open addressing with linear probing, in two flat arrays. */
interface KeyTable {
  keys: Float64Array;
  values: Int32Array;
  mask: number;
}

function slotOf(table: KeyTable, key: number): number {
  const high = Math.floor(key / 0x100000000);
  let slot = (Math.imul(high, 0x9e3779b1) ^ Math.imul((key - high * 0x100000000) | 0, 0x85ebca6b)) >>> 0;
  slot = (slot ^ (slot >>> 15)) & table.mask;
  const keys = table.keys;
  while (keys[slot] !== key && keys[slot] !== -1) slot = (slot + 1) & table.mask;
  return slot;
}

/** An empty table for about `expected` keys. */
function emptyTable(expected: number): KeyTable {
  let capacity = 1024;
  while (capacity < expected * 2) capacity *= 2;
  return { keys: new Float64Array(capacity).fill(-1), values: new Int32Array(capacity), mask: capacity - 1 };
}

/** The same keys in a table twice the size, kept at most half full. */
function grown(table: KeyTable, used: number): KeyTable {
  const next = emptyTable(used * 2);
  for (let slot = 0; slot < table.keys.length; slot++) {
    const key = table.keys[slot]!;
    if (key === -1) continue;
    const at = slotOf(next, key);
    next.keys[at] = key;
    next.values[at] = table.values[slot]!;
  }
  return next;
}

const data = francData as Readonly<Record<string, Readonly<Record<string, string>>>>;
const expressions = francExpressions as Readonly<Record<string, RegExp>>;
const indexes = new Map<string, ScriptIndex>();

/**
 * Builds a script's index on its first use (Latin: about 100,000 postings). Two passes over the
 * profiles, which are `|`-separated trigram lists read in place: the first numbers the trigrams and
 * counts each one's postings, the second places them, so the build allocates a few flat arrays and
 * no string per trigram. An entry that is not three code units cannot be a text's trigram: it keeps
 * its place in the ranks and gets no posting.
 */
function scriptIndex(script: string): ScriptIndex {
  const cached = indexes.get(script);
  if (cached) return cached;
  const profiles = data[script]!;
  const languages = Object.keys(profiles);
  if (languages.length > LANGUAGE_SLOTS) throw new Error(`${script}: more languages than sort-key slots`);
  const models = languages.map((language) => profiles[language]!);
  let total = 0;
  for (const model of models) {
    total++;
    // By search, not character by character: the index is built once, in code not yet optimised.
    for (let i = model.indexOf('|'); i !== -1; i = model.indexOf('|', i + 1)) total++;
  }
  let table = emptyTable(1024);
  let ids = 0;
  /** Each profile entry's trigram number, or -1 (a repeat within the same profile, or not a trigram). */
  const entryIds = new Int32Array(total);
  const counts = new Int32Array(total + 1);
  const lastLanguage = new Int32Array(total).fill(-1);
  let entry = 0;
  for (let li = 0; li < models.length; li++) {
    const model = models[li]!;
    for (let start = 0; start <= model.length; entry++) {
      let end = model.indexOf('|', start);
      if (end < 0) end = model.length;
      let id = -1;
      if (end - start === 3) {
        const key = trigramKey(model, start);
        let slot = slotOf(table, key);
        if (table.keys[slot] === -1) {
          if ((ids + 1) * 2 > table.keys.length) {
            table = grown(table, ids + 1);
            slot = slotOf(table, key);
          }
          table.keys[slot] = key;
          table.values[slot] = ids++;
        }
        id = table.values[slot]!;
        // franc-all assigns ranks from the last trigram back, so a repeated trigram keeps its first rank.
        if (lastLanguage[id] === li) id = -1;
        else {
          lastLanguage[id] = li;
          counts[id + 1]!++;
        }
      }
      entryIds[entry] = id;
      start = end + 1;
    }
  }
  const offsets = new Int32Array(ids + 1);
  for (let id = 0; id < ids; id++) offsets[id + 1] = offsets[id]! + counts[id + 1]!;
  const postings = new Int32Array(offsets[ids]!);
  const cursor = offsets.slice(0, ids);
  entry = 0;
  for (let li = 0; li < models.length; li++) {
    const model = models[li]!;
    for (let start = 0, rank = 0; start <= model.length; rank++, entry++) {
      let end = model.indexOf('|', start);
      if (end < 0) end = model.length;
      start = end + 1;
      const id = entryIds[entry]!;
      if (id < 0) continue;
      postings[cursor[id]!++] = li + LANGUAGE_SLOTS * (rank + 1);
    }
  }
  const index = { languages, offsets, postings, table };
  indexes.set(script, index);
  return index;
}

const scriptNames = Object.keys(expressions);
/** Each script's expression without the global flag: one code unit is tested at a time. */
let unitTests: RegExp[] | undefined;
/** For each UTF-16 code unit, 1 + the index in `unitSets` of the scripts whose expression matches it; 0 = not yet known. */
const unitSetOf = new Uint16Array(0x10000);
const unitSets: number[][] = [];
const unitSetIds = new Map<string, number>();

function scriptsOfUnit(unit: number): number[] {
  let id = unitSetOf[unit]!;
  if (id === 0) {
    unitTests ??= scriptNames.map((name) => new RegExp(expressions[name]!.source));
    const ch = String.fromCharCode(unit);
    const matching: number[] = [];
    for (let s = 0; s < unitTests.length; s++) if (unitTests[s]!.test(ch)) matching.push(s);
    const key = matching.join(',');
    let setId = unitSetIds.get(key);
    if (setId === undefined) {
      setId = unitSets.length;
      unitSets.push(matching);
      unitSetIds.set(key, setId);
    }
    id = setId + 1;
    unitSetOf[unit] = id;
  }
  return unitSets[id - 1]!;
}

/** The script (franc-all's name) whose characters occur most, as franc-all picks it. */
function topScript(value: string): [string | undefined, number] {
  // franc-all counts each script expression's matches. Every expression matches one code unit, or
  // a surrogate pair: without surrogates that count is the number of code units in the script,
  // which one pass over the text finds.
  const counts = new Int32Array(scriptNames.length);
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdfff) return topScriptByExpressions(value);
    const scripts = scriptsOfUnit(unit);
    for (let s = 0; s < scripts.length; s++) counts[scripts[s]!]!++;
  }
  let topCount = -1;
  let top: string | undefined;
  for (let s = 0; s < scriptNames.length; s++) {
    const count = counts[s]! / value.length || 0;
    if (count > topCount) {
      topCount = count;
      top = scriptNames[s];
    }
  }
  return [top, topCount];
}

/** `topScript` as franc-all computes it, by matching each expression (text with surrogate pairs). */
function topScriptByExpressions(value: string): [string | undefined, number] {
  let topCount = -1;
  let top: string | undefined;
  for (const script in expressions) {
    const count = (value.match(expressions[script]!)?.length ?? 0) / value.length || 0;
    if (count > topCount) {
      topCount = count;
      top = script;
    }
  }
  return [top, topCount];
}

/** Each language's distance from the text (franc-all's sums), or franc-all's answer when it computes none. */
type Distances = { value: string; languages: string[]; distance: Int32Array } | { answer: string };

/**
 * The last text's distances: a caller that asks for the best language and then for the ranking of
 * the same text (a declaration checked, then contradicted) computes them once. Callers only read them.
 */
let last: { text: string; minLength: number; result: Distances } | undefined;

function distances(text: string, minLength: number): Distances {
  if (last !== undefined && last.text === text && last.minLength === minLength) return last.result;
  const result = computeDistances(text, minLength);
  last = { text, minLength, result };
  return result;
}

function computeDistances(text: string, minLength: number): Distances {
  if (!text || text.length < minLength) return { answer: 'und' };
  const value = text.slice(0, MAX_LENGTH);
  const [script, share] = topScript(value);
  if (!script || !(script in data)) return { answer: !script || share === 0 ? 'und' : script };
  const index = scriptIndex(script);
  const trigrams = textTrigrams(value, index.table);
  // Whole numbers under 2048 trigrams × the penalty: exact in 32 bits.
  const distance = new Int32Array(index.languages.length).fill(trigrams.distinct * MAX_DIFFERENCE);
  correctDistances(distance, index, trigrams);
  return { value, languages: index.languages, distance };
}

/**
 * Corrects each language's all-missing distance for the text's trigrams its profile has: the hot
 * loop of language identification, apart from the set-up around it, so that the optimising
 * compiler sees only typed arrays here.
 */
function correctDistances(
  distance: Int32Array,
  { offsets, postings }: ScriptIndex,
  { ids, counts, present }: TextTrigrams,
): void {
  for (let k = 0; k < present; k++) {
    const id = ids[k]!;
    const count = counts[k]!;
    for (let i = offsets[id]!, end = offsets[id + 1]!; i < end; i++) {
      const posting = postings[i]!;
      const difference = count - (posting >> LANGUAGE_BITS);
      distance[posting & (LANGUAGE_SLOTS - 1)]! += (difference < 0 ? -difference : difference) - MAX_DIFFERENCE;
    }
  }
}

/** `francAll(value, { minLength })`: ISO 639-3 codes with scores (best first, best = 1). */
export function rankLanguages(text: string, minLength: number): Array<[string, number]> {
  const d = distances(text, minLength);
  if ('answer' in d) return [[d.answer, 1]];
  const { value, languages, distance } = d;
  // A stable sort by distance: each key is the distance, then the language's position, in one number.
  const keys = new Float64Array(languages.length);
  for (let i = 0; i < keys.length; i++) keys[i] = distance[i]! * LANGUAGE_SLOTS + i;
  keys.sort();
  const min = distance[keys[0]! % LANGUAGE_SLOTS]!;
  const max = value.length * MAX_DIFFERENCE - min;
  const ranked: Array<[string, number]> = [];
  for (const key of keys) {
    const i = key % LANGUAGE_SLOTS;
    ranked.push([languages[i]!, 1 - (distance[i]! - min) / max || 0]);
  }
  return ranked;
}

/** `rankLanguages(text, minLength)[0][0]` without ranking the rest: the first language at the least distance. */
export function bestLanguage(text: string, minLength: number): string {
  const d = distances(text, minLength);
  if ('answer' in d) return d.answer;
  let best = 0;
  for (let i = 1; i < d.distance.length; i++) if (d.distance[i]! < d.distance[best]!) best = i;
  return d.languages[best]!;
}

/** A text's trigrams as the distance sums need them. */
interface TextTrigrams {
  /** How many distinct trigrams the text has (every one starts at the all-missing distance). */
  distinct: number;
  /** The script index's numbers of those of them its profiles have, the first `present` entries. */
  ids: Int32Array;
  /** How often each of those occurs in the text. */
  counts: Int32Array;
  present: number;
}

/**
 * Working memory of {@link textTrigrams}, allocated once (a text is at most MAX_LENGTH code units,
 * so at most that many trigrams): a table of the text's trigrams, left empty after each use.
 */
let scratch: { seen: KeyTable; firstSeen: Int32Array; ids: Int32Array; counts: Int32Array } | undefined;

/**
 * How often each trigram occurs in the text, as `trigram-utils` (franc-all's) cleans and pads it:
 * ASCII punctuation and digits become spaces, whitespace runs one space, trimmed, lower-cased,
 * one space added at each end. Trigrams are counted as {@link trigramKey} numbers in a table of
 * their own (no sort), then looked up once each in the script's index. The answer lives in working
 * memory that the next call reuses.
 */
function textTrigrams(value: string, index: KeyTable): TextTrigrams {
  const cleaned = value
    .replace(/[\u0021-\u0040]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
  const padded = ` ${cleaned} `;
  const n = Math.max(0, padded.length - 2);
  scratch ??= {
    seen: emptyTable(MAX_LENGTH),
    firstSeen: new Int32Array(MAX_LENGTH),
    ids: new Int32Array(MAX_LENGTH),
    counts: new Int32Array(MAX_LENGTH),
  };
  const { seen, firstSeen, ids, counts } = scratch;
  let distinct = 0;
  for (let i = 0; i < n; i++) {
    const key = trigramKey(padded, i);
    const slot = slotOf(seen, key);
    if (seen.keys[slot] === -1) {
      seen.keys[slot] = key;
      seen.values[slot] = 1;
      firstSeen[distinct++] = slot;
    } else seen.values[slot]!++;
  }
  let present = 0;
  for (let d = 0; d < distinct; d++) {
    const at = firstSeen[d]!;
    const slot = slotOf(index, seen.keys[at]!);
    if (index.keys[slot] !== -1) {
      ids[present] = index.values[slot]!;
      counts[present++] = seen.values[at]!;
    }
    seen.keys[at] = -1;
  }
  return { distinct, ids, counts, present };
}
