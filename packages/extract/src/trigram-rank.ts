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

interface ScriptIndex {
  /** Languages in franc-all's order (its profile object's key order). */
  languages: string[];
  /** Trigram → flat pairs (language index, rank in that language's profile). */
  postings: Map<string, number[]>;
}

const data = francData as Readonly<Record<string, Readonly<Record<string, string>>>>;
const expressions = francExpressions as Readonly<Record<string, RegExp>>;
const indexes = new Map<string, ScriptIndex>();

function scriptIndex(script: string): ScriptIndex {
  const cached = indexes.get(script);
  if (cached) return cached;
  const profiles = data[script]!;
  const languages = Object.keys(profiles);
  if (languages.length > LANGUAGE_SLOTS) throw new Error(`${script}: more languages than sort-key slots`);
  const postings = new Map<string, number[]>();
  languages.forEach((language, li) => {
    const model = profiles[language]!.split('|');
    for (let rank = 0; rank < model.length; rank++) {
      const list = postings.get(model[rank]!);
      if (!list) postings.set(model[rank]!, [li, rank]);
      // franc-all assigns ranks from the last trigram back, so a repeated trigram keeps its first rank.
      else if (list[list.length - 2] !== li) list.push(li, rank);
    }
  });
  const index = { languages, postings };
  indexes.set(script, index);
  return index;
}

/** The script (franc-all's name) whose characters occur most, as franc-all picks it. */
function topScript(value: string): [string | undefined, number] {
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
function distances(
  text: string,
  minLength: number,
): { value: string; languages: string[]; distance: Float64Array } | { answer: string } {
  if (!text || text.length < minLength) return { answer: 'und' };
  const value = text.slice(0, MAX_LENGTH);
  const [script, share] = topScript(value);
  if (!script || !(script in data)) return { answer: !script || share === 0 ? 'und' : script };
  const { languages, postings } = scriptIndex(script);
  const counts = trigramCounts(value);
  const distance = new Float64Array(languages.length).fill(counts.size * MAX_DIFFERENCE);
  for (const [trigram, count] of counts) {
    const list = postings.get(trigram);
    if (!list) continue;
    for (let i = 0; i < list.length; i += 2) {
      const difference = count - list[i + 1]! - 1;
      distance[list[i]!]! += (difference < 0 ? -difference : difference) - MAX_DIFFERENCE;
    }
  }
  return { value, languages, distance };
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

/**
 * How often each trigram occurs in the text, as `trigram-utils` (franc-all's) cleans and pads it:
 * ASCII punctuation and digits become spaces, whitespace runs one space, trimmed, lower-cased,
 * one space added at each end.
 */
function trigramCounts(value: string): Map<string, number> {
  const cleaned = value
    .replace(/[\u0021-\u0040]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
  const padded = ` ${cleaned} `;
  const counts = new Map<string, number>();
  for (let i = 0; i + 3 <= padded.length; i++) {
    const trigram = padded.slice(i, i + 3);
    counts.set(trigram, (counts.get(trigram) ?? 0) + 1);
  }
  return counts;
}
