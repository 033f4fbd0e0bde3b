/**
 * Language tags and language identification.
 *
 * Identification is franc-all (trigram profiles of the Universal Declaration of Human Rights in 414
 * languages; see docs/languages.md for how it was chosen against cld3, eld and tinyld). Its ISO 639-3
 * answers become BCP 47 primary subtags: the ISO 639-1 code where one exists, individual languages
 * folded into their macrolanguage (`arb` → `ar`, `cmn` → `zh`, `pes`/`prs` → `fa`, `zlm` → `ms`),
 * the ISO 639-3 code otherwise (`ceb`, `bho`).
 */
import { data as francData } from 'franc-all/data.js';
import { expressions as francExpressions } from 'franc-all/expressions.js';
// The ISO 639-1 table alone: the package's index also loads every language's record (780 KB).
import { iso6393To1 } from 'iso-639-3/iso6393-to-1.js';
import { bestLanguage, rankLanguages } from './trigram-rank.ts';

export function normaliseLanguage(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const first = raw
    .split(/[,;\s]/)[0]!
    .trim()
    .replace(/_/g, '-');
  const m = /^([a-zA-Z]{2,3})(?:-([a-zA-Z]{4}))?(?:-([a-zA-Z]{2}|\d{3}))?(?:-.*)?$/.exec(first);
  if (!m) return null;
  const lang = m[1]!.toLowerCase();
  if (lang === 'und' || lang === 'xx') return null;
  const script = m[2] ? m[2][0]!.toUpperCase() + m[2].slice(1).toLowerCase() : '';
  const region = m[3] ? m[3].toUpperCase() : '';
  return [lang, script, region].filter(Boolean).join('-');
}

/** Individual languages (ISO 639-3) that BCP 47 writes with their macrolanguage's two-letter code. */
const MACROLANGUAGE: Readonly<Record<string, string>> = {
  arb: 'ar', cmn: 'zh', pes: 'fa', prs: 'fa', zlm: 'ms', swh: 'sw', uzn: 'uz', azj: 'az', azb: 'az',
  npi: 'ne', pbu: 'ps', plt: 'mg', als: 'sq', lvs: 'lv', ekk: 'et', gaz: 'om', khk: 'mn', ydd: 'yi',
  ike: 'iu', ojb: 'oj', csw: 'cr', gug: 'gn', knc: 'kr', ayr: 'ay', fuv: 'ff', fuf: 'ff', quz: 'qu',
  quy: 'qu', qug: 'qu', quh: 'qu', qwh: 'qu', qxn: 'qu', qva: 'qu', qvm: 'qu', qvn: 'qu', qvh: 'qu',
  qvc: 'qu', qxu: 'qu',
}; // prettier-ignore

/** Subtags already looked up: identification maps every language of a script's ranking, on every page. */
const bcp47Cache = new Map<string, string>();

/** The BCP 47 primary subtag for an ISO 639-3 code. */
export function bcp47FromIso6393(code: string): string {
  let tag = bcp47Cache.get(code);
  if (tag === undefined) {
    tag = MACROLANGUAGE[code] ?? (iso6393To1 as Record<string, string | undefined>)[code] ?? code;
    bcp47Cache.set(code, tag);
  }
  return tag;
}

/** Old or alternative primary subtags, as identification names them. */
const EQUIVALENT: Readonly<Record<string, string>> = {
  no: 'nb',
  iw: 'he',
  in: 'id',
  ji: 'yi',
  fil: 'tl',
  mo: 'ro',
  zh: 'zh',
};

/** Every primary subtag identification can answer. */
const KNOWN = new Set(
  [...Object.values(francData).flatMap((langs) => Object.keys(langs)), ...Object.keys(francExpressions)]
    .filter((code) => /^[a-z]{3}$/.test(code))
    .map(bcp47FromIso6393),
);

/** Number of languages identification knows (BCP 47 primary subtags after folding). */
export const KNOWN_LANGUAGES = KNOWN.size;

/** Whether identification can name this BCP 47 primary subtag. */
export function isKnownLanguage(tag: string): boolean {
  return KNOWN.has(EQUIVALENT[tag] ?? tag);
}

/** How many characters of a text identification reads (more adds time, not accuracy). */
export const LANGUAGE_SAMPLE_CHARS = 500;
/** Fewer letters than this: no answer. */
const MIN_LETTERS = 10;

export interface LanguageGuess {
  /** BCP 47 primary subtag, or null when the text is too short or has no letters. */
  language: string | null;
  /** Candidates (folded to BCP 47, best first) with franc's score relative to the best (1). */
  candidates: Array<[string, number]>;
}

/**
 * The start of the whitespace-collapsed text. Collapsing a prefix gives the same start as
 * collapsing the whole text once the prefix yields enough characters, so a long body is not
 * rewritten whole for 500 characters: a little more than the sample is collapsed first (prose has
 * few runs of whitespace to lose), four times as much each time that is not enough.
 */
function sampleOf(text: string): string {
  for (let size = LANGUAGE_SAMPLE_CHARS + LANGUAGE_SAMPLE_CHARS / 4; ; size *= 4) {
    const head = text.length > size ? text.slice(0, size) : text;
    const sample = head.replace(/\s+/g, ' ').trim();
    if (sample.length >= LANGUAGE_SAMPLE_CHARS || head.length === text.length) {
      return sample.slice(0, LANGUAGE_SAMPLE_CHARS);
    }
  }
}

function countLetters(sample: string): number {
  return sample.match(/\p{L}/gu)?.length ?? 0;
}

function identifySample(sample: string, letters: number): LanguageGuess {
  if (letters < MIN_LETTERS) return { language: null, candidates: [] };
  const seen = new Map<string, number>();
  for (const [code, score] of rankLanguages(sample, MIN_LETTERS)) {
    if (code === 'und') continue;
    const tag = bcp47FromIso6393(code);
    if (!seen.has(tag)) seen.set(tag, score);
  }
  const candidates = [...seen.entries()];
  return { language: candidates[0]?.[0] ?? null, candidates };
}

/** Identifies the language of a text, with the runners-up. */
export function identifyLanguage(text: string): LanguageGuess {
  const sample = sampleOf(text);
  return identifySample(sample, countLetters(sample));
}

/**
 * `identifySample(sample, letters).language` without ranking the runners-up: the language at the
 * least distance is the first of the ranking.
 */
function bestOfSample(sample: string, letters: number): string | null {
  if (letters < MIN_LETTERS) return null;
  const code = bestLanguage(sample, MIN_LETTERS);
  return code === 'und' ? null : bcp47FromIso6393(code);
}

/** The BCP 47 primary subtag of the text's language, or null. */
export function detectLanguage(text: string): string | null {
  const sample = sampleOf(text);
  return bestOfSample(sample, countLetters(sample));
}

/** Below this many letters a declared language is never overruled. */
export const CONTRADICTION_MIN_LETTERS = 100;
/** A declared language scoring under this (relative to the best) contradicts the text. */
export const CONTRADICTION_SCORE = 0.9;

/**
 * The record's language: the declared one (BCP 47, region and script kept) unless the text clearly
 * says otherwise, the identified one when nothing is declared.
 *
 * "Clearly" means at least {@link CONTRADICTION_MIN_LETTERS} letters of text, and the declared
 * language either absent from the candidates (the text is in another script) or scoring under
 * {@link CONTRADICTION_SCORE} of the best. Close pairs (Malay/Indonesian, Bosnian/Croatian/Serbian)
 * score near the best and keep the declaration.
 */
export function resolveLanguage(declared: string | null | undefined, text: string): string | null {
  const normalised = normaliseLanguage(declared);
  const sample = sampleOf(text);
  const letters = countLetters(sample);
  if (!normalised) return bestOfSample(sample, letters);
  // The answers that need no ranking: the declaration stands when identification cannot overrule
  // it, or when the best candidate is the declared language.
  const subtag = normalised.split('-')[0]!;
  const primary = EQUIVALENT[subtag] ?? subtag;
  if (!KNOWN.has(primary) || letters < CONTRADICTION_MIN_LETTERS) return normalised;
  if (bcp47FromIso6393(bestLanguage(sample, MIN_LETTERS)) === primary) return normalised;
  const guess = identifySample(sample, letters);
  if (!guess.language || primary === guess.language) return normalised;
  const score = guess.candidates.find(([tag]) => tag === primary)?.[1];
  return score === undefined || score < CONTRADICTION_SCORE ? guess.language : normalised;
}
