/**
 * Bytes → text. Order: byte-order mark, Content-Type header charset, `<meta charset>` /
 * `<meta http-equiv="Content-Type">`, then detection (valid UTF-8, else the legacy encoding whose
 * decoding looks most like text), else windows-1252.
 */
import { TextDecoder } from 'node:util';

export type CharsetSource = 'bom' | 'header' | 'meta' | 'detected' | 'default';

export interface DecodedHtml {
  text: string;
  charset: string;
  source: CharsetSource;
}

/** How many leading bytes are searched for `<meta charset>` (the HTML spec says 1024; pages are sloppier). */
const META_SCAN_BYTES = 8192;
/** How many bytes detection looks at. */
const DETECT_SCAN_BYTES = 256 * 1024;

function decoderFor(label: string): TextDecoder | null {
  try {
    return new TextDecoder(label.trim().toLowerCase());
  } catch {
    return null;
  }
}

/** The charset parameter of a Content-Type value, if any. */
export function charsetFromContentType(contentType: string | undefined): string | null {
  if (!contentType) return null;
  const m = /;\s*charset\s*=\s*["']?([^"';\s]+)/i.exec(contentType);
  return m?.[1] ?? null;
}

/** The charset declared by a `<meta>` in the first bytes of the page, if any. */
export function charsetFromMeta(bytes: Uint8Array): string | null {
  const head = latin1(bytes.subarray(0, META_SCAN_BYTES));
  const metaRe = /<meta\b[^>]*>/gi;
  for (let m = metaRe.exec(head); m; m = metaRe.exec(head)) {
    const tag = m[0];
    const direct = /\bcharset\s*=\s*["']?\s*([\w.:-]+)/i.exec(tag);
    if (direct?.[1] && !/http-equiv/i.test(tag)) return direct[1];
    if (/http-equiv\s*=\s*["']?content-type/i.test(tag)) {
      const content = /\bcontent\s*=\s*(["'])(.*?)\1/i.exec(tag)?.[2] ?? '';
      const cs = /charset\s*=\s*([\w.:-]+)/i.exec(content)?.[1];
      if (cs) return cs;
    }
  }
  return null;
}

function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

function hasHighBytes(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i]! >= 0x80) return true;
  return false;
}

/** True when the bytes are valid UTF-8 (a sequence cut at the very end is tolerated). */
export function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}

interface Candidate {
  charset: string;
  /** Latin-script encodings put accented letters between ASCII letters; the others write runs of non-ASCII. */
  latin?: boolean;
  /** Scores one decoded non-ASCII character. */
  score: (cp: number) => number;
}

const isHiraKata = (cp: number): boolean => cp >= 0x3040 && cp <= 0x30ff;
const isHan = (cp: number): boolean => cp >= 0x4e00 && cp <= 0x9fff;
const isHangul = (cp: number): boolean => cp >= 0xac00 && cp <= 0xd7a3;
// Full-width forms, not half-width katakana (rare in real text, common in mis-decoded bytes).
const isCjkPunct = (cp: number): boolean =>
  (cp >= 0x3000 && cp <= 0x303f) || (cp >= 0xff01 && cp <= 0xff60) || (cp >= 0xffe0 && cp <= 0xffef);
const isCyrLower = (cp: number): boolean => (cp >= 0x430 && cp <= 0x44f) || cp === 0x451;
const isCyrUpper = (cp: number): boolean => (cp >= 0x410 && cp <= 0x42f) || cp === 0x401;
const WESTERN_LETTERS = new Set(
  Array.from('éèêëàâäáãåçñóòôöõúùûüíìîïœæßøÉÈÀÇÖÜÄÑÁÍÓÚ€’‘“”–—…«»°£©®ªº¿¡·').map((c) => c.codePointAt(0)!),
);
const CENTRAL_LETTERS = new Set(
  Array.from('ąćęłńśźżĄĆĘŁŃŚŹŻčďěňřšťžůČĎĚŇŘŠŤŽŮőűŐŰăâîșțĂÂÎȘȚşţŞŢáéíóúýÁÉÍÓÚÝöüÖÜ').map((c) => c.codePointAt(0)!),
);

function bad(cp: number): number {
  if (cp === 0xfffd) return -20;
  if (cp >= 0x80 && cp <= 0x9f) return -10;
  return -1;
}

const CANDIDATES: Candidate[] = [
  // Multi-byte candidates: one character stands for two bytes, so it scores about double.
  { charset: 'shift_jis', score: (cp) => (isHiraKata(cp) ? 6 : isHan(cp) ? 4 : isCjkPunct(cp) ? 3 : bad(cp)) },
  { charset: 'euc-jp', score: (cp) => (isHiraKata(cp) ? 6 : isHan(cp) ? 3.9 : isCjkPunct(cp) ? 2.9 : bad(cp)) },
  { charset: 'euc-kr', score: (cp) => (isHangul(cp) ? 6 : isCjkPunct(cp) ? 1 : bad(cp)) },
  { charset: 'gb18030', score: (cp) => (isHan(cp) ? 4 : isCjkPunct(cp) ? 3 : isHiraKata(cp) ? 0 : bad(cp)) },
  { charset: 'big5', score: (cp) => (isHan(cp) ? 3.8 : isCjkPunct(cp) ? 2 : bad(cp)) },
  { charset: 'koi8-r', score: (cp) => (isCyrLower(cp) ? 2 : isCyrUpper(cp) ? 0.3 : bad(cp)) },
  { charset: 'windows-1251', score: (cp) => (isCyrLower(cp) ? 2 : isCyrUpper(cp) ? 0.3 : bad(cp)) },
  { charset: 'iso-8859-2', latin: true, score: (cp) => (CENTRAL_LETTERS.has(cp) ? 1.9 : bad(cp)) },
  { charset: 'windows-1252', latin: true, score: (cp) => (WESTERN_LETTERS.has(cp) ? 2 : bad(cp)) },
];

function isAsciiLetter(cp: number): boolean {
  return (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a);
}

/** windows-1252's 0x80–0x9F (Node's decoder drops them). */
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

function decodeWindows1252(bytes: Uint8Array): string {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b >= 0x80 && b <= 0x9f) {
      if (i > start) parts.push(latin1(bytes.subarray(start, i)));
      parts.push(CP1252_HIGH[b - 0x80]!);
      start = i + 1;
    }
  }
  if (start < bytes.length) parts.push(latin1(bytes.subarray(start)));
  return parts.join('');
}

/** Decodes with a WHATWG charset name, working around decoders Node gets wrong. */
export function decodeAs(charset: string, bytes: Uint8Array): string {
  if (charset === 'windows-1252') return decodeWindows1252(bytes);
  return new TextDecoder(charset).decode(bytes);
}

/** Picks the legacy encoding whose decoding of the sample scores best per high byte. */
export function detectCharset(bytes: Uint8Array): string {
  const sample = bytes.subarray(0, DETECT_SCAN_BYTES);
  if (!hasHighBytes(sample)) return 'utf-8';
  if (isValidUtf8(sample)) return 'utf-8';
  let best = 'windows-1252';
  let bestScore = -Infinity;
  for (const c of CANDIDATES) {
    const text = decodeAs(c.charset, sample);
    let score = 0;
    for (let i = 0; i < text.length; i++) {
      const cp = text.charCodeAt(i);
      if (cp < 0x80) continue;
      let s = c.score(cp);
      if (s > 0) {
        const prevHigh = i > 0 && text.charCodeAt(i - 1) >= 0x80;
        const nextHigh = i + 1 < text.length && text.charCodeAt(i + 1) >= 0x80;
        if (c.latin && prevHigh && nextHigh) s = -1;
        if (
          !c.latin &&
          !prevHigh &&
          !nextHigh &&
          (isAsciiLetter(text.charCodeAt(i - 1)) || isAsciiLetter(text.charCodeAt(i + 1)))
        ) {
          s = -2;
        }
      }
      score += s;
    }
    if (score > bestScore) {
      bestScore = score;
      best = c.charset;
    }
  }
  return best;
}

/**
 * Bytes declared UTF-8 that are really a single-byte Latin encoding: no valid multi-byte UTF-8
 * sequence at all, and every high byte stands alone between ASCII characters (an accented letter
 * inside a word), as in `Stra\xdfe`. Random or truncated bytes do not qualify.
 */
function looksLikeMislabelledLatin(bytes: Uint8Array): boolean {
  let high = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b < 0x80) continue;
    high++;
    const prev = i > 0 ? bytes[i - 1]! : 0x20;
    const next = i + 1 < bytes.length ? bytes[i + 1]! : 0x20;
    if (prev >= 0x80 || next >= 0x80) return false;
    if (b < 0xa0 && !'\x80\x85\x91\x92\x93\x94\x96\x97'.includes(String.fromCharCode(b))) return false;
  }
  return high > 0;
}

function normaliseLabel(decoder: TextDecoder): string {
  return decoder.encoding;
}

/** Decodes HTML bytes; see the module comment for the order of evidence. */
export function decodeHtml(bytes: Uint8Array, contentType?: string): DecodedHtml {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), charset: 'utf-8', source: 'bom' };
  }
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), charset: 'utf-16le', source: 'bom' };
  }
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), charset: 'utf-16be', source: 'bom' };
  }
  const declared: Array<[string | null, CharsetSource]> = [
    [charsetFromContentType(contentType), 'header'],
    [charsetFromMeta(bytes), 'meta'],
  ];
  for (const [label, source] of declared) {
    if (!label) continue;
    const decoder = decoderFor(label);
    if (!decoder) continue; // unknown label: look further
    let charset = normaliseLabel(decoder);
    // A page cannot really be UTF-16 once we found an ASCII `<meta>` in it: browsers treat it as UTF-8.
    if (charset.startsWith('utf-16')) charset = 'utf-8';
    const sample = bytes.subarray(0, DETECT_SCAN_BYTES);
    if (charset === 'utf-8') {
      // A wrong declaration (a Latin page labelled UTF-8) is decoded by what it looks like; any
      // other invalid bytes are broken UTF-8, decoded as browsers do: U+FFFD for each bad sequence.
      if (!isValidUtf8(sample) && looksLikeMislabelledLatin(sample)) {
        const detected = detectCharset(bytes);
        return { text: decodeAs(detected, bytes), charset: detected, source: 'detected' };
      }
      return { text: new TextDecoder('utf-8').decode(bytes), charset, source };
    }
    // Declared a legacy charset, but the bytes are UTF-8 with multi-byte sequences: it is UTF-8.
    if (hasHighBytes(sample) && isValidUtf8(sample)) {
      return { text: new TextDecoder('utf-8').decode(bytes), charset: 'utf-8', source: 'detected' };
    }
    return { text: decodeAs(charset, bytes), charset, source };
  }
  const sample = bytes.subarray(0, DETECT_SCAN_BYTES);
  if (!hasHighBytes(sample))
    return { text: new TextDecoder('utf-8').decode(bytes), charset: 'utf-8', source: 'default' };
  const detected = detectCharset(bytes);
  return { text: decodeAs(detected, bytes), charset: detected, source: 'detected' };
}
