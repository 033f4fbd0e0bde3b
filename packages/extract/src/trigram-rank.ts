/**
 * franc-all's ranking, computed through an inverted trigram index.
 *
 * franc-all scores a text against every language of its script by looking each of the text's
 * trigrams up in every language's profile (about 300 languages × 300 trigrams for Latin text):
 * most lookups miss and add the same maximum penalty. Here each script's profiles are turned once
 * into trigram → (language, rank) postings, every language starts at the all-missing distance, and
 * only the trigrams a language actually has correct it. The arithmetic, the language order and the
 * stable sort are franc-all's, so the answers and scores are identical (a test compares them).
 */
import { data as francData } from 'franc-all/data.js';
import { expressions as francExpressions } from 'franc-all/expressions.js';
import { asTuples } from 'trigram-utils';

/** franc-all's constants: the longest sample it reads, and the penalty for a trigram a profile lacks. */
const MAX_LENGTH = 2048;
const MAX_DIFFERENCE = 300;

interface ScriptIndex {
  /** Languages in franc-all's order (its profile object's key order). */
  languages: string[];
  /** Trigram → flat pairs (language index, rank in that language's profile). */
  postings: Map<string, Int32Array>;
}

const data = francData as Readonly<Record<string, Readonly<Record<string, string>>>>;
const expressions = francExpressions as Readonly<Record<string, RegExp>>;
const indexes = new Map<string, ScriptIndex>();

function scriptIndex(script: string): ScriptIndex {
  const cached = indexes.get(script);
  if (cached) return cached;
  const profiles = data[script]!;
  const languages = Object.keys(profiles);
  const lists = new Map<string, number[]>();
  languages.forEach((language, li) => {
    const model = profiles[language]!.split('|');
    // franc-all assigns ranks from the last trigram back, so a repeated trigram keeps its first rank.
    const ranks = new Map<string, number>();
    for (let rank = model.length - 1; rank >= 0; rank--) ranks.set(model[rank]!, rank);
    for (const [trigram, rank] of ranks) {
      const list = lists.get(trigram);
      if (list) list.push(li, rank);
      else lists.set(trigram, [li, rank]);
    }
  });
  const postings = new Map<string, Int32Array>();
  for (const [trigram, list] of lists) postings.set(trigram, Int32Array.from(list));
  const index = { languages, postings };
  indexes.set(script, index);
  return index;
}

/** The script (franc-all's name) whose characters occur most, as franc-all picks it. */
export function topScript(value: string): [string | undefined, number] {
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

/** `francAll(value, { minLength })`: ISO 639-3 codes with scores (best first, best = 1). */
export function rankLanguages(text: string, minLength: number): Array<[string, number]> {
  if (!text || text.length < minLength) return [['und', 1]];
  const value = text.slice(0, MAX_LENGTH);
  const [script, share] = topScript(value);
  if (!script || !(script in data)) return !script || share === 0 ? [['und', 1]] : [[script, 1]];
  const { languages, postings } = scriptIndex(script);
  const trigrams = asTuples(value);
  const distance = new Float64Array(languages.length).fill(trigrams.length * MAX_DIFFERENCE);
  for (const [trigram, count] of trigrams) {
    const list = postings.get(trigram);
    if (!list) continue;
    for (let i = 0; i < list.length; i += 2) {
      const difference = count - list[i + 1]! - 1;
      distance[list[i]!]! += (difference < 0 ? -difference : difference) - MAX_DIFFERENCE;
    }
  }
  const ranked: Array<[string, number]> = languages.map((language, i) => [language, distance[i]!]);
  ranked.sort((a, b) => a[1] - b[1]);
  const min = ranked[0]![1];
  const max = value.length * MAX_DIFFERENCE - min;
  for (const entry of ranked) entry[1] = 1 - (entry[1] - min) / max || 0;
  return ranked;
}
