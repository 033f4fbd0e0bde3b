import { parseSignature } from './document.ts';

/** What the re-ranking reads of an article (the source or a candidate), all stored at index time. */
export interface RerankInput {
  id: string;
  publishedAt?: string | null;
  entities?: string[];
  years?: string[];
  dates?: string[];
  signature?: string;
  outLinks?: string[];
  tags?: string[];
}

/** The re-ranking's weights (a subset of `RelatedTuning`). */
export interface RerankWeights {
  rerankEntityWeight: number;
  linkBoost: number;
  sharedYearBonus: number;
  latestYearBonus: number;
  yearConflictPenalty: number;
  sharedDateBonus: number;
  neighbourWeight: number;
  neighbours: number;
  dateScale: string;
  dateFloor: number;
  undatedFactor: number;
}

type Vector = Map<string, number>;

/** Unit-length vector of the given weights. */
function normalise(weights: Vector): Vector {
  let sum = 0;
  for (const w of weights.values()) sum += w * w;
  const norm = Math.sqrt(sum);
  if (norm > 0) for (const [key, w] of weights) weights.set(key, w / norm);
  return weights;
}

function dot(a: Vector, b: Vector): number {
  if (a.size > b.size) [a, b] = [b, a];
  let sum = 0;
  for (const [key, w] of a) {
    const v = b.get(key);
    if (v !== undefined) sum += w * v;
  }
  return sum;
}

interface Prepared {
  id: string;
  publishedAt: number | null;
  text: Vector;
  names: Vector;
  links: Set<string>;
  years: Set<string>;
  latestYear: string | null;
  dates: Set<string>;
}

function prepare(doc: RerankInput): Prepared {
  // Text: 1 + ln(count) per signature term (title words counted twice at index time).
  const text: Vector = new Map();
  for (const [term, n] of parseSignature(doc.signature)) text.set(term, 1 + Math.log(n));
  // Names: most frequent first, each a little less than the one before.
  const names: Vector = new Map();
  (doc.entities ?? []).forEach((e, rank) => names.set(e, 1 / (1 + 0.05 * rank)));
  const years = new Set(doc.years ?? []);
  const published = doc.publishedAt ? Date.parse(doc.publishedAt) : NaN;
  return {
    id: doc.id,
    publishedAt: Number.isFinite(published) ? published : null,
    text: normalise(text),
    names: normalise(names),
    links: new Set([...(doc.outLinks ?? []).slice(0, 50), ...(doc.tags ?? []).map((t) => `tag:${t}`)]),
    years,
    latestYear: years.size ? [...years].sort().at(-1)! : null,
    dates: new Set(doc.dates ?? []),
  };
}

const intersects = (a: Set<string>, b: Set<string>): boolean => {
  for (const x of a) if (b.has(x)) return true;
  return false;
};

/**
 * How alike two articles are, symmetric, from what each stored at index time:
 * (cosine of the text signatures + w × cosine of the names + w × overlap of out-links and tags)
 * × (1 + agreement in time): both mention years → a shared one adds, none shared subtracts, the
 * same latest year adds; a shared calendar date adds.
 */
function similarity(a: Prepared, b: Prepared, w: RerankWeights): number {
  let base = dot(a.text, b.text) + w.rerankEntityWeight * dot(a.names, b.names);
  if (a.links.size && b.links.size) {
    let shared = 0;
    for (const l of a.links) if (b.links.has(l)) shared++;
    base += (w.linkBoost * shared) / Math.sqrt(a.links.size * b.links.size);
  }
  let time = 1;
  if (a.years.size && b.years.size) {
    time += intersects(a.years, b.years) ? w.sharedYearBonus : -w.yearConflictPenalty;
    if (a.latestYear === b.latestYear) time += w.latestYearBonus;
  }
  if (a.dates.size && b.dates.size && intersects(a.dates, b.dates)) time += w.sharedDateBonus;
  return base * Math.max(time, 0);
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1e3, m: 6e4, h: 3.6e6, d: 8.64e7, w: 6.048e8 };

/** An Elasticsearch time value (`7d`, `12h`, `90m`) in milliseconds; 7 days when unreadable. */
export function durationMs(value: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/.exec(value.trim());
  return m ? Number(m[1]) * UNIT_MS[m[2]!]! : 7 * UNIT_MS['d']!;
}

/**
 * The date factor of the first stage, computed again: `floor + (1 - floor) × gauss` around the
 * source's publication date (half at `dateScale`), `undatedFactor` for an undated candidate,
 * 1 when the source has no date.
 */
function dateFactor(source: Prepared, candidate: Prepared, w: RerankWeights): number {
  if (source.publishedAt === null) return 1;
  if (candidate.publishedAt === null) return w.undatedFactor;
  const distance = (candidate.publishedAt - source.publishedAt) / durationMs(w.dateScale);
  return w.dateFloor + (1 - w.dateFloor) * Math.exp(Math.log(0.5) * distance * distance);
}

/**
 * Re-ranks the first stage's candidates for `source`, best first, with their new scores.
 *
 * Each candidate's score is its {@link similarity} to the source plus `neighbourWeight` × its mean
 * similarity to the source's `neighbours` closest candidates (weighted by how close those are),
 * times the date factor. Reports of one event resemble each other as well as the source; an
 * article about the same kind of story at another time resembles the source but less so the
 * source's closest matches.
 */
export function rerankCandidates<T extends RerankInput>(
  source: RerankInput,
  candidates: T[],
  weights: RerankWeights,
): Array<{ candidate: T; score: number }> {
  const s = prepare(source);
  const prepared = candidates.map(prepare);
  const factors = prepared.map((c) => dateFactor(s, c, weights));
  const direct = prepared.map((c, i) => similarity(s, c, weights) * factors[i]!);
  const order = direct.map((_, i) => i).sort((a, b) => direct[b]! - direct[a]!);
  const closest = order.slice(0, Math.max(0, Math.floor(weights.neighbours)));
  const scores = prepared.map((c, i) => {
    if (weights.neighbourWeight === 0 || closest.length === 0) return direct[i]!;
    let sum = 0;
    let weight = 0;
    for (const n of closest) {
      if (n === i) continue;
      sum += direct[n]! * similarity(prepared[n]!, c, weights);
      weight += direct[n]!;
    }
    const agreement = weight > 0 ? sum / weight : 0;
    return direct[i]! + weights.neighbourWeight * agreement * factors[i]!;
  });
  return candidates
    .map((candidate, i) => ({ candidate, score: scores[i]!, at: i }))
    .sort((a, b) => b.score - a.score || a.at - b.at)
    .map(({ candidate, score }) => ({ candidate, score }));
}
