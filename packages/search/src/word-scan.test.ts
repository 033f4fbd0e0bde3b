import { describe, expect, it } from 'vitest';
import { termSpans, wordSpans } from './word-scan.ts';

const WORD = /[\p{L}\p{N}][\p{L}\p{N}'’.&-]*/gu;
const TERM = /[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu;

function spansOf(text: string, expression: RegExp): number[] {
  return [...text.matchAll(expression)].flatMap((m) => [m.index, m.index + m[0].length]);
}

/** Random text from a pool of characters that exercises every branch of the scanners. */
function randomText(seed: number, length: number): string {
  const pool = [
    ...'abcXYZ019 .,;:!?-&\'’"”\n\t',
    'é',
    'Ä',
    'ß',
    'ж',
    'Ж',
    'λ',
    'の',
    '中',
    '٣',
    '²',
    'ǅ',
    '\u00a0',
    '\u2028',
    '\u200b',
    '𝐀',
    '𝟙',
    '😀',
    '\ud800',
    '\udc00',
    "o'",
    "'s",
    '’s',
    'U.S.',
    'AT&T',
    "rock'n",
    "'2",
  ];
  let x = seed;
  let out = '';
  while (out.length < length) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out += pool[x % pool.length];
  }
  return out;
}

describe('word scanners', () => {
  it('find what their expressions find, on mixed-script text with astral letters and lone surrogates', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const text = randomText(seed, 1 + (seed % 97) * 3);
      expect(wordSpans(text), text).toEqual(spansOf(text, WORD));
      expect(termSpans(text), text).toEqual(spansOf(text, TERM));
    }
  });

  it('keep inner apostrophes and stop where the expressions stop', () => {
    const text = "O’Brien's rock'n2 don't U.S. AT&T-led 'tis x'";
    const words = (spans: number[]) => spans.flatMap((s, i) => (i % 2 ? [] : [text.slice(s, spans[i + 1])]));
    expect(words(termSpans(text))).toEqual([
      "O’Brien's",
      "rock'n",
      '2',
      "don't",
      'U',
      'S',
      'AT',
      'T',
      'led',
      'tis',
      'x',
    ]);
    expect(words(wordSpans(text))).toEqual(["O’Brien's", "rock'n2", "don't", 'U.S.', 'AT&T-led', 'tis', "x'"]);
  });
});
