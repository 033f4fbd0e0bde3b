import { forEachWord } from './words.ts';

/** MurmurHash3's 32-bit finaliser: every input bit flips about half of the output bits. */
function fmix32(x: number): number {
  let h = x;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const FNV_PRIME = 0x01000193;

/** Order-sensitive 32-bit hash of three word hashes. */
function shingleHash(a: number, b: number, c: number, seed: number): number {
  let h = seed;
  h = fmix32(h ^ a);
  h = fmix32(h ^ b);
  return fmix32(h ^ c);
}

const SEED_HI = 0x9747b28c;
const SEED_LO = 0x2545f491;

/**
 * 64-bit SimHash over word 3-shingles (a non-cryptographic 64-bit hash of each
 * shingle, one weight per bit), as 16 hex digits. Copies of the same text with
 * light edits land a few bits apart; unrelated texts about 32 apart. Words are
 * hashed once and shingles combine their hashes, so no shingle string is built:
 * this runs on every parsed page.
 */
export function simhash(text: string): string {
  const lower = text.toLowerCase();
  // Each word (`[\p{L}\p{N}]+`) hashed where it stands: FNV-1a over its UTF-16 code units, one
  // hash per seed, then mixed.
  const hiWords: number[] = [];
  const loWords: number[] = [];
  forEachWord(lower, (start, end) => {
    let hi = SEED_HI;
    let lo = SEED_LO;
    for (let i = start; i < end; i++) {
      const c = lower.charCodeAt(i);
      hi = Math.imul(hi ^ c, FNV_PRIME);
      lo = Math.imul(lo ^ c, FNV_PRIME);
    }
    hiWords.push(fmix32(hi));
    loWords.push(fmix32(lo));
  });
  const n = hiWords.length;
  // Each bit's weight is (shingles with the bit set) - (shingles without it): the bit is set when
  // more than half the shingles have it. The set bits are counted 32 at a time, in bit-sliced
  // counters (word j holds bit j of each of the 32 counts), so a shingle costs a carry chain of a
  // few steps, not one step per bit.
  const loCounts = new Int32Array(33);
  const hiCounts = new Int32Array(33);
  let shingles = 0;
  const add = (hi: number, lo: number): void => {
    shingles++;
    for (let j = 0, carry = lo; carry !== 0; j++) {
      const next = loCounts[j]! & carry;
      loCounts[j]! ^= carry;
      carry = next;
    }
    for (let j = 0, carry = hi; carry !== 0; j++) {
      const next = hiCounts[j]! & carry;
      hiCounts[j]! ^= carry;
      carry = next;
    }
  };
  if (n > 0 && n < 3) {
    // Too short for a 3-shingle: the whole text is one shingle.
    add(shingleHash(hiWords[0]!, hiWords[1] ?? 0, 0, SEED_HI), shingleHash(loWords[0]!, loWords[1] ?? 0, 0, SEED_LO));
  }
  for (let i = 0; i + 3 <= n; i++) {
    add(
      shingleHash(hiWords[i]!, hiWords[i + 1]!, hiWords[i + 2]!, SEED_HI),
      shingleHash(loWords[i]!, loWords[i + 1]!, loWords[i + 2]!, SEED_LO),
    );
  }
  // No count exceeds the number of shingles: its bit length bounds the counters in use.
  const levels = 32 - Math.clz32(shingles);
  const majority = (counts: Int32Array, bit: number): boolean => {
    let ones = 0;
    for (let j = levels - 1; j >= 0; j--) ones = ones * 2 + ((counts[j]! >>> bit) & 1);
    return ones * 2 > shingles;
  };
  let hi = 0;
  let lo = 0;
  for (let bit = 0; bit < 32; bit++) {
    if (majority(loCounts, bit)) lo |= 1 << bit;
    if (majority(hiCounts, bit)) hi |= 1 << bit;
  }
  return (hi >>> 0).toString(16).padStart(8, '0') + (lo >>> 0).toString(16).padStart(8, '0');
}

function popcount32(x: number): number {
  let v = x >>> 0;
  v -= (v >>> 1) & 0x55555555;
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** Number of differing bits between two SimHashes. */
export function hammingDistance(a: string, b: string): number {
  const hi = parseInt(a.slice(0, 8), 16) ^ parseInt(b.slice(0, 8), 16);
  const lo = parseInt(a.slice(8, 16), 16) ^ parseInt(b.slice(8, 16), 16);
  return popcount32(hi) + popcount32(lo);
}
