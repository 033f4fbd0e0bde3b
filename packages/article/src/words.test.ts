import { describe, expect, it } from 'vitest';
import { countReaderWords, forEachWord } from './words.ts';

const FRAGMENTS = [
  "'", '’', 'a', 'B', '1', '٣', ' ', '-', 'é', 'e\u0301', '😀', '𝐀', '\ud835', '\udc00', 'Ж', '中', "don't", 'x’1',
  "''", '\u00b2', 'ǅ', '.', '\n', 'rock’n’roll', "o'clock's", '3’s',
]; // prettier-ignore

/** Deterministic texts mixing letters, digits, apostrophes, surrogate pairs and lone surrogates. */
function texts(): string[] {
  let state = 11;
  const next = (): number => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state >>> 8;
  };
  const out = ['', ' ', "'", 'word', "it's 12 o’clock’s 3’4"];
  for (let i = 0; i < 5000; i++) {
    let s = '';
    const parts = next() % 30;
    for (let j = 0; j < parts; j++) s += FRAGMENTS[next() % FRAGMENTS.length];
    out.push(s);
  }
  return out;
}

describe('word scanning', () => {
  it('finds the same words as /[\\p{L}\\p{N}]+/gu', () => {
    for (const text of texts()) {
      const words: string[] = [];
      forEachWord(text, (start, end) => words.push(text.slice(start, end)));
      expect(words, JSON.stringify(text)).toEqual(text.match(/[\p{L}\p{N}]+/gu) ?? []);
    }
  });

  it("counts what /[\\p{L}\\p{N}]+(?:['’][\\p{L}]+)*/gu matches", () => {
    for (const text of texts()) {
      const expected = text.match(/[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu)?.length ?? 0;
      expect(countReaderWords(text), JSON.stringify(text)).toBe(expected);
    }
  });
});
