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
  let out = '';
  const step = 4096;
  for (let i = 0; i < bytes.length; i += step) {
    out += String.fromCharCode(...bytes.subarray(i, Math.min(bytes.length, i + step)));
  }
  return out;
}

function hasHighBytes(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i]! >= 0x80) return true;
  return false;
}

/** True when the bytes are valid UTF-8 (a sequence cut at the very end is tolerated). */
export function isValidUtf8(bytes: Uint8Array): boolean {
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) need = 2;
    else if (b >= 0xf0 && b <= 0xf4) need = 3;
    else return false;
    if (i + need >= n) return true; // a sequence cut by a truncated sample
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k]!;
      if ((c & 0xc0) !== 0x80) return false;
    }
    i += need + 1;
  }
  return true;
}

interface Candidate {
  charset: string;
  /** Scores one decoded non-ASCII character. */
  score: (cp: number) => number;
}

const isHiraKata = (cp: number): boolean => cp >= 0x3040 && cp <= 0x30ff;
const isHan = (cp: number): boolean => cp >= 0x4e00 && cp <= 0x9fff;
const isHangul = (cp: number): boolean => cp >= 0xac00 && cp <= 0xd7a3;
const isCjkPunct = (cp: number): boolean => (cp >= 0x3000 && cp <= 0x303f) || (cp >= 0xff00 && cp <= 0xffef);
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
  { charset: 'shift_jis', score: (cp) => (isHiraKata(cp) ? 3 : isHan(cp) || isCjkPunct(cp) ? 1 : bad(cp)) },
  { charset: 'euc-jp', score: (cp) => (isHiraKata(cp) ? 3 : isHan(cp) || isCjkPunct(cp) ? 1 : bad(cp)) },
  { charset: 'euc-kr', score: (cp) => (isHangul(cp) ? 3 : isCjkPunct(cp) ? 0.5 : bad(cp)) },
  { charset: 'gb18030', score: (cp) => (isHan(cp) ? 1.6 : isCjkPunct(cp) ? 1 : isHiraKata(cp) ? 0 : bad(cp)) },
  { charset: 'big5', score: (cp) => (isHan(cp) ? 1.5 : isCjkPunct(cp) ? 1 : bad(cp)) },
  { charset: 'koi8-r', score: (cp) => (isCyrLower(cp) ? 2 : isCyrUpper(cp) ? 0.3 : bad(cp)) },
  { charset: 'windows-1251', score: (cp) => (isCyrLower(cp) ? 2 : isCyrUpper(cp) ? 0.3 : bad(cp)) },
  { charset: 'iso-8859-2', score: (cp) => (CENTRAL_LETTERS.has(cp) ? 1.9 : bad(cp)) },
  { charset: 'windows-1252', score: (cp) => (WESTERN_LETTERS.has(cp) ? 2 : bad(cp)) },
];

/** Picks the legacy encoding whose decoding of the sample scores best per high byte. */
export function detectCharset(bytes: Uint8Array): string {
  const sample = bytes.subarray(0, DETECT_SCAN_BYTES);
  if (!hasHighBytes(sample)) return 'utf-8';
  if (isValidUtf8(sample)) return 'utf-8';
  let best = 'windows-1252';
  let bestScore = -Infinity;
  for (const c of CANDIDATES) {
    const decoder = decoderFor(c.charset);
    if (!decoder) continue;
    const text = decoder.decode(sample);
    let score = 0;
    for (let i = 0; i < text.length; i++) {
      const cp = text.charCodeAt(i);
      if (cp < 0x80) continue;
      score += c.score(cp);
    }
    if (score > bestScore) {
      bestScore = score;
      best = c.charset;
    }
  }
  return best;
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
      // A wrong declaration: bytes that are not UTF-8 are decoded by what they look like.
      if (!isValidUtf8(sample)) {
        const detected = detectCharset(bytes);
        return { text: new TextDecoder(detected).decode(bytes), charset: detected, source: 'detected' };
      }
      return { text: new TextDecoder('utf-8').decode(bytes), charset, source };
    }
    // Declared a legacy charset, but the bytes are UTF-8 with multi-byte sequences: it is UTF-8.
    if (hasHighBytes(sample) && isValidUtf8(sample)) {
      return { text: new TextDecoder('utf-8').decode(bytes), charset: 'utf-8', source: 'detected' };
    }
    return { text: new TextDecoder(charset).decode(bytes), charset, source };
  }
  const sample = bytes.subarray(0, DETECT_SCAN_BYTES);
  if (!hasHighBytes(sample))
    return { text: new TextDecoder('utf-8').decode(bytes), charset: 'utf-8', source: 'default' };
  const detected = detectCharset(bytes);
  return { text: new TextDecoder(detected).decode(bytes), charset: detected, source: 'detected' };
}
