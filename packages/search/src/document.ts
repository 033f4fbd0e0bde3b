import type { ArticleRecord } from '@gazette/article';
import { primaryLanguage, type IndexFeatures } from './mappings.ts';

/** What is stored for an article: the record plus fields derived at index time. */
export interface ArticleDocument extends ArticleRecord {
  indexedAt: string;
  entities?: string[];
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

const WORD = /[\p{L}\p{N}][\p{L}\p{N}'’.&-]*/gu;

function clean(word: string): string {
  return word
    .replace(/['’]s$/u, '')
    .replace(/[.'’&-]+$/u, '')
    .toLowerCase();
}

function isCapitalised(word: string): boolean {
  return /^\p{Lu}/u.test(word);
}

/**
 * Named-entity candidates of a text: runs of capitalised words (up to four), lower-cased,
 * plus each word of a multi-word run. A capitalised word that also appears in lower case in the
 * text is an ordinary word at a sentence start and is skipped when it stands alone.
 * Ordered by frequency (title occurrences count twice), at most {@link MAX_ENTITIES}.
 */
export function extractEntities(title: string, body: string, max = MAX_ENTITIES): string[] {
  const sentences = (text: string) => text.split(/\n+|(?<=[.!?:;"”])\s+/u);
  // Words seen in lower case, and capitalised words seen inside a sentence (not at its start).
  const lowerWords = new Set<string>();
  const midCapitalised = new Set<string>();
  for (const sentence of sentences(body)) {
    let first = true;
    for (const m of sentence.matchAll(WORD)) {
      if (!isCapitalised(m[0])) lowerWords.add(clean(m[0]));
      else if (!first) midCapitalised.add(clean(m[0]));
      first = false;
    }
  }
  const isName = (w: string) => w.length > 1 && !FUNCTION_WORDS.has(w) && !/^\d/.test(w) && !lowerWords.has(w);
  const counts = new Map<string, number>();
  const add = (entity: string, weight: number) => counts.set(entity, (counts.get(entity) ?? 0) + weight);

  const scan = (text: string, weight: number, titleCase: boolean) => {
    for (const sentence of sentences(text)) {
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
      let position = 0;
      for (const m of sentence.matchAll(WORD)) {
        const word = m[0];
        if (isCapitalised(word)) {
          if (run.length === 0) runAtStart = position === 0;
          run.push(clean(word));
        } else if (run.length > 0 && (word === 'of' || word === 'de') && run.length < 3) run.push(word);
        else flush();
        if (/[,()]$/.test(word)) flush();
        position++;
      }
      flush();
    }
  };
  const titleWords = title.match(WORD) ?? [];
  const titleCase = titleWords.filter(isCapitalised).length > 0.6 * titleWords.length && titleWords.length > 3;
  scan(title, 2, titleCase);
  scan(body, 1, false);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, max)
    .map(([e]) => e);
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

function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** Differing bits of two 16-hex-digit SimHashes (number arithmetic, no BigInt). */
export function simhashDistance(a: string, b: string): number {
  const hi = parseInt(a.slice(0, 8), 16) ^ parseInt(b.slice(0, 8), 16);
  const lo = parseInt(a.slice(8, 16), 16) ^ parseInt(b.slice(8, 16), 16);
  return popcount32(hi >>> 0) + popcount32(lo >>> 0);
}

/**
 * The document stored for `record` in an index with `features`: the record, `indexedAt` and,
 * when the index has them, the derived fields. `dupGroup` starts as the article's own id;
 * {@link assignDuplicateGroups} replaces it.
 */
export function toIndexDocument(record: ArticleRecord, features: IndexFeatures, indexedAt: string): ArticleDocument {
  const doc: ArticleDocument = { ...record, indexedAt };
  if (!features.derivedFields) return doc;
  doc.entities = extractEntities(record.title, `${record.description ?? ''}\n${record.body}`);
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
    const d = simhashDistance(doc.simhash, c.simhash);
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
