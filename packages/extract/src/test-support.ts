/**
 * Test helpers: fixture loading, random markup documents, and an encoder for legacy charsets built by inverting Node's
 * decoders (Node ships decoders only), so tests can feed real Shift_JIS, EUC-KR or windows-1252 bytes.
 */
import { readFileSync } from 'node:fs';
import { decodeAs } from './decode.ts';

/**
 * `documents` random documents, each of 1 to `maxParts` pieces of `fragments`, from a fixed-seed
 * linear congruential generator: the same documents on every run.
 */
export function randomSoup(fragments: readonly string[], documents: number, maxParts: number, seed: number): string[] {
  let state = seed;
  const next = (): number => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state >>> 8;
  };
  const out: string[] = [];
  for (let i = 0; i < documents; i++) {
    let html = '';
    const parts = 1 + (next() % maxParts);
    for (let j = 0; j < parts; j++) html += fragments[next() % fragments.length];
    out.push(html);
  }
  return out;
}

export function fixture(name: string): string {
  return readFileSync(new URL(`../test-pages/${name}`, import.meta.url), 'utf8');
}

const tables = new Map<string, Map<string, number[]>>();

function table(charset: string): Map<string, number[]> {
  let t = tables.get(charset);
  if (t) return t;
  t = new Map();
  for (let b = 0; b < 256; b++) {
    const ch = decodeAs(charset, new Uint8Array([b]));
    if (ch.length === 1 && ch !== '\ufffd' && !t.has(ch)) t.set(ch, [b]);
  }
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      const ch = decodeAs(charset, new Uint8Array([lead, trail]));
      if (ch.length === 1 && ch !== '\ufffd' && !t.has(ch)) t.set(ch, [lead, trail]);
    }
  }
  tables.set(charset, t);
  return t;
}

/** Encodes text into a legacy charset; throws on a character the charset lacks. */
export function encodeLegacy(text: string, charset: string): Uint8Array {
  const t = table(charset);
  const out: number[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) {
      out.push(cp);
      continue;
    }
    const bytes = t.get(ch);
    if (!bytes) throw new Error(`${charset} cannot encode ${JSON.stringify(ch)}`);
    out.push(...bytes);
  }
  return new Uint8Array(out);
}
