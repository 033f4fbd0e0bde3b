/**
 * Bytes → text. Order: byte-order mark, Content-Type header charset, `<meta charset>` /
 * `<meta http-equiv="Content-Type">`, then detection (valid UTF-8, else `charset-detect.ts`).
 */
import { isUtf8 } from 'node:buffer';
import { TextDecoder } from 'node:util';
import { detectUndeclaredCharset } from './charset-detect.ts';

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

/** The encoding of undeclared bytes: UTF-8 when they are valid UTF-8, else see `charset-detect.ts`. */
export function detectCharset(bytes: Uint8Array): string {
  const sample = bytes.subarray(0, DETECT_SCAN_BYTES);
  if (!hasHighBytes(sample)) return 'utf-8';
  if (isValidUtf8(sample)) return 'utf-8';
  return detectUndeclaredCharset(bytes, decodeAs);
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

/**
 * How {@link decodeHtml} reads a page: the charset and where it came from, and the text, computed
 * only when asked for.
 */
export interface HtmlReading {
  charset: string;
  source: CharsetSource;
  /**
   * True when the text is the bytes decoded as UTF-8 from the first byte to the last and every byte
   * is valid UTF-8: then reading the bytes one character each (Latin-1) gives every ASCII character
   * at its byte's position, and any run between two ASCII characters decodes on its own.
   */
  wholeValidUtf8: boolean;
  text(): string;
}

/** The bytes as UTF-8, as browsers decode them (U+FFFD for each bad sequence), with their validity. */
function utf8Reading(bytes: Uint8Array, charset: string, source: CharsetSource, valid = isUtf8(bytes)): HtmlReading {
  return { charset, source, wholeValidUtf8: valid, text: () => new TextDecoder('utf-8').decode(bytes) };
}

function reading(text: () => string, charset: string, source: CharsetSource): HtmlReading {
  return { charset, source, wholeValidUtf8: false, text };
}

/** How the page's bytes are to be decoded; see the module comment for the order of evidence. */
export function readHtml(bytes: Uint8Array, contentType?: string): HtmlReading {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return reading(() => new TextDecoder('utf-8').decode(bytes.subarray(3)), 'utf-8', 'bom');
  }
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    return reading(() => new TextDecoder('utf-16le').decode(bytes.subarray(2)), 'utf-16le', 'bom');
  }
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    return reading(() => new TextDecoder('utf-16be').decode(bytes.subarray(2)), 'utf-16be', 'bom');
  }
  const declared: Array<[() => string | null, CharsetSource]> = [
    [() => charsetFromContentType(contentType), 'header'],
    [() => charsetFromMeta(bytes), 'meta'],
  ];
  for (const [labelOf, source] of declared) {
    const label = labelOf();
    if (!label) continue;
    const decoder = decoderFor(label);
    if (!decoder) continue; // unknown label: look further
    let charset = normaliseLabel(decoder);
    // A page cannot really be UTF-16 once we found an ASCII `<meta>` in it: browsers treat it as UTF-8.
    if (charset.startsWith('utf-16')) charset = 'utf-8';
    const sample = bytes.subarray(0, DETECT_SCAN_BYTES);
    if (charset === 'utf-8') {
      if (isUtf8(bytes)) return utf8Reading(bytes, charset, source, true);
      // A wrong declaration (a Latin page labelled UTF-8) is decoded by what it looks like; any
      // other invalid bytes are broken UTF-8, decoded as browsers do: U+FFFD for each bad sequence.
      if (!isValidUtf8(sample) && looksLikeMislabelledLatin(sample)) {
        const detected = detectCharset(bytes);
        return reading(() => decodeAs(detected, bytes), detected, 'detected');
      }
      return utf8Reading(bytes, charset, source, false);
    }
    // Declared a legacy charset, but the bytes are UTF-8 with multi-byte sequences: it is UTF-8.
    if (hasHighBytes(sample) && isValidUtf8(sample)) return utf8Reading(bytes, 'utf-8', 'detected');
    return reading(() => decodeAs(charset, bytes), charset, source);
  }
  const sample = bytes.subarray(0, DETECT_SCAN_BYTES);
  if (!hasHighBytes(sample)) return utf8Reading(bytes, 'utf-8', 'default');
  const detected = detectCharset(bytes);
  if (detected === 'utf-8') return utf8Reading(bytes, detected, 'detected');
  return reading(() => decodeAs(detected, bytes), detected, 'detected');
}

/** Decodes HTML bytes; see the module comment for the order of evidence. */
export function decodeHtml(bytes: Uint8Array, contentType?: string): DecodedHtml {
  const { text, charset, source } = readHtml(bytes, contentType);
  return { text: text(), charset, source };
}
