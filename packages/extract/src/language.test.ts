import { describe, expect, it } from 'vitest';
import {
  bcp47FromIso6393,
  detectLanguage,
  identifyLanguage,
  isKnownLanguage,
  KNOWN_LANGUAGES,
  normaliseLanguage,
  resolveLanguage,
} from './language.ts';
import { completeUdhrCodes, headline, inSplit, paragraphSamples, TOP50, udhrText } from './udhr-texts.ts';

/** The first held-out paragraph text (articles 16–30) of a declaration. */
function heldOut(code: string): string {
  return paragraphSamples(udhrText(code).paragraphs.filter((p) => inSplit(p, 'heldOut')))[0]!;
}

describe('identifyLanguage', () => {
  it('knows more than 100 languages', () => {
    expect(KNOWN_LANGUAGES).toBeGreaterThan(100);
    expect(isKnownLanguage('ur')).toBe(true);
    expect(isKnownLanguage('no')).toBe(true);
    expect(isKnownLanguage('tlh')).toBe(false);
  });

  it('answers detectLanguage and an undeclared resolveLanguage as the head of the full ranking', () => {
    // Both take the language at the least distance without ranking the rest.
    const texts = ['', 'short', '1234567890 12345', '   \n\t «Quote» 1999: "l\'été" arrive;   '];
    for (const code of completeUdhrCodes().filter((_, i) => i % 4 === 0)) {
      const p = udhrText(code).paragraphs[2]?.text;
      if (p) texts.push(p.slice(0, 300), headline(p), p.slice(0, 40));
    }
    expect(texts.length).toBeGreaterThan(150);
    const languages = new Set<string | null>();
    for (const text of texts) {
      const expected = identifyLanguage(text).language;
      languages.add(expected);
      expect([text, detectLanguage(text), resolveLanguage(null, text)]).toEqual([text, expected, expected]);
    }
    expect(languages.size).toBeGreaterThan(40);
    expect(languages.has(null)).toBe(true);
  });

  it('names each of the 50 most spoken languages from a held-out paragraph', () => {
    const wrong = TOP50.map(([lang, code]) => [lang, detectLanguage(heldOut(code))]).filter(([a, b]) => a !== b);
    expect(wrong).toEqual([]);
  });

  it('tells apart the pairs a stop-word list confuses', () => {
    const pairs: Array<[string, string]> = [
      ['urd', 'ur'], ['pes_1', 'fa'], ['fra', 'fr'], ['ita', 'it'], ['ces', 'cs'], ['hun', 'hu'],
      ['swe', 'sv'], ['dan', 'da'], ['nob', 'nb'], ['nld', 'nl'], ['por_PT', 'pt'], ['pol', 'pl'],
    ]; // prettier-ignore
    for (const [code, lang] of pairs) expect([code, detectLanguage(heldOut(code))]).toEqual([code, lang]);
  });

  it('folds individual languages into BCP 47 macrolanguage codes', () => {
    expect(bcp47FromIso6393('arb')).toBe('ar');
    expect(bcp47FromIso6393('cmn')).toBe('zh');
    expect(bcp47FromIso6393('prs')).toBe('fa');
    expect(bcp47FromIso6393('eng')).toBe('en');
    expect(bcp47FromIso6393('ceb')).toBe('ceb');
  });

  it('gives no answer for text without enough letters', () => {
    expect(identifyLanguage('12:30 — 2025').language).toBeNull();
    expect(detectLanguage('')).toBeNull();
  });
});

describe('resolveLanguage', () => {
  const urdu = heldOut('urd');
  const english = heldOut('eng');

  it('uses the identified language when none is declared', () => {
    expect(resolveLanguage(null, urdu)).toBe('ur');
  });

  it('keeps a declaration the text agrees with, region and all', () => {
    expect(resolveLanguage('en-GB', english)).toBe('en-GB');
    expect(resolveLanguage('no', heldOut('nob'))).toBe('no');
  });

  it('overrules a declaration the text contradicts', () => {
    expect(resolveLanguage('en', urdu)).toBe('ur');
    expect(resolveLanguage('fr', english)).toBe('en');
  });

  it('keeps a declaration on short text and for close pairs', () => {
    expect(resolveLanguage('en', 'Bonjour à tous')).toBe('en');
    expect(resolveLanguage('ms', heldOut('ind'))).toBe('ms');
  });

  it('keeps a declared language identification does not know', () => {
    expect(resolveLanguage('tlh', english)).toBe('tlh');
    expect(normaliseLanguage('und')).toBeNull();
  });
});
