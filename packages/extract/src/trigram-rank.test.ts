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

  it('picks the script as franc-all does on text mixing scripts, with and without surrogate pairs', () => {
    // Letters of several scripts (Latin, Cyrillic, Greek, Arabic, Devanagari, Han, kana, Hangul,
    // Hebrew, Thai), spaces, punctuation, and astral characters (a CJK extension ideograph, an emoji).
    const alphabet = [
      ...'abcXYZéßøŁ',
      ...'дждЖщЯ',
      ...'αβΩ',
      ...'بتث',
      ...'कखग',
      ...'中文字',
      ...'ひらカタ',
      ...'한국',
      ...'אב',
      ...'กข',
      ...' ,.!?-«»0123',
      '\u{20000}',
      '\u{1F600}',
    ];
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let k = 0; k < 300; k++) {
      // Mostly one script with others mixed in, so every script wins some texts.
      const main = alphabet.slice(random(alphabet.length - 10)).slice(0, 6);
      let text = '';
      for (let i = 0, n = 20 + random(200); i < n; i++) {
        text += random(4) === 0 ? alphabet[random(alphabet.length)]! : main[random(main.length)]!;
      }
      expect(rankLanguages(text, 10)).toEqual(francAll(text, { minLength: 10 }));
      expect(bestLanguage(text, 10)).toBe(francAll(text, { minLength: 10 })[0]![0]);
    }
  });
});
