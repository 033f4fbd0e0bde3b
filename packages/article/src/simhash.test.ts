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
