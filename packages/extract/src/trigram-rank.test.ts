import { describe, expect, it } from 'vitest';
import { francAll } from 'franc-all';
import { bestLanguage, rankLanguages } from './trigram-rank.ts';
import { completeUdhrCodes, headline, udhrText } from './udhr-texts.ts';

describe('rankLanguages', () => {
  it('ranks every declaration paragraph and headline exactly as franc-all does', () => {
    const texts: string[] = [];
    // Every third declaration (a paragraph and a headline each) keeps the test quick.
    for (const code of completeUdhrCodes().filter((_, i) => i % 3 === 0)) {
      const paragraphs = udhrText(code).paragraphs;
      const p = paragraphs[3]?.text;
      if (p) texts.push(p.slice(0, 500));
      if (p) texts.push(headline(p));
    }
    expect(texts.length).toBeGreaterThan(200);
    for (const text of texts) {
      const expected = francAll(text, { minLength: 10 });
      expect(rankLanguages(text, 10)).toEqual(expected);
      expect(bestLanguage(text, 10)).toBe(expected[0]![0]);
    }
  });

  it('answers und, single-language scripts, punctuation, digits and case as franc-all does', () => {
    for (const text of [
      '',
      'short',
      '1234567890 12345',
      '한국어 문장입니다 오늘은 날씨가 좋습니다',
      'ΑΒΓ δεκα λεξεις εδω',
      'İSTANBUL, 12.03.2024 — Büyük şehirde   yağmur!! (AA)',
      '   \n\t «Quote» 1999: "l\'été" arrive; c\'est-à-dire…   ',
    ]) {
      expect(rankLanguages(text, 10)).toEqual(francAll(text, { minLength: 10 }));
    }
  });
});
