/**
 * Word scanning without regular expressions or substrings: the same words as `/[\p{L}\p{N}]+/gu`
 * (and, for counting, `/[\p{L}\p{N}]+(?:['’][\p{L}]+)*\/gu`), found by classifying code points
 * through a table filled as characters are first seen. Hashing and counting the words of every
 * parsed body this way costs a fraction of matching them and building an array of strings.
 */

const LETTER = 1;
const DIGIT = 2;
const OTHER = 3;
/** Class of each UTF-16 code unit outside the surrogates; 0 = not yet classified. */
const classes = new Uint8Array(0x10000);
const IS_LETTER = /^\p{L}$/u;
const IS_DIGIT = /^\p{N}$/u;
const APOSTROPHE = 0x27;
const RIGHT_QUOTE = 0x2019;

function classify(cp: number): number {
  const ch = String.fromCodePoint(cp);
  return IS_LETTER.test(ch) ? LETTER : IS_DIGIT.test(ch) ? DIGIT : OTHER;
}

/** The class of the code point at `i` in `text` and its length in code units (2 for a surrogate pair). */
function classAt(text: string, i: number): { cls: number; size: number } {
  const c = text.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
    const low = text.charCodeAt(i + 1);
    if (low >= 0xdc00 && low <= 0xdfff)
      return { cls: classify(((c - 0xd800) << 10) + (low - 0xdc00) + 0x10000), size: 2 };
  }
  if (c >= 0xd800 && c <= 0xdfff) return { cls: OTHER, size: 1 };
  let cls = classes[c]!;
  if (cls === 0) {
    cls = classify(c);
    classes[c] = cls;
  }
  return { cls, size: 1 };
}

/** The class of the code unit at `i` when it is not a surrogate (the common case), else -1. */
function fastClass(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdfff) return -1;
  let cls = classes[c]!;
  if (cls === 0) {
    cls = classify(c);
    classes[c] = cls;
  }
  return cls;
}

function classAndSize(text: string, i: number, out: { cls: number; size: number }): void {
  const fast = fastClass(text, i);
  if (fast !== -1) {
    out.cls = fast;
    out.size = 1;
    return;
  }
  const r = classAt(text, i);
  out.cls = r.cls;
  out.size = r.size;
}

/** Offset after the run of code points from `i` whose class is `a` or `b` (`i` when there is none). */
function runEnd(text: string, i: number, a: number, b: number, at: { cls: number; size: number }): number {
  while (i < text.length) {
    classAndSize(text, i, at);
    if (at.cls !== a && at.cls !== b) break;
    i += at.size;
  }
  return i;
}

/** Offset of the first letter or digit at or after `i` (the text's length when none). */
function nextWord(text: string, i: number, at: { cls: number; size: number }): number {
  while (i < text.length) {
    classAndSize(text, i, at);
    if (at.cls !== OTHER) break;
    i += at.size;
  }
  return i;
}

/**
 * Calls `word(start, end)` for each run of letters and digits (`[\p{L}\p{N}]+`) in `text`, in
 * order; `start` and `end` are UTF-16 offsets.
 */
export function forEachWord(text: string, word: (start: number, end: number) => void): void {
  const at = { cls: 0, size: 0 };
  for (let i = nextWord(text, 0, at); i < text.length;) {
    const end = runEnd(text, i, LETTER, DIGIT, at);
    word(i, end);
    i = nextWord(text, end, at);
  }
}

/** How many matches `/[\p{L}\p{N}]+(?:['’][\p{L}]+)*\/gu` finds in `text`: words as a reader counts them. */
export function countReaderWords(text: string): number {
  const at = { cls: 0, size: 0 };
  let n = 0;
  for (let i = nextWord(text, 0, at); i < text.length;) {
    n++;
    i = runEnd(text, i, LETTER, DIGIT, at);
    // Each apostrophe followed by letters continues the word ("don't", "rock’n’roll"); digits do not.
    while (i + 1 < text.length && (text.charCodeAt(i) === APOSTROPHE || text.charCodeAt(i) === RIGHT_QUOTE)) {
      const end = runEnd(text, i + 1, LETTER, LETTER, at);
      if (end === i + 1) break;
      i = end;
    }
    i = nextWord(text, i, at);
  }
  return n;
}
