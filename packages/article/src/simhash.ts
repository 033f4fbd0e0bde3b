import { createHash } from 'node:crypto';

const MASK64 = (1n << 64n) - 1n;

function hash64(token: string): bigint {
  const digest = createHash('md5').update(token).digest();
  return digest.readBigUInt64BE(0) & MASK64;
}

function shingles(text: string, size: number): string[] {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  if (words.length < size) return words.length > 0 ? [words.join(' ')] : [];
  const out: string[] = [];
  for (let i = 0; i + size <= words.length; i++) out.push(words.slice(i, i + size).join(' '));
  return out;
}

/**
 * 64-bit SimHash over word 3-shingles, as 16 hex digits. Copies of the same
 * text with light edits land a few bits apart; unrelated texts about 32 apart.
 */
export function simhash(text: string): string {
  const weights = new Array<number>(64).fill(0);
  for (const shingle of shingles(text, 3)) {
    const h = hash64(shingle);
    for (let bit = 0; bit < 64; bit++) {
      weights[bit]! += (h >> BigInt(bit)) & 1n ? 1 : -1;
    }
  }
  let value = 0n;
  for (let bit = 0; bit < 64; bit++) if (weights[bit]! > 0) value |= 1n << BigInt(bit);
  return value.toString(16).padStart(16, '0');
}

/** Number of differing bits between two SimHashes. */
export function hammingDistance(a: string, b: string): number {
  let x = BigInt(`0x${a}`) ^ BigInt(`0x${b}`);
  let count = 0;
  while (x) {
    x &= x - 1n;
    count++;
  }
  return count;
}
