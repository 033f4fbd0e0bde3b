/**
 * Word scanners for the fields derived at index time, without a regular expression per word.
 *
 * Each scanner finds exactly what its expression finds with `matchAll` (a test compares them on
 * mixed-script text): a character's class (letter, number, upper-case letter) is looked up in a
 * table filled from the same Unicode property escapes on first sight of each character.
 */

const LETTER_OR_NUMBER = 1;
const LETTER = 2;
const KNOWN = 0x80;

const classes = new Uint8Array(0x10000);
const astralClasses = new Map<number, number>();
const IS_LETTER_OR_NUMBER = /^[\p{L}\p{N}]$/u;
const IS_LETTER = /^\p{L}$/u;

function computeClass(codePoint: number): number {
  const ch = String.fromCodePoint(codePoint);
  return (IS_LETTER_OR_NUMBER.test(ch) ? LETTER_OR_NUMBER : 0) | (IS_LETTER.test(ch) ? LETTER : 0);
}

function classOf(codePoint: number): number {
  if (codePoint < 0x10000) {
    let c = classes[codePoint]!;
    if (c === 0) {
      // Lone surrogates are no letter: `u`-mode expressions see them as code points of their own.
      c = (codePoint >= 0xd800 && codePoint <= 0xdfff ? 0 : computeClass(codePoint)) | KNOWN;
      classes[codePoint] = c;
    }
    return c;
  }
  let c = astralClasses.get(codePoint);
  if (c === undefined) {
    c = computeClass(codePoint);
    astralClasses.set(codePoint, c);
  }
  return c;
}

/** The code point at `i` (a surrogate pair read as one) and how many code units it takes. */
function codePointAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
    const d = text.charCodeAt(i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return (c - 0xd800) * 0x400 + (d - 0xdc00) + 0x10000;
  }
  return c;
}

const width = (codePoint: number) => (codePoint >= 0x10000 ? 2 : 1);

/** `'` `’` `.` `&` `-`: may continue a {@link wordSpans} word. */
function isJoiner(c: number): boolean {
  return c === 0x27 || c === 0x2019 || c === 0x2e || c === 0x26 || c === 0x2d;
}

/** Where the run of code points from `i` that are of class `mask` (or joiners, with `joiners`) ends. */
function runEnd(text: string, i: number, mask: number, joiners = false): number {
  while (i < text.length) {
    const cp = codePointAt(text, i);
    if (!(classOf(cp) & mask) && !(joiners && isJoiner(cp))) break;
    i += width(cp);
  }
  return i;
}

/** Flat start/end pairs of the words of `text`: each starts at a letter or number and ends at `endOf(start)`. */
function spans(text: string, endOf: (start: number) => number): number[] {
  const out: number[] = [];
  let i = 0;
  while (i < text.length) {
    const cp = codePointAt(text, i);
    if (!(classOf(cp) & LETTER_OR_NUMBER)) {
      i += width(cp);
      continue;
    }
    const end = endOf(i);
    out.push(i, end);
    i = end;
  }
  return out;
}

/**
 * The matches of `/[\p{L}\p{N}][\p{L}\p{N}'’.&-]*\/gu` in `text`, as flat start/end pairs
 * (end exclusive).
 */
export function wordSpans(text: string): number[] {
  return spans(text, (start) => runEnd(text, start, LETTER_OR_NUMBER, true));
}

/**
 * The matches of `/[\p{L}\p{N}]+(?:['’][\p{L}]+)*\/gu` in `text` (words with inner apostrophes:
 * "don't", "O’Brien"), as flat start/end pairs (end exclusive).
 */
export function termSpans(text: string): number[] {
  return spans(text, (start) => {
    let i = runEnd(text, start, LETTER_OR_NUMBER);
    // Any number of apostrophe + letters.
    while (i + 1 < text.length) {
      const apostrophe = text.charCodeAt(i);
      if (apostrophe !== 0x27 && apostrophe !== 0x2019) break;
      if (!(classOf(codePointAt(text, i + 1)) & LETTER)) break;
      i = runEnd(text, i + 1, LETTER);
    }
    return i;
  });
}
