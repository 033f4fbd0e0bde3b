/**
 * The encoding of a page that declares none (no byte-order mark, no Content-Type charset, no
 * `<meta>`) and is not UTF-8.
 *
 * jschardet (a maintained port of the universal charset detector) proposes candidates; each one
 * that a WHATWG decoder exists for is decoded and checked: bytes the encoding does not define
 * (U+FFFD), C1 control characters, symbols inside words and words that mix scripts count against
 * it, and the text must read as a language written in the script it decodes to. The candidate with
 * the fewest faults wins; ties go to the detector's order.
 */
import { createRequire } from 'node:module';
import { TextDecoder } from 'node:util';
import type * as Jschardet from 'jschardet';
import { data as francData, type data as FrancData } from 'franc-all/data.js';
import { bcp47FromIso6393, detectLanguage } from './language.ts';

/**
 * jschardet, loaded on the first page that needs it: its models are about 1 MB of JavaScript, and
 * most pages declare their encoding or are UTF-8. `extract()` is synchronous, so the package's
 * CommonJS build is required (same code as its ES module build).
 */
let jschardet: typeof Jschardet | undefined;
function detectAll(...args: Parameters<typeof Jschardet.detectAll>): ReturnType<typeof Jschardet.detectAll> {
  jschardet ??= createRequire(import.meta.url)('jschardet') as typeof Jschardet;
  return jschardet.detectAll(...args);
}

/** How many bytes detection reads. */
export const DETECT_SAMPLE_BYTES = 64 * 1024;

/** Detector names that are not WHATWG labels. */
const LABELS: Readonly<Record<string, string>> = {
  ascii: 'windows-1252',
  cp932: 'shift_jis',
  cp949: 'euc-kr',
  cp874: 'windows-874',
  'tis-620': 'windows-874',
  maccyrillic: 'x-mac-cyrillic',
  'euc-jis-2004': 'euc-jp',
  big5hkscs: 'big5',
};

/** Encodings sharing a script whose decodings differ in a few letters: each is tried when one is proposed. */
const SIBLINGS: ReadonlyArray<readonly string[]> = [
  ['windows-1250', 'iso-8859-2', 'iso-8859-16'],
  ['windows-1251', 'koi8-r', 'koi8-u', 'iso-8859-5', 'ibm866', 'x-mac-cyrillic'],
  ['windows-1252', 'iso-8859-15'],
  ['windows-1253', 'iso-8859-7'],
  ['windows-1254'],
  ['windows-1255', 'iso-8859-8'],
  ['windows-1256', 'iso-8859-6'],
  ['windows-1257', 'iso-8859-13', 'iso-8859-4'],
  ['shift_jis', 'euc-jp'],
  ['gb18030', 'big5'],
];

/** The WHATWG name of a detector's encoding name, or null when no decoder exists for it. */
export function whatwgName(name: string): string | null {
  const lower = name.toLowerCase().replace(/_/g, '-');
  const label = LABELS[lower] ?? lower.replace(/^iso8859-/, 'iso-8859-');
  try {
    return new TextDecoder(label).encoding;
  } catch {
    return null;
  }
}

const SCRIPTS: ReadonlyArray<readonly [string, RegExp]> = [
  ['Latin', /\p{Script=Latin}/u],
  ['Cyrillic', /\p{Script=Cyrillic}/u],
  ['Greek', /\p{Script=Greek}/u],
  ['Arabic', /\p{Script=Arabic}/u],
  ['Hebrew', /\p{Script=Hebrew}/u],
  ['Thai', /\p{Script=Thai}/u],
  ['Han', /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u],
];

function scriptOf(ch: string): string {
  for (const [name, re] of SCRIPTS) if (re.test(ch)) return name;
  return 'Other';
}

let languageScripts: Map<string, string> | undefined;

/** The script each language identification can name is written in (from franc-all's profiles), built on first use. */
function languageScript(tag: string): string | undefined {
  if (!languageScripts) {
    languageScripts = new Map<string, string>();
    for (const [script, languages] of Object.entries(francData as typeof FrancData)) {
      for (const code of Object.keys(languages)) {
        const t = bcp47FromIso6393(code);
        if (!languageScripts.has(t)) languageScripts.set(t, script);
      }
    }
    for (const [t, script] of [['zh', 'Han'], ['ja', 'Han'], ['ko', 'Han'], ['th', 'Thai'], ['el', 'Greek'], ['he', 'Hebrew'], ['yi', 'Hebrew']] as const) {
      languageScripts.set(t, script);
    } // prettier-ignore
  }
  return languageScripts.get(tag);
}

const LETTER = /[\p{L}\p{M}]/u;
/** Punctuation that CJK text writes between letters. */
const CJK_PUNCTUATION = /[\u3000-\u303f\uff00-\uffef\u2018-\u201f\u2026\u00b7]/u;
/** A proposal at least this sure (the detector's "deterministic" level) is taken if it decodes cleanly. */
const SURE = 0.95;

/** Faults of a decoding: higher is worse. Also returns the dominant script of its non-ASCII letters. */
export function decodingFaults(text: string): { faults: number; script: string } {
  let faults = 0;
  const scripts = new Map<string, number>();
  const chars = Array.from(text);
  let prevLetterScript: string | null = null;
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    const cp = ch.codePointAt(0)!;
    if (cp === 0xfffd) faults += 20;
    else if (cp >= 0x80 && cp <= 0x9f) faults += 10;
    else if (cp >= 0xe000 && cp <= 0xf8ff) faults += 10;
    if (LETTER.test(ch)) {
      const script = cp < 0x80 ? 'Latin' : scriptOf(ch);
      if (cp >= 0x80) scripts.set(script, (scripts.get(script) ?? 0) + 1);
      if (prevLetterScript && prevLetterScript !== script && script !== 'Other' && prevLetterScript !== 'Other') {
        faults += 3;
      }
      prevLetterScript = script;
    } else {
      if (cp >= 0xa0 && cp !== 0xfffd && !CJK_PUNCTUATION.test(ch) && /\S/u.test(ch)) {
        const before = chars[i - 1];
        const after = chars[i + 1];
        if (before && after && LETTER.test(before) && LETTER.test(after)) faults += 3;
      }
      if (!/[\p{M}'’-]/u.test(ch)) prevLetterScript = null;
    }
  }
  let script = 'Latin';
  let most = 0;
  for (const [s, n] of scripts) {
    if (n > most) {
      most = n;
      script = s;
    }
  }
  return { faults, script };
}

/** The visible text of an HTML sample, roughly: tags, scripts and styles removed. */
function roughText(html: string): string {
  return html
    .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ');
}

/**
 * The encoding of bytes that are not UTF-8 and declare none, as a WHATWG name; `decodeAs` turns
 * them into text.
 */
export function detectUndeclaredCharset(
  bytes: Uint8Array,
  decodeAs: (charset: string, b: Uint8Array) => string,
): string {
  const sample = bytes.subarray(0, DETECT_SAMPLE_BYTES);
  const proposed: string[] = [];
  const results = detectAll(sample, { minimumThreshold: 0 });
  const top = results[0];
  const topName = top?.encoding ? whatwgName(top.encoding) : null;
  if (top && topName && top.confidence >= SURE && !decodeAs(topName, sample).includes('\ufffd')) return topName;
  for (const r of results) {
    const name = r.encoding ? whatwgName(r.encoding) : null;
    if (name && name !== 'utf-8' && !name.startsWith('utf-16') && !proposed.includes(name)) proposed.push(name);
  }
  const candidates = [...proposed];
  for (const name of proposed.slice(0, 3)) {
    const family = SIBLINGS.find((f) => f.includes(name)) ?? [];
    for (const s of family) if (!candidates.includes(s) && whatwgName(s) === s) candidates.push(s);
  }
  if (!candidates.length) candidates.push('windows-1252');
  let best = candidates[0]!;
  let bestFaults = Infinity;
  for (const charset of candidates) {
    const text = roughText(decodeAs(charset, sample));
    const { faults, script } = decodingFaults(text);
    let total = faults;
    if (total >= bestFaults) continue;
    // The text must read as a language written in the script it decoded to.
    const language = detectLanguage(text);
    const expected = language ? languageScript(language) : undefined;
    if (expected && expected !== script && script !== 'Latin') total += 50;
    if (total < bestFaults) {
      best = charset;
      bestFaults = total;
    }
  }
  return best;
}
