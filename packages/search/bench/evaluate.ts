/**
 * Scoring for `bench:related`: fixed topic folds, precision at 5 per article, the TF-IDF cosine
 * reference computed on the data given, and pairwise precision/recall of story groups.
 */
import { textSignature } from '../src/index.ts';

export interface Labelled {
  id: string;
  topic: number;
  event: string;
  title: string;
  body: string;
}

/** Fixed folds by topic: odd topics form fold A, even topics fold B. Nothing is drawn at random. */
export function foldOf(topic: number): 'A' | 'B' {
  return topic % 2 === 1 ? 'A' : 'B';
}
export const FOLDS = ['A', 'B'] as const;

/** Same-event precision at 5 of one ranked list (ids of labelled articles; others are misses). */
export function precisionAt5(
  query: Labelled,
  ranked: Array<Labelled | undefined>,
  eventSize: number,
): { precision: number; otherEvent: number } {
  const top = ranked.slice(0, 5);
  const same = top.filter((l) => l?.event === query.event).length;
  const other = top.filter((l) => l && l.topic === query.topic && l.event !== query.event).length;
  return { precision: same / Math.min(5, eventSize - 1), otherEvent: other / 5 };
}

/**
 * Plain TF-IDF cosine: title counted twice, English stop words dropped, plurals reduced (the
 * words of `textSignature`), weight (1 + ln tf) × ln(N / df). Returns each document's 5 nearest.
 */
export function tfidfNeighbours(
  docs: Array<{ id: string; title: string; body: string }>,
  k = 5,
): Map<string, string[]> {
  const tfs = docs.map((d) => {
    const m = new Map<string, number>();
    for (const part of textSignature(d.title, d.body, 'en', Number.MAX_SAFE_INTEGER).split(' ')) {
      if (!part) continue;
      const c = /^(.*):(\d+)$/.exec(part);
      m.set(c ? c[1]! : part, c ? Number(c[2]) : 1);
    }
    return m;
  });
  const df = new Map<string, number>();
  for (const tf of tfs) for (const t of tf.keys()) df.set(t, (df.get(t) ?? 0) + 1);
  const n = docs.length;
  const vectors = tfs.map((tf) => {
    const v = new Map<string, number>();
    let norm = 0;
    for (const [t, c] of tf) {
      const w = (1 + Math.log(c)) * Math.log(n / df.get(t)!);
      if (w > 0) {
        v.set(t, w);
        norm += w * w;
      }
    }
    norm = Math.sqrt(norm) || 1;
    for (const [t, w] of v) v.set(t, w / norm);
    return v;
  });
  const out = new Map<string, string[]>();
  for (let i = 0; i < n; i++) {
    const a = vectors[i]!;
    const scores: Array<[number, number]> = [];
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const b = vectors[j]!;
      let s = 0;
      const [small, large] = a.size < b.size ? [a, b] : [b, a];
      for (const [t, w] of small) {
        const x = large.get(t);
        if (x !== undefined) s += w * x;
      }
      scores.push([s, j]);
    }
    scores.sort((x, y) => y[0] - x[0] || x[1] - y[1]);
    out.set(
      docs[i]!.id,
      scores.slice(0, k).map(([, j]) => docs[j]!.id),
    );
  }
  return out;
}

const pairKey = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);

/**
 * Pairwise precision and recall of story groups against event labels. Every pair of articles
 * shown together in one story is a predicted pair (the union over all stories); `truth` maps each
 * labelled id to its event, and a predicted pair with an unlabelled member is wrong. Recall is over
 * every same-event pair of `truth`, so an article missing from the index costs its pairs.
 */
export function pairwiseScores(
  stories: string[][],
  truth: Map<string, string>,
  scope: (id: string) => boolean = () => true,
): { precision: number; recall: number; predicted: number; correct: number; truePairs: number } {
  const predicted = new Set<string>();
  for (const story of stories) {
    const members = [...new Set(story)];
    for (let i = 0; i < members.length; i++) {
      for (let j = i + 1; j < members.length; j++) {
        const a = members[i]!;
        const b = members[j]!;
        if (scope(a) || scope(b)) predicted.add(pairKey(a, b));
      }
    }
  }
  let correct = 0;
  for (const key of predicted) {
    const [a, b] = key.split('|') as [string, string];
    const ea = truth.get(a);
    if (ea !== undefined && ea === truth.get(b)) correct++;
  }
  const byEvent = new Map<string, number>();
  for (const [id, e] of truth) if (scope(id)) byEvent.set(e, (byEvent.get(e) ?? 0) + 1);
  let truePairs = 0;
  for (const size of byEvent.values()) truePairs += (size * (size - 1)) / 2;
  return {
    precision: predicted.size ? correct / predicted.size : 1,
    recall: truePairs ? correct / truePairs : 1,
    predicted: predicted.size,
    correct,
    truePairs,
  };
}
