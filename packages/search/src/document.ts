import { hammingDistance, type ArticleRecord } from '@gazette/article';
import { primaryLanguage, type IndexFeatures } from './mappings.ts';
import { termSpans, wordSpans } from './word-scan.ts';

/** What is stored for an article: the record plus fields derived at index time. */
export interface ArticleDocument extends ArticleRecord {
  indexedAt: string;
  entities?: string[];
  years?: string[];
  dates?: string[];
  signature?: string;
  /** The {@link textSignature} of the title and the lede (see {@link ledeText}). */
  lede?: string;
  simhashBands?: string[];
  dupGroup?: string;
  duplicate?: boolean;
  i18n?: Record<string, { title: string; body: string }>;
}

/** Most entities kept per article. */
export const MAX_ENTITIES = 40;

// Words that start sentences or headlines capitalised without naming anything.
const FUNCTION_WORDS = new Set(
  (
    'a an the and or but if of in on at to for from by with as is are was were be been it its he she they we you i ' +
    'his her their our my this that these those there here what when where who why how not no yes so than then ' +
    'after before while during over under about into up down out new more most mr mrs ms dr st ' +
    'monday tuesday wednesday thursday friday saturday sunday january february march april may june july ' +
    'august september october november december jan feb mar apr jun jul aug sep sept oct nov dec am pm et'
  ).split(' '),
);

function cleanSlow(word: string): string {
  return word
    .replace(/['’]s$/u, '')
    .replace(/[.'’&-]+$/u, '')
    .toLowerCase();
}

/** Latin letters whose accent-less form is not their decomposition's first letter (lower case). */
const LATIN_FOLDS: Readonly<Record<string, string>> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
  ħ: 'h',
};
const COMBINING_MARKS = /[\u0300-\u036f]/gu;

/**
 * A lower-cased word as a reader types it, the same way the index's analyzer reads it: the typeset
 * apostrophe `’` as `'` ("O’Brien" and "O'Brien" are one name) and Latin letters without their
 * accents ("Erdoğan" and "Erdogan", "São Paulo" and "Sao Paulo"). Other scripts stay as written.
 */
export function typedForm(word: string): string {
  let ascii = true;
  for (let i = 0; i < word.length && ascii; i++) ascii = word.charCodeAt(i) < 0x80;
  if (ascii) return word;
  let out = '';
  for (const ch of word) {
    const c = ch.charCodeAt(0);
    if (c < 0x80) out += ch;
    else if (c === 0x2019) out += "'";
    else if ((c >= 0xc0 && c <= 0x24f) || (c >= 0x1e00 && c <= 0x1eff))
      out += LATIN_FOLDS[ch] ?? ch.normalize('NFD').replace(COMBINING_MARKS, '');
    else if (c >= 0x300 && c <= 0x36f) continue;
    else out += ch;
  }
  return out;
}

/** `cleanSlow` without its regexes when the word ends in a letter or digit other than `s`. */
function clean(word: string): string {
  const last = word.charCodeAt(word.length - 1);
  // s . ' ’ & -: an ending either replace may remove.
  if (last === 0x73 || last === 0x2e || last === 0x27 || last === 0x2019 || last === 0x26 || last === 0x2d) {
    return typedForm(cleanSlow(word));
  }
  return typedForm(word.toLowerCase());
}

const UPPER_FIRST = /^\p{Lu}/u;

function isCapitalised(word: string): boolean {
  const c = word.charCodeAt(0);
  if (c < 0x80) return c >= 0x41 && c <= 0x5a;
  return UPPER_FIRST.test(word);
}

/** `.!?:;"”`: a whitespace run right after one of them ends a sentence. */
function endsSentence(c: number): boolean {
  return c === 0x2e || c === 0x21 || c === 0x3f || c === 0x3a || c === 0x3b || c === 0x22 || c === 0x201d;
}

/** Whitespace as `\s` matches it (ECMAScript: WhiteSpace and LineTerminator). */
function isSpace(c: number): boolean {
  if (c < 0x80) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** One word of a text: as written, cleaned, capitalised or not, and whether it opens its sentence. */
interface Token {
  word: string;
  clean: string;
  capitalised: boolean;
  opens: boolean;
}

/**
 * The words of a text ({@link wordSpans}) in order, each marked when it is the first of its sentence.
 * Sentences end at a run of line breaks or at whitespace right after `.!?:;"”`, as
 * `text.split(/\n+|(?<=[.!?:;"”])\s+/u)` splits them: words never span a break, so one scan of
 * the whole text finds the same words as a scan of each sentence. A word's clean form and case are
 * computed once per distinct word.
 */
function tokenize(text: string, cache: Map<string, Token>): Token[] {
  const tokens: Token[] = [];
  const spans = wordSpans(text);
  let end = 0;
  for (let k = 0; k < spans.length; k += 2) {
    const start = spans[k]!;
    const word = text.slice(start, spans[k + 1]!);
    let opens = tokens.length === 0;
    for (let p = end; !opens && p < start; p++) {
      const c = text.charCodeAt(p);
      if (c === 0x0a || (p > 0 && isSpace(c) && endsSentence(text.charCodeAt(p - 1)))) opens = true;
    }
    end = start + word.length;
    let known = cache.get(word);
    if (known === undefined) {
      known = { word, clean: clean(word), capitalised: isCapitalised(word), opens: false };
      cache.set(word, known);
    }
    tokens.push(opens === known.opens ? known : { ...known, opens });
  }
  return tokens;
}

/**
 * Named-entity candidates of a text: runs of capitalised words (up to four), lower-cased,
 * plus each word of a multi-word run. A capitalised word that also appears in lower case in the
 * text is an ordinary word at a sentence start and is skipped when it stands alone.
 * Ordered by frequency (title occurrences count twice), at most {@link MAX_ENTITIES}.
 */
export function extractEntities(title: string, body: string, max = MAX_ENTITIES): string[] {
  const cache = new Map<string, Token>();
  const bodyTokens = tokenize(body, cache);
  // Words seen in lower case, and capitalised words seen inside a sentence (not at its start).
  const lowerWords = new Set<string>();
  const midCapitalised = new Set<string>();
  for (const t of bodyTokens) {
    if (!t.capitalised) lowerWords.add(t.clean);
    else if (!t.opens) midCapitalised.add(t.clean);
  }
  const isName = (w: string) => w.length > 1 && !FUNCTION_WORDS.has(w) && !/^\d/.test(w) && !lowerWords.has(w);
  const counts = new Map<string, number>();
  const add = (entity: string, weight: number) => counts.set(entity, (counts.get(entity) ?? 0) + weight);

  const scan = (tokens: Token[], weight: number, titleCase: boolean) => {
    let run: string[] = [];
    let runAtStart = false;
    const flush = () => {
      while (run.length > 0 && !isName(run[0]!)) {
        run.shift();
        runAtStart = false;
      }
      while (run.length > 0 && !isName(run[run.length - 1]!)) run.pop();
      if (run.length === 1) {
        // A lone capitalised word opening a sentence is a name only if it is capitalised elsewhere too.
        const w = run[0]!;
        if (!runAtStart || midCapitalised.has(w)) add(w, weight);
      } else if (run.length > 1) {
        if (!titleCase) add(run.slice(0, 4).join(' '), weight);
        for (const w of run) if (isName(w) && (!titleCase || midCapitalised.has(w))) add(w, weight);
      }
      run = [];
    };
    for (const t of tokens) {
      // A run never continues into the next sentence.
      if (t.opens) flush();
      const word = t.word;
      if (t.capitalised) {
        if (run.length === 0) runAtStart = t.opens;
        run.push(t.clean);
      } else if (run.length > 0 && (word === 'of' || word === 'de') && run.length < 3) run.push(word);
      else flush();
    }
    flush();
  };
  const titleTokens = tokenize(title, cache);
  const titleCase =
    titleTokens.filter((t) => t.capitalised).length > 0.6 * titleTokens.length && titleTokens.length > 3;
  scan(titleTokens, 2, titleCase);
  scan(bodyTokens, 1, false);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, max)
    .map(([e]) => e);
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH =
  '(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)';
const YEAR = /(?<![\p{L}\p{N}$£€.,])(1[89]\d\d|20\d\d)(?![\p{L}\p{N}]|[.,]\d)/gu;
// "July 26", "Dec. 14", "Dec.14th"; "26 July", "26th of July".
const MONTH_DAY = new RegExp(
  `(?<!\\p{L})${MONTH}(?:\\.\\s*|\\s+)(\\d{1,2})(?:st|nd|rd|th)?(?![\\p{L}\\p{N}:]|[.,]\\d)`,
  'gu',
);
const DAY_MONTH = new RegExp(`(?<![\\p{L}\\p{N}.,])(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?${MONTH}(?!\\p{L})`, 'gu');

/** Most years and dates kept per article. */
export const MAX_TIME_REFERENCES = 20;

/**
 * The points in time a text mentions: years (1800-2099, as written: `"2008"`) and calendar dates
 * without their year (`"12-14"` for "December 14" or "14 Dec"), each at most once, in order of first
 * mention, at most {@link MAX_TIME_REFERENCES} of each. Two reports of one event tend to name the
 * same year and day; two events of one kind, years apart, do not.
 */
export function extractTimeReferences(title: string, body: string): { years: string[]; dates: string[] } {
  const text = `${title}\n${body}`;
  const years = new Set<string>();
  for (const m of text.matchAll(YEAR)) if (years.size < MAX_TIME_REFERENCES) years.add(m[1]!);
  const found: Array<{ at: number; date: string }> = [];
  const add = (at: number, month: string, day: string) => {
    const d = Number(day);
    const mm = MONTHS.indexOf(month.slice(0, 3).toLowerCase()) + 1;
    if (d >= 1 && d <= 31 && mm > 0)
      found.push({ at, date: `${String(mm).padStart(2, '0')}-${String(d).padStart(2, '0')}` });
  };
  for (const m of text.matchAll(MONTH_DAY)) add(m.index, m[1]!, m[2]!);
  for (const m of text.matchAll(DAY_MONTH)) add(m.index, m[2]!, m[1]!);
  const dates = [...new Set(found.sort((a, b) => a.at - b.at).map((f) => f.date))].slice(0, MAX_TIME_REFERENCES);
  return { years: [...years], dates };
}

// Common English words left out of the text signature (they say nothing about which story it is).
const SIGNATURE_STOP_WORDS = new Set(
  (
    'a about after again against all also an and any are as at be because been before being between both but by ' +
    'can could did do does doing down during each few for from further had has have having he her here hers him his ' +
    'how i if in into is it its itself just me more most my no nor not now of off on once one only or other our ours ' +
    'out over own said same says say she should so some such than that the their theirs them then there these they ' +
    'this those through to too two under until up us very was we were what when where which while who whom why will ' +
    'with would you your yours'
  ).split(' '),
);

/** Most terms kept in a text signature. */
export const MAX_SIGNATURE_TERMS = 200;

function hasAsciiDigit(w: string): boolean {
  for (let i = 0; i < w.length; i++) {
    const c = w.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) return true;
  }
  return false;
}

/** A word reduced to a rough common form: lower case, no possessive, English plural `s` removed. */
function signatureTerm(word: string, english: boolean): string {
  const lower = word.toLowerCase();
  // Other languages' words keep their accents (they are part of the spelling there); names are
  // folded in `entities` whatever the language.
  let w = english ? typedForm(lower) : lower.replaceAll('\u2019', "'");
  const n = w.length;
  // `'s` at the end (`’s` is `'s` by now): the possessive.
  if (n >= 2 && w.charCodeAt(n - 1) === 0x73 && w.charCodeAt(n - 2) === 0x27) {
    w = w.slice(0, -2);
  }
  if (!english || w.length <= 3 || hasAsciiDigit(w)) return w;
  if (w.endsWith('ies') && w.length > 4) return `${w.slice(0, -3)}y`;
  if (w.endsWith('ches') || w.endsWith('shes') || w.endsWith('xes') || w.endsWith('sses') || w.endsWith('zes')) {
    return w.slice(0, -2);
  }
  if (w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is')) w = w.slice(0, -1);
  return w;
}

/**
 * A compact term-frequency signature of an article for re-ranking related candidates without a
 * term-vector request: its words (title counted {@link SIGNATURE_TITLE_WEIGHT} times) lower-cased,
 * English stop words and possessives dropped, plurals reduced, as `"term"` or `"term:count"`
 * separated by spaces, most frequent first (ties: first mentioned first), at most
 * {@link MAX_SIGNATURE_TERMS} terms.
 */
export function textSignature(
  title: string,
  body: string,
  language: string | null = 'en',
  max = MAX_SIGNATURE_TERMS,
): string {
  const lang = primaryLanguage(language);
  const english = lang === null || lang === 'en';
  const counts = new Map<string, { n: number; first: number }>();
  // Each distinct word's term, or null when it is left out.
  const terms = new Map<string, string | null>();
  let position = 0;
  const scan = (text: string, weight: number) => {
    const spans = termSpans(text);
    for (let k = 0; k < spans.length; k += 2) {
      const word = text.slice(spans[k]!, spans[k + 1]!);
      let term = terms.get(word);
      if (term === undefined) {
        const t = signatureTerm(word, english);
        term = t.length < 2 || (english && SIGNATURE_STOP_WORDS.has(t)) ? null : t;
        terms.set(word, term);
      }
      if (term === null) continue;
      const entry = counts.get(term);
      if (entry) entry.n += weight;
      else counts.set(term, { n: weight, first: position });
      position++;
    }
  };
  scan(title, SIGNATURE_TITLE_WEIGHT);
  scan(body, 1);
  return [...counts.entries()]
    .sort((a, b) => b[1].n - a[1].n || a[1].first - b[1].first)
    .slice(0, max)
    .map(([term, { n }]) => (n === 1 ? term : `${term}:${n}`))
    .join(' ');
}

/**
 * The terms a {@link textSignature} counts, in text order (stop words and one-letter words left
 * out, possessives dropped, plurals reduced): what the related bench's phrase measurement builds
 * its word pairs from.
 */
export function signatureTerms(text: string, language: string | null = 'en'): string[] {
  const lang = primaryLanguage(language);
  const english = lang === null || lang === 'en';
  const out: string[] = [];
  const spans = termSpans(text);
  for (let k = 0; k < spans.length; k += 2) {
    const t = signatureTerm(text.slice(spans[k]!, spans[k + 1]!), english);
    if (t.length >= 2 && !(english && SIGNATURE_STOP_WORDS.has(t))) out.push(t);
  }
  return out;
}

/** Sentences of the body that make up its lede. */
export const LEDE_SENTENCES = 2;

/** Most terms kept in a lede signature. */
export const MAX_LEDE_TERMS = 60;

// Words a full stop follows without ending the sentence ("Mr. Smith", "Calif. rehab").
const ABBREVIATIONS = new Set(
  (
    'mr mrs ms dr prof st jr sr gov sen rep gen lt col sgt capt cmdr adm maj rev hon pres no vs etc inc ltd co corp ' +
    'jan feb mar apr jun jul aug sep sept oct nov dec ala ariz ark calif colo conn del fla ga ill ind kan ky la md ' +
    'mass mich minn miss mo mont neb nev okla ore pa tenn tex va vt wash wis wyo'
  ).split(' '),
);

/**
 * The lede: the body's first {@link LEDE_SENTENCES} sentences, where a news report says who did
 * what, where and when (the rest of the report adds background that other events share). A
 * sentence ends at a line break, or at `.`, `!` or `?` (and any closing quote or bracket) before
 * white space and a capital letter, digit or opening quote, unless the full stop ends an initial
 * ("L."), a dotted abbreviation ("U.S.") or a listed one ("Mr.", "Calif.").
 */
export function ledeText(body: string, sentences = LEDE_SENTENCES): string {
  let found = 0;
  let i = 0;
  let since = 0;
  const n = body.length;
  while (i < n) {
    const c = body[i]!;
    if (c === '\n') {
      if (body.slice(since, i).trim()) found++;
      if (found >= sentences) return body.slice(0, i);
      since = ++i;
      continue;
    }
    if (c === '.' || c === '!' || c === '?') {
      let end = i + 1;
      while (end < n && '"\'”’)]'.includes(body[end]!)) end++;
      let next = end;
      while (next < n && (body[next] === ' ' || body[next] === '\t')) next++;
      const starts = next > end && next < n && /[\p{Lu}\p{N}"“‘'(]/u.test(body[next]!);
      if (starts && (c !== '.' || !abbreviationBefore(body, i))) {
        found++;
        if (found >= sentences) return body.slice(0, end);
        since = end;
      }
      i = end;
      continue;
    }
    i++;
  }
  return body;
}

/** Whether the full stop at `dot` ends an initial, a dotted abbreviation or a listed abbreviation. */
function abbreviationBefore(text: string, dot: number): boolean {
  let start = dot;
  while (start > 0 && /[\p{L}.]/u.test(text[start - 1]!)) start--;
  const word = text.slice(start, dot);
  if (word.length === 1 || word.includes('.')) return true;
  return ABBREVIATIONS.has(word.toLowerCase());
}

/** How many times the title's words count in a {@link textSignature}. */
export const SIGNATURE_TITLE_WEIGHT = 2;

/** Parses a {@link textSignature} back into term → count. */
export function parseSignature(signature: string | undefined | null): Map<string, number> {
  const terms = new Map<string, number>();
  if (!signature) return terms;
  for (const item of signature.split(' ')) {
    if (!item) continue;
    const colon = item.lastIndexOf(':');
    const n = colon > 0 ? Number(item.slice(colon + 1)) : NaN;
    if (Number.isFinite(n) && n > 0) terms.set(item.slice(0, colon), n);
    else terms.set(item, 1);
  }
  return terms;
}

/** The SimHash split into 16 one-hex-digit bands, each tagged with its position (`"3f"`: band 3 is f). */
export function simhashBands(simhash: string): string[] {
  return [...simhash.padStart(16, '0').slice(-16)].map((digit, i) => `${i.toString(16)}${digit}`);
}

/**
 * Largest SimHash distance at which two bodies count as copies of one text. Measured on ~200-word
 * news bodies: a wire wrapper (dateline, credit line) moves 4 bits (p90 8), changing every 40th
 * word about 8; unrelated articles sit 21-44 bits apart (median 32).
 */
export const DUPLICATE_MAX_DISTANCE = 8;

/** Bands two SimHashes within {@link DUPLICATE_MAX_DISTANCE} must share (each differing bit changes one band). */
export const DUPLICATE_MIN_SHARED_BANDS = 16 - DUPLICATE_MAX_DISTANCE;

/**
 * The document stored for `record` in an index with `features`: the record, `indexedAt` and,
 * when the index has them, the derived fields. `dupGroup` starts as the article's own id;
 * {@link assignDuplicateGroups} replaces it.
 */
export function toIndexDocument(record: ArticleRecord, features: IndexFeatures, indexedAt: string): ArticleDocument {
  const doc: ArticleDocument = { ...record, indexedAt };
  if (!features.derivedFields) return doc;
  doc.entities = extractEntities(record.title, `${record.description ?? ''}\n${record.body}`);
  if (features.eventFields) {
    const { years, dates } = extractTimeReferences(record.title, record.body);
    doc.years = years;
    doc.dates = dates;
    doc.signature = textSignature(record.title, record.body, record.language);
  }
  if (features.ledeField) {
    doc.lede = textSignature(record.title, ledeText(record.body), record.language, MAX_LEDE_TERMS);
  }
  doc.simhashBands = simhashBands(record.simhash);
  doc.dupGroup = record.id;
  doc.duplicate = false;
  const lang = primaryLanguage(record.language);
  if (lang && lang !== 'en' && features.languages.includes(lang)) {
    doc.i18n = { [lang]: { title: record.title, body: record.body } };
  }
  return doc;
}

/** An indexed article that may be a copy of one being written. */
export interface DuplicateCandidate {
  id: string;
  simhash: string;
  dupGroup: string;
  publishedAt: string | null;
}

/**
 * Picks the near-duplicate group of `doc` among `candidates` (already indexed, or earlier in the
 * same batch): none within {@link DUPLICATE_MAX_DISTANCE} → its own id; a copy already pointing at
 * `doc` → its own id (it is the group's first article); otherwise the group of the closest copy
 * (ties: the earliest published). The first article of a group gives the group its id.
 */
export function chooseDuplicateGroup(
  doc: { id: string; simhash: string },
  candidates: DuplicateCandidate[],
  maxDistance = DUPLICATE_MAX_DISTANCE,
): string {
  let best: { c: DuplicateCandidate; d: number } | undefined;
  for (const c of candidates) {
    if (c.id === doc.id) continue;
    const d = hammingDistance(doc.simhash, c.simhash);
    if (d > maxDistance) continue;
    if (c.dupGroup === doc.id) return doc.id;
    if (
      !best ||
      d < best.d ||
      (d === best.d && (c.publishedAt ?? '9999') < (best.c.publishedAt ?? '9999')) ||
      (d === best.d && c.publishedAt === best.c.publishedAt && c.dupGroup < best.c.dupGroup)
    ) {
      best = { c, d };
    }
  }
  return best ? best.c.dupGroup : doc.id;
}

/** The query that finds documents whose SimHash may be within {@link DUPLICATE_MAX_DISTANCE}. */
export function duplicateCandidatesQuery(simhash: string) {
  return {
    bool: {
      should: simhashBands(simhash).map((band) => ({ term: { simhashBands: band } })),
      minimum_should_match: DUPLICATE_MIN_SHARED_BANDS,
    },
  };
}
