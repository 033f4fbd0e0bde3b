import { describe, expect, it } from 'vitest';
import { hammingDistance, simhash } from './simhash.ts';

const story =
  'The central bank kept its policy rate at 11 percent on Wednesday, saying consumer price inflation had eased but ' +
  'that risks from energy prices and the budget remained. The monetary policy committee said core inflation was ' +
  'falling more slowly than headline inflation and that real interest rates needed to stay positive. Analysts had ' +
  'expected a pause after a series of cuts over the past year, and bond yields were little changed.';
const other =
  'Glaciers in the Karakoram range lost ice twice as fast in the past decade as in the 2000s, according to a study ' +
  'of satellite records. The researchers measured changes in surface height across more than two thousand glaciers ' +
  'and found that the long-observed stability of the region had ended around 2015, raising flood risks downstream.';

describe('simhash', () => {
  it('is 16 hex digits and the same for the same text', () => {
    expect(simhash(story)).toMatch(/^[0-9a-f]{16}$/);
    expect(simhash(story)).toBe(simhash(story));
  });

  it('puts a lightly edited copy a few bits away and an unrelated text far away', () => {
    const edited = story.replace('Wednesday', 'Thursday').replace('little changed', 'unchanged');
    expect(hammingDistance(simhash(story), simhash(edited))).toBeLessThanOrEqual(8);
    expect(hammingDistance(simhash(story), simhash(other))).toBeGreaterThan(16);
  });

  it('spreads unrelated texts evenly: every bit set about half the time, about 32 bits apart', () => {
    // Deterministic pseudo-random texts over a small vocabulary (so shingles, not words, differ).
    let state = 12345;
    const next = () => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state >>> 8;
    };
    const vocabulary = story.toLowerCase().match(/[a-z]+/g)!;
    const texts = Array.from({ length: 200 }, () =>
      Array.from({ length: 300 }, () => vocabulary[next() % vocabulary.length]).join(' '),
    );
    const hashes = texts.map(simhash);
    for (let bit = 0; bit < 64; bit++) {
      const digit = 15 - Math.floor(bit / 4);
      const set = hashes.filter((h) => (parseInt(h[digit]!, 16) >> (bit % 4)) & 1).length;
      expect(set, `bit ${bit}`).toBeGreaterThan(60);
      expect(set, `bit ${bit}`).toBeLessThan(140);
    }
    let total = 0;
    for (let i = 1; i < hashes.length; i++) total += hammingDistance(hashes[i - 1]!, hashes[i]!);
    const mean = total / (hashes.length - 1);
    expect(mean).toBeGreaterThan(28);
    expect(mean).toBeLessThan(36);
  });

  it('keeps a long text with one word in a hundred changed within the near-duplicate distance', () => {
    const long = Array.from({ length: 10 }, (_, i) => `${story} Paragraph ${i}.`).join(' ');
    const words = long.split(' ');
    const edited = words.map((w, i) => (i % 100 === 50 ? 'changed' : w)).join(' ');
    expect(hammingDistance(simhash(long), simhash(edited))).toBeLessThanOrEqual(8);
  });

  it('hashes short texts (under three words) and the empty text', () => {
    expect(simhash('')).toBe('0000000000000000');
    expect(simhash('Breaking')).toMatch(/^[0-9a-f]{16}$/);
    expect(simhash('Breaking news')).not.toBe(simhash('news Breaking'));
  });

  it('keeps the hashes it gave when each bit was weighed one shingle at a time', () => {
    // Stored records carry these hashes: a faster way of computing them must not move them.
    const long = Array.from({ length: 10 }, (_, i) => `${story} Paragraph ${i}.`).join(' ');
    let state = 12345;
    const next = () => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state >>> 8;
    };
    const vocabulary = story
      .toLowerCase()
      .match(/[a-z]+/g)!
      .slice(0, 17);
    const big = Array.from({ length: 5000 }, () => vocabulary[next() % vocabulary.length]).join(' ');
    expect([story, 'Breaking', 'Breaking news', 'a b c', long, big].map(simhash)).toEqual([
      'c00398447504ae7b',
      '4bcf7c82cb70065b',
      'f3864b56c74505d5',
      '9c04d1eed21035d3',
      'e043984c7706ae7a',
      'f9fd8893c63c13e5',
    ]);
  });

  it('ignores case and punctuation', () => {
    expect(simhash(story.toUpperCase().replace(/,/g, ' ;'))).toBe(simhash(story));
  });
});

describe('hammingDistance', () => {
  it('counts differing bits in both halves', () => {
    expect(hammingDistance('0000000000000000', '0000000000000000')).toBe(0);
    expect(hammingDistance('ffffffffffffffff', '0000000000000000')).toBe(64);
    expect(hammingDistance('8000000000000001', '0000000000000000')).toBe(2);
  });
});
