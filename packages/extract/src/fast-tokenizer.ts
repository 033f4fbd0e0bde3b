/**
 * htmlparser2's tokenizer with its character-at-a-time loops replaced by string searches where
 * nothing happens until a known character: text runs until the next `<` or `&`, quoted attribute
 * values until their quote or `&`, script and style contents (and comments, declarations) until
 * the character the tokenizer waits for. The tokenizer still visits every character that changes
 * its state, so the events it emits, and the tree built from them, are identical; only fewer
 * characters pass through its state machine one by one.
 *
 * Each search's result is kept until the tokenizer passes it, so a page costs one scan per searched
 * character, not one per text run (a page's only `&` may come at its very end).
 */
import { Tokenizer } from 'htmlparser2';

const LT = 0x3c;
const AMP = 0x26;
const DOUBLE_QUOTE = 0x22;
const SINGLE_QUOTE = 0x27;

/** The private parts of htmlparser2's `Tokenizer` (10.x) this subclass reads or replaces. */
interface TokenizerInternals {
  buffer: string;
  offset: number;
  index: number;
  decodeEntities: boolean;
  stateText(c: number): void;
  stateInAttributeValueDoubleQuotes(c: number): void;
  stateInAttributeValueSingleQuotes(c: number): void;
  fastForwardTo(c: number): boolean;
}

/** The internals, with the search state {@link FastTokenizer} adds. */
interface Fast extends TokenizerInternals {
  searched: string;
  searchFrom: Int32Array;
  found: Int32Array;
}

/** Characters whose searches are remembered: the tokenizer only waits for ASCII ones. */
const SEARCHED_CODES = 128;

/** Position (in the buffer) of the first `code` at or after `from`, or the buffer's length when none. */
function nextOf(t: Fast, code: number, from: number): number {
  if (code >= SEARCHED_CODES) {
    const hit = t.buffer.indexOf(String.fromCharCode(code), from);
    return hit === -1 ? t.buffer.length : hit;
  }
  if (t.searched !== t.buffer) {
    t.searched = t.buffer;
    t.searchFrom.fill(-1);
  }
  // A result stands while the position asked about lies between the search's start and the result
  // (the tokenizer steps back a character or two around entities).
  const start = t.searchFrom[code]!;
  const at = t.found[code]!;
  if (start !== -1 && start <= from && from <= at) return at;
  const hit = t.buffer.indexOf(String.fromCharCode(code), from);
  const next = hit === -1 ? t.buffer.length : hit;
  t.searchFrom[code] = from;
  t.found[code] = next;
  return next;
}

/**
 * Moves to just before the first of `a` or `b` after the current character: the tokenizer's loop
 * then steps onto it (or past the end of the buffer when neither comes).
 */
function skipTo(t: Fast, a: number, b: number): void {
  const from = t.index - t.offset + 1;
  t.index = Math.min(nextOf(t, a, from), nextOf(t, b, from)) + t.offset - 1;
}

export class FastTokenizer extends Tokenizer {
  /** The buffer the searches below ran on. */
  searched = '';
  /** Per character code: where its last search started (-1: none yet), and what it found. */
  readonly searchFrom = new Int32Array(SEARCHED_CODES).fill(-1);
  readonly found = new Int32Array(SEARCHED_CODES);
}

const proto = FastTokenizer.prototype as unknown as TokenizerInternals;
const base = Tokenizer.prototype as unknown as TokenizerInternals;

proto.stateText = function stateText(this: Fast, c: number): void {
  base.stateText.call(this, c);
  // Outside a tag nothing happens until a `<` (or, decoding entities, an `&`).
  if (c !== LT && c !== AMP && this.decodeEntities) skipTo(this, LT, AMP);
};

proto.stateInAttributeValueDoubleQuotes = function (this: Fast, c: number): void {
  base.stateInAttributeValueDoubleQuotes.call(this, c);
  if (c !== DOUBLE_QUOTE && c !== AMP && this.decodeEntities) skipTo(this, DOUBLE_QUOTE, AMP);
};

proto.stateInAttributeValueSingleQuotes = function (this: Fast, c: number): void {
  base.stateInAttributeValueSingleQuotes.call(this, c);
  if (c !== SINGLE_QUOTE && c !== AMP && this.decodeEntities) skipTo(this, SINGLE_QUOTE, AMP);
};

/** As htmlparser2's (moves to the next `c` after the current character, or to the last one), by search. */
proto.fastForwardTo = function fastForwardTo(this: Fast, c: number): boolean {
  const at = nextOf(this, c, this.index - this.offset + 1);
  if (at < this.buffer.length) {
    this.index = at + this.offset;
    return true;
  }
  this.index = this.buffer.length + this.offset - 1;
  return false;
};
