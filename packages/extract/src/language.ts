/** BCP 47 normalisation and a small script + stop-word language detector. */

export function normaliseLanguage(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const first = raw
    .split(/[,;\s]/)[0]!
    .trim()
    .replace(/_/g, '-');
  const m = /^([a-zA-Z]{2,3})(?:-([a-zA-Z]{4}))?(?:-([a-zA-Z]{2}|\d{3}))?(?:-.*)?$/.exec(first);
  if (!m) return null;
  const lang = m[1]!.toLowerCase();
  if (lang === 'und' || lang === 'xx') return null;
  const script = m[2] ? m[2][0]!.toUpperCase() + m[2].slice(1).toLowerCase() : '';
  const region = m[3] ? m[3].toUpperCase() : '';
  return [lang, script, region].filter(Boolean).join('-');
}

const STOPWORDS: Record<string, string[]> = {
  en: ['the', 'and', 'of', 'to', 'in', 'is', 'that', 'for', 'it', 'with', 'was', 'on', 'as', 'are', 'this', 'be', 'by', 'have', 'from', 'said'],
  fr: ['le', 'la', 'les', 'et', 'des', 'est', 'une', 'dans', 'que', 'pour', 'qui', 'sur', 'pas', 'au', 'avec', 'du', 'ce', 'sont', 'il', 'mais'],
  de: ['der', 'die', 'und', 'das', 'ist', 'nicht', 'ein', 'eine', 'mit', 'sich', 'auf', 'für', 'den', 'dem', 'auch', 'von', 'sie', 'es', 'wird', 'zu'],
  es: ['el', 'la', 'los', 'las', 'que', 'y', 'en', 'del', 'por', 'una', 'para', 'con', 'se', 'su', 'es', 'al', 'lo', 'como', 'más', 'pero'],
  pt: ['o', 'a', 'os', 'as', 'que', 'e', 'do', 'da', 'em', 'um', 'uma', 'para', 'com', 'não', 'dos', 'das', 'se', 'mais', 'por', 'é'],
  it: ['il', 'di', 'che', 'e', 'la', 'per', 'un', 'una', 'in', 'del', 'della', 'non', 'sono', 'gli', 'con', 'le', 'si', 'è', 'anche', 'alla'],
  nl: ['de', 'het', 'een', 'en', 'van', 'is', 'dat', 'op', 'te', 'in', 'voor', 'niet', 'met', 'zijn', 'die', 'ook', 'er', 'aan', 'om', 'maar'],
  id: ['yang', 'dan', 'di', 'ini', 'itu', 'dengan', 'untuk', 'dari', 'dalam', 'tidak', 'akan', 'pada', 'juga', 'ke', 'ada', 'oleh', 'atau', 'karena', 'kami', 'mereka'],
}; // prettier-ignore

const STOP_INDEX = new Map<string, string[]>();
for (const [lang, words] of Object.entries(STOPWORDS)) {
  for (const w of words) STOP_INDEX.set(w, [...(STOP_INDEX.get(w) ?? []), lang]);
}

/** Detects the language of a text sample: scripts first, then stop words for Latin-script text. */
export function detectLanguage(text: string): string | null {
  const sample = text.slice(0, 5000);
  const counts: Record<string, number> = {};
  let letters = 0;
  for (const ch of sample) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) {
      if (/[a-zA-Z]/.test(ch)) letters++;
      continue;
    }
    let k: string | null = null;
    if (cp >= 0x3040 && cp <= 0x30ff) k = 'kana';
    else if (cp >= 0xac00 && cp <= 0xd7a3) k = 'ko';
    else if (cp >= 0x4e00 && cp <= 0x9fff) k = 'han';
    else if (cp >= 0x400 && cp <= 0x4ff) k = 'cyr';
    else if (cp >= 0x600 && cp <= 0x6ff) k = 'ar';
    else if (cp >= 0x900 && cp <= 0x97f) k = 'hi';
    else if (cp >= 0xe00 && cp <= 0xe7f) k = 'th';
    else if (cp >= 0x370 && cp <= 0x3ff) k = 'el';
    else if (cp >= 0x590 && cp <= 0x5ff) k = 'he';
    if (k) counts[k] = (counts[k] ?? 0) + 1;
    letters++;
  }
  if (!letters) return null;
  const kana = counts.kana ?? 0;
  const han = counts.han ?? 0;
  if (kana > 20 && kana + han > letters * 0.3) return 'ja';
  if ((counts.ko ?? 0) > letters * 0.3) return 'ko';
  if (han > letters * 0.3) return 'zh';
  for (const k of ['cyr', 'ar', 'hi', 'th', 'el', 'he']) {
    if ((counts[k] ?? 0) > letters * 0.3) {
      if (k === 'cyr') return /[іїєґ]/.test(sample) ? 'uk' : 'ru';
      if (k === 'ar') return /[پچژگ]/.test(sample) ? 'fa' : 'ar';
      return k;
    }
  }
  const score: Record<string, number> = {};
  const words = sample.toLowerCase().match(/[\p{L}]+/gu) ?? [];
  for (const w of words) for (const lang of STOP_INDEX.get(w) ?? []) score[lang] = (score[lang] ?? 0) + 1;
  const ranked = Object.entries(score).sort((a, b) => b[1] - a[1]);
  const best = ranked[0];
  if (!best || best[1] < 3 || best[1] < words.length * 0.05) return null;
  return best[0];
}
