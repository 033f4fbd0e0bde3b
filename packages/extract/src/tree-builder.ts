/**
 * The bounded DOM extraction works on, built straight from htmlparser2's tokenizer.
 *
 * htmlparser2's `Parser` (tag names, implied closes, attributes) and domhandler's `DomHandler`
 * (nodes) sit between the tokenizer and the tree as two layers of generic callbacks, and they
 * cost about four times what the tokenizer itself costs. This builder is both layers in one, for
 * the one configuration extraction uses (HTML, entities decoded, tag and attribute names
 * lower-cased, comments dropped): the same rules in the same order (htmlparser2 10.x), so the tree
 * is identical (a test compares it with the two layers' tree on real pages and tag soup), with
 * the same bounds applied while it builds:
 *
 * - elements nested deeper than `maxDepth` are not created (their text joins the deepest element
 *   kept), and past `maxElements` elements or {@link MAX_OPEN_TAGS} open tags the rest of the input
 *   is not read: memory stays proportional to the tree kept;
 * - text is kept up to `maxTextChars` characters over the whole document;
 * - an element keeps its first {@link MAX_ATTRIBUTES} attributes;
 * - the open-element stack costs O(1) per push and pop, and a close tag costs what it closes (a
 *   page of 100,000 unclosed tags followed by stray close tags stays linear).
 */
import { isAscii } from 'node:buffer';
import { Document, Element, ProcessingInstruction, Text, type ParentNode } from 'domhandler';
import type { QuoteType, Tokenizer, TokenizerCallbacks } from 'htmlparser2';
import { FastTokenizer } from './fast-tokenizer.ts';

/**
 * Open tags parsed at most: past this many the rest of the page is not parsed. A real page has
 * tens of thousands of elements; a million-tag page under the body cap is an attack.
 */
export const MAX_OPEN_TAGS = 150_000;

/**
 * Attributes kept per element: later ones are dropped while parsing. Real elements carry a few, at
 * most a few dozen; 100,000 on one element is an attack on the attribute table.
 */
export const MAX_ATTRIBUTES = 256;

export interface TreeBounds {
  /** Elements nested deeper than this are not created: their text joins the deepest element kept. */
  maxDepth: number;
  /** Elements created at most; past it, the rest of the document (tags and text) is dropped. */
  maxElements: number;
  /** Characters of text kept at most, over the whole document; text past it is dropped. */
  maxTextChars: number;
}

/** What a bounded parse kept and where it stopped. */
export interface BoundedParse {
  doc: Document;
  /** Elements created. */
  elements: number;
  /** Characters of the input the parser read: less than its length when a bound stopped it. */
  charsRead: number;
  /** Whether the element cap (or the open-tag budget) cut the document short. */
  cut: boolean;
  /** Deepest level of an element in the tree (the document's children are level 1; 0 without elements). */
  depth: number;
}

// htmlparser2's tables (Parser.ts), for HTML.
const formTags = new Set(['input', 'option', 'optgroup', 'select', 'button', 'datalist', 'textarea']);
const pTag = new Set(['p']);
const tableSectionTags = new Set(['thead', 'tbody']);
const ddtTags = new Set(['dd', 'dt']);
const rtpTags = new Set(['rt', 'rp']);
/** An open tag of the key's name first closes, one by one, the open elements of these names on top. */
const openImpliesClose = new Map<string, Set<string>>([
  ['tr', new Set(['tr', 'th', 'td'])],
  ['th', new Set(['th'])],
  ['td', new Set(['thead', 'th', 'td'])],
  ['body', new Set(['head', 'link', 'script'])],
  ['li', new Set(['li'])],
  ...['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((name): [string, Set<string>] => [name, pTag]),
  ...['select', 'input', 'output', 'button', 'datalist', 'textarea'].map((name): [string, Set<string>] => [
    name,
    formTags,
  ]),
  ['option', new Set(['option'])],
  ['optgroup', new Set(['optgroup', 'option'])],
  ['dd', ddtTags],
  ['dt', ddtTags],
  ...[
    'address',
    'article',
    'aside',
    'blockquote',
    'details',
    'div',
    'dl',
    'fieldset',
    'figcaption',
    'figure',
    'footer',
    'form',
    'header',
    'hr',
    'main',
    'nav',
    'ol',
    'pre',
    'section',
    'table',
    'ul',
  ].map((name): [string, Set<string>] => [name, pTag]),
  ['rt', rtpTags],
  ['rp', rtpTags],
  ['tbody', tableSectionTags],
  ['tfoot', tableSectionTags],
]);
const voidElements = new Set([
  'area',
  'base',
  'basefont',
  'br',
  'col',
  'command',
  'embed',
  'frame',
  'hr',
  'img',
  'input',
  'isindex',
  'keygen',
  'link',
  'meta',
  'param',
  'source',
  'track',
  'wbr',
]);
const foreignContextElements = new Set(['math', 'svg']);
const htmlIntegrationElements = new Set([
  'mi',
  'mo',
  'mn',
  'ms',
  'mtext',
  'annotation-xml',
  'foreignobject',
  'desc',
  'title',
]);
const reNameEnd = /\s|\//;

/** What a tag name means to the tree's construction, one bit each. */
const VOID = 1;
/** `svg`, `math`: foreign content begins (a self-closing slash closes there). */
const FOREIGN = 2;
/** Elements inside foreign content whose own content is HTML again. */
const INTEGRATION = 4;

function tagFlags(name: string): number {
  return (
    (voidElements.has(name) ? VOID : 0) |
    (foreignContextElements.has(name) ? FOREIGN : 0) |
    (htmlIntegrationElements.has(name) ? INTEGRATION : 0)
  );
}

const hasOwn = Object.prototype.hasOwnProperty;
const HIGH_BYTE = /[\x80-\xff]/;
/** Blocks of the page checked for non-ASCII bytes at once (see `asciiBlocks`), and their states. */
const BLOCK_BITS = 10;
const BLOCK_BYTES = 1 << BLOCK_BITS;
/** Runs of at most this many bytes are decoded here rather than by a call into Node. */
const SHORT_RUN = 24;
const UNKNOWN = 0;
const ASCII = 1;
const NOT_ASCII = 2;

class TreeBuilder implements TokenizerCallbacks {
  readonly root = new Document([]);
  private readonly tokenizer: Tokenizer;
  private readonly html: string;
  private readonly names = new NameTable();

  // The parser's side: tag names and the open-element stack.
  /** End of the last event (as htmlparser2's `endIndex`): where reading stopped when a bound cut it. */
  endIndex = 0;
  private startIndex = 0;
  private openTagStart = 0;
  private tagname = '';
  private attribname = '';
  private attribvalue = '';
  private attribs: Record<string, string> | null = null;
  /**
   * Open element names, bottom first, with each one's slot in the name table (-1: not kept there).
   * How many elements of a name are open is counted in the table, or in `openElsewhere` for names
   * the table does not keep, so a close tag finds out at once whether its element is open.
   */
  private readonly stack: string[] = [];
  private readonly slots: number[] = [];
  private readonly openElsewhere = new Map<string, number>();
  /** Whether the open tag being read is a void element (`br`, `img`): it closes as it opens. */
  private tagIsVoid = false;
  /** Whether each foreign (`svg`, `math`) or integration element opened puts us in foreign content, bottom first. */
  private readonly foreignContext: boolean[] = [false];
  private openTags = 0;
  private attributes = 0;
  /** True once reading stopped at the open-tag budget. */
  truncated = false;

  // The tree's side.
  private readonly tagStack: ParentNode[] = [this.root];
  /** The text node text may still be appended to (null after any other node or a close). */
  private lastText: Text | null = null;
  /** Open elements not created (too deep or past the cap): their close events are theirs. */
  private skipped = 0;
  /** Elements created (the one that found the cap full counted too). */
  elements = 0;
  private textChars = 0;
  /**
   * Script and style text kept undecoded whose length is not yet in `textChars`: its byte ranges,
   * and their bytes (an upper bound of their length). They are counted when the bound comes near.
   */
  private readonly uncounted: number[] = [];
  private uncountedBytes = 0;
  /** True once the element cap was reached. */
  full = false;
  /** Deepest level of an element created (the document's children are level 1). */
  deepest = 0;

  /** The page's bytes when `html` is their Latin-1 reading (UTF-8 bytes, one character each), else null. */
  private readonly bytes: Buffer | null;
  /** Per block of the bytes: {@link UNKNOWN}, {@link ASCII} or {@link NOT_ASCII}. */
  private blockStates: Uint8Array | null = null;

  constructor(
    html: string,
    private readonly bounds: TreeBounds,
    bytes: Buffer | null = null,
  ) {
    this.html = html;
    this.bytes = bytes;
    this.names.bytes = bytes;
    this.tokenizer = new FastTokenizer({ decodeEntities: true, xmlMode: false }, this);
  }

  run(): void {
    this.tokenizer.write(this.html);
    this.tokenizer.end();
  }

  /** The input from `start` to `end` as text: read from bytes, a run with a byte of 0x80 or more is decoded. */
  private text(start: number, end: number): string {
    const run = this.html.slice(start, end);
    const bytes = this.bytes;
    if (bytes === null) return run;
    if (start < 0) {
      // The tokenizer's text after a tag left open at the very end starts at -1, and `slice` counts
      // that from the end: the last character of the text, which the bytes alone cannot place.
      const text = bytes.toString('utf8');
      return text.slice(start, end >= bytes.length ? text.length : bytes.toString('utf8', 0, end).length);
    }
    if (this.isAscii(start, end, run)) return run;
    return end - start <= SHORT_RUN ? decodeShort(bytes, start, end) : bytes.toString('utf8', start, end);
  }

  /** Whether the bytes from `start` to `end` (read as `run`) are all ASCII: their blocks, else the run itself. */
  private isAscii(start: number, end: number, run: string): boolean {
    return this.asciiBlocks(start, end) || !HIGH_BYTE.test(run);
  }

  /**
   * Whether every block of {@link BLOCK_BYTES} that the bytes from `start` to `end` touch is ASCII.
   * Most of a page is (markup, scripts, styles): a block is checked once, by Node's `isAscii`, the
   * first time a run touches it, and only runs in blocks that are not are searched themselves.
   */
  private asciiBlocks(start: number, end: number): boolean {
    const bytes = this.bytes!;
    const states = (this.blockStates ??= new Uint8Array((bytes.length >> BLOCK_BITS) + 1));
    for (let block = start >> BLOCK_BITS, last = (end - 1) >> BLOCK_BITS; block <= last; block++) {
      let state = states[block]!;
      if (state === UNKNOWN) {
        const from = block << BLOCK_BITS;
        state = isAscii(bytes.subarray(from, from + BLOCK_BYTES)) ? ASCII : NOT_ASCII;
        states[block] = state;
      }
      if (state === NOT_ASCII) return false;
    }
    return true;
  }

  // Tokenizer events (htmlparser2's Parser).

  ontext(start: number, endIndex: number): void {
    this.endIndex = endIndex - 1;
    if (this.bytes !== null && start >= 0 && endIndex - start > SHORT_RUN && this.inScriptOrStyle()) {
      this.addScriptText(start, endIndex);
    } else {
      this.addText(this.text(start, endIndex));
    }
    this.startIndex = endIndex;
  }

  /** Whether text goes into a `script` or `style` element. */
  private inScriptOrStyle(): boolean {
    const name = (this.tagStack[this.tagStack.length - 1] as Partial<Element>).name;
    return name === 'script' || name === 'style';
  }

  /**
   * A script's or style's text read from bytes: with non-ASCII bytes in it, a {@link LazyText}
   * that decodes them when first read. Extraction reads few scripts (JSON-LD) and no styles, and they
   * hold most of a page's non-ASCII bytes.
   */
  private addScriptText(start: number, end: number): void {
    const bytes = this.bytes!;
    const run = this.html.slice(start, end);
    if (this.isAscii(start, end, run)) {
      this.addText(run);
      return;
    }
    if (this.full || this.textCharsAtLeast(this.bounds.maxTextChars)) return;
    // Decoded, the run is at most as long as its bytes: while that fits, its length is counted later.
    if (this.lastText || !this.textCharsFit(end - start)) {
      this.addText(bytes.toString('utf8', start, end));
      return;
    }
    this.uncounted.push(start, end);
    this.uncountedBytes += end - start;
    const node = lazyText(bytes, start, end);
    this.addNode(node);
    this.lastText = node;
  }

  /** Whether the text kept so far, at its longest, leaves room for `length` more characters. */
  private textCharsFit(length: number): boolean {
    return this.textChars + this.uncountedBytes + length <= this.bounds.maxTextChars;
  }

  /** Whether the text kept so far is at least `limit` characters long. */
  private textCharsAtLeast(limit: number): boolean {
    if (this.textChars + this.uncountedBytes < limit) return false;
    this.countText();
    return this.textChars >= limit;
  }

  /** Adds the length of the undecoded script and style text to `textChars`. */
  private countText(): void {
    for (let i = 0; i < this.uncounted.length; i += 2) {
      this.textChars += this.decodedLength(this.uncounted[i]!, this.uncounted[i + 1]!);
    }
    this.uncounted.length = 0;
    this.uncountedBytes = 0;
  }

  /** The length in UTF-16 code units of the bytes from `start` to `end` decoded, without decoding them. */
  private decodedLength(start: number, end: number): number {
    const bytes = this.bytes!;
    const states = this.blockStates!;
    let length = 0;
    for (let at = start; at < end;) {
      const next = Math.min(((at >> BLOCK_BITS) + 1) << BLOCK_BITS, end);
      if (states[at >> BLOCK_BITS] === ASCII) {
        length += next - at;
      } else {
        // A continuation byte (10xxxxxx) adds nothing; a four-byte character is two code units.
        for (let i = at; i < next; i++) {
          const b = bytes[i]!;
          if ((b & 0xc0) !== 0x80) length += b >= 0xf0 ? 2 : 1;
        }
      }
      at = next;
    }
    return length;
  }

  ontextentity(codepoint: number, endIndex: number): void {
    this.endIndex = endIndex - 1;
    this.addText(String.fromCodePoint(codepoint));
    this.startIndex = endIndex;
  }

  onopentagname(start: number, endIndex: number): void {
    if (++this.openTags > MAX_OPEN_TAGS) {
      this.truncated = true;
      this.tokenizer.pause();
      return;
    }
    this.attributes = 0;
    this.endIndex = endIndex;
    const name = this.names.at(this.html, start, endIndex);
    this.emitOpenTag(name, this.names.slot);
  }

  private emitOpenTag(name: string, slot: number): void {
    const names = this.names;
    this.openTagStart = this.startIndex;
    this.tagname = name;
    const flags = slot >= 0 ? names.flags[slot]! : tagFlags(name);
    const impliesClose = slot >= 0 ? names.closes[slot] : openImpliesClose.get(name);
    if (impliesClose) {
      while (this.stack.length > 0 && impliesClose.has(this.stack[this.stack.length - 1]!)) {
        this.pop();
        this.closeElement();
      }
    }
    this.tagIsVoid = (flags & VOID) !== 0;
    if (!this.tagIsVoid) {
      this.stack.push(name);
      this.slots.push(slot);
      if (slot >= 0) names.open[slot]!++;
      else this.openElsewhere.set(name, (this.openElsewhere.get(name) ?? 0) + 1);
      if (flags & FOREIGN) this.foreignContext.push(true);
      else if (flags & INTEGRATION) this.foreignContext.push(false);
    }
    this.attribs = {};
  }

  private endOpenTag(): void {
    this.startIndex = this.openTagStart;
    if (this.attribs) {
      this.openElement(this.tagname, this.attribs);
      this.attribs = null;
    }
    if (this.tagIsVoid) this.closeElement();
    this.tagname = '';
    this.tagIsVoid = false;
  }

  onopentagend(endIndex: number): void {
    this.endIndex = endIndex;
    this.endOpenTag();
    this.startIndex = endIndex + 1;
  }

  onclosetag(start: number, endIndex: number): void {
    this.endIndex = endIndex;
    const name = this.names.at(this.html, start, endIndex);
    const slot = this.names.slot;
    const flags = slot >= 0 ? this.names.flags[slot]! : tagFlags(name);
    if (flags & (FOREIGN | INTEGRATION)) this.foreignContext.pop();
    if (!(flags & VOID)) {
      if (slot >= 0 ? this.names.open[slot]! > 0 : this.openElsewhere.has(name)) {
        // Close everything above the topmost element of that name, then it.
        let popped: string | undefined;
        do {
          popped = this.pop();
          this.closeElement();
        } while (popped !== name);
      } else if (name === 'p') {
        // `</p>` without an open `p`: an empty paragraph.
        const p = this.names.at('p', 0, 1);
        this.emitOpenTag(p, this.names.slot);
        this.closeCurrentTag();
      }
    } else if (name === 'br') {
      // `</br>` is a `<br>`.
      this.openElement('br', {});
      this.closeElement();
    }
    this.startIndex = endIndex + 1;
  }

  onselfclosingtag(endIndex: number): void {
    this.endIndex = endIndex;
    // In HTML a self-closing slash means something only in foreign content (SVG, MathML).
    if (this.foreignContext[this.foreignContext.length - 1]) {
      this.closeCurrentTag();
      this.startIndex = endIndex + 1;
    } else {
      this.onopentagend(endIndex);
    }
  }

  /** Ends the open tag and closes its element at once (an implied `<p>`, or `<x/>` in foreign content). */
  private closeCurrentTag(): void {
    const name = this.tagname;
    this.endOpenTag();
    if (this.stack.length > 0 && this.stack[this.stack.length - 1] === name) {
      this.closeElement();
      this.pop();
    }
  }

  onattribname(start: number, endIndex: number): void {
    this.startIndex = start;
    this.attribname = this.names.at(this.html, start, endIndex);
  }

  onattribdata(start: number, endIndex: number): void {
    this.attribvalue += this.text(start, endIndex);
  }

  onattribentity(codepoint: number): void {
    this.attribvalue += String.fromCodePoint(codepoint);
  }

  onattribend(_quote: QuoteType, endIndex: number): void {
    this.endIndex = endIndex;
    if (++this.attributes <= MAX_ATTRIBUTES) {
      const attribs = this.attribs;
      if (attribs && !hasOwn.call(attribs, this.attribname)) attribs[this.attribname] = this.attribvalue;
    }
    this.attribvalue = '';
  }

  ondeclaration(start: number, endIndex: number): void {
    this.endIndex = endIndex;
    const value = this.text(start, endIndex);
    this.addNode(new ProcessingInstruction(`!${instructionName(value)}`, `!${value}`));
    this.startIndex = endIndex + 1;
  }

  onprocessinginstruction(start: number, endIndex: number): void {
    this.endIndex = endIndex;
    const value = this.text(start, endIndex);
    this.addNode(new ProcessingInstruction(`?${instructionName(value)}`, `?${value}`));
    this.startIndex = endIndex + 1;
  }

  // Comments and CDATA sections (a comment in HTML) are dropped: extraction never reads them.
  oncomment(_start: number, endIndex: number): void {
    this.endIndex = endIndex;
    this.startIndex = endIndex + 1;
  }

  oncdata(_start: number, endIndex: number): void {
    this.endIndex = endIndex;
    this.startIndex = endIndex + 1;
  }

  onend(): void {
    this.endIndex = this.startIndex;
    for (let i = this.stack.length - 1; i >= 0; i--) this.closeElement();
  }

  private pop(): string | undefined {
    const name = this.stack.pop();
    const slot = this.slots.pop();
    if (name !== undefined) {
      if (slot! >= 0) this.names.open[slot!]!--;
      else {
        const n = this.openElsewhere.get(name)! - 1;
        if (n === 0) this.openElsewhere.delete(name);
        else this.openElsewhere.set(name, n);
      }
    }
    return name;
  }

  // The tree (domhandler's DomHandler, with the bounds).

  private openElement(name: string, attribs: Record<string, string>): void {
    if (this.skipped > 0 || this.full || this.tagStack.length > this.bounds.maxDepth) {
      this.skipped++;
      return;
    }
    if (++this.elements > this.bounds.maxElements) {
      // Nothing past this point would be kept (tags or text): the rest need not be read at all.
      this.full = true;
      this.skipped++;
      this.tokenizer.pause();
      return;
    }
    const element = new Element(name, attribs, []);
    this.addNode(element);
    this.tagStack.push(element);
    // The new element is on top of the tag stack, which starts with the document.
    if (this.tagStack.length - 1 > this.deepest) this.deepest = this.tagStack.length - 1;
  }

  private closeElement(): void {
    if (this.skipped > 0) {
      this.skipped--;
      return;
    }
    this.lastText = null;
    this.tagStack.pop();
  }

  private addText(data: string): void {
    if (this.full || this.textCharsAtLeast(this.bounds.maxTextChars)) return;
    if (!this.textCharsFit(data.length)) this.countText();
    const room = this.bounds.maxTextChars - this.textChars;
    const kept = data.length > room ? data.slice(0, room) : data;
    this.textChars += kept.length;
    if (this.lastText) {
      this.lastText.data += kept;
    } else {
      const node = new Text(kept);
      this.addNode(node);
      this.lastText = node;
    }
  }

  private addNode(node: Element | Text | ProcessingInstruction): void {
    const parent = this.tagStack[this.tagStack.length - 1]!;
    const previous = parent.children[parent.children.length - 1];
    parent.children.push(node);
    if (previous) {
      node.prev = previous;
      previous.next = node;
    }
    node.parent = parent;
    this.lastText = null;
  }
}

/**
 * Text read from UTF-8 bytes and decoded the first time its `data` is read (or replaced when it is
 * written): the same node as a `Text` to every reader.
 */
class LazyText extends Text {
  declare lazyBytes: Buffer | null;
  declare lazyStart: number;
  declare lazyEnd: number;
  declare lazyValue: string;
}
Object.defineProperty(LazyText.prototype, 'data', {
  get(this: LazyText): string {
    if (this.lazyBytes !== null) {
      this.lazyValue = this.lazyBytes.toString('utf8', this.lazyStart, this.lazyEnd);
      this.lazyBytes = null;
    }
    return this.lazyValue;
  },
  set(this: LazyText, value: string) {
    this.lazyValue = value;
    this.lazyBytes = null;
  },
});

function lazyText(bytes: Buffer, start: number, end: number): LazyText {
  const node = new LazyText('');
  node.lazyBytes = bytes;
  node.lazyStart = start;
  node.lazyEnd = end;
  return node;
}

/** Valid UTF-8 bytes from `start` to `end` as text (a short run: cheaper than a call into Node). */
function decodeShort(bytes: Buffer, start: number, end: number): string {
  let text = '';
  for (let i = start; i < end;) {
    const lead = bytes[i]!;
    if (lead < 0x80) {
      text += String.fromCharCode(lead);
      i += 1;
    } else if (lead < 0xe0) {
      text += String.fromCharCode(((lead & 0x1f) << 6) | (bytes[i + 1]! & 0x3f));
      i += 2;
    } else if (lead < 0xf0) {
      text += String.fromCharCode(((lead & 0x0f) << 12) | ((bytes[i + 1]! & 0x3f) << 6) | (bytes[i + 2]! & 0x3f));
      i += 3;
    } else {
      text += String.fromCodePoint(
        ((lead & 0x07) << 18) | ((bytes[i + 1]! & 0x3f) << 12) | ((bytes[i + 2]! & 0x3f) << 6) | (bytes[i + 3]! & 0x3f),
      );
      i += 4;
    }
  }
  return text;
}

/** Slots of a page's name table, and the distinct names it keeps at most (half of them). */
const NAME_SLOTS = 1024;
const MAX_NAMES = NAME_SLOTS / 2;

/**
 * A page's tag and attribute names, lower-cased, each stored once. A page repeats a few dozen
 * names thousands of times: a name is looked up by a hash of its characters (folded to lower case)
 * and compared in place, so the input is sliced only the first time a name is met, and every
 * element is keyed with the same string (an object keyed with a freshly sliced string makes V8
 * look that string up in its table of property names each time). Past {@link MAX_NAMES} names
 * (hostile pages invent them), new ones are sliced and lower-cased each time.
 */
class NameTable {
  /** The page's bytes when the input is their Latin-1 reading (see {@link TreeBuilder}). */
  bytes: Buffer | null = null;
  private readonly names: Array<string | undefined> = new Array<string | undefined>(NAME_SLOTS).fill(undefined);
  private readonly hashes = new Int32Array(NAME_SLOTS);
  private stored = 0;
  /** Per slot: the name's {@link tagFlags}, and the open elements it implies closed ({@link openImpliesClose}). */
  readonly flags = new Uint8Array(NAME_SLOTS);
  readonly closes: Array<Set<string> | undefined> = new Array<Set<string> | undefined>(NAME_SLOTS).fill(undefined);
  /** Per slot: how many elements of that name are open (kept by the builder). */
  readonly open = new Int32Array(NAME_SLOTS);
  /** The slot of the name {@link at} returned last, or -1 when the table does not keep it. */
  slot = -1;

  /** `html.slice(start, end).toLowerCase()`, the same string each time for the same name. */
  at(html: string, start: number, end: number): string {
    let hash = 0x811c9dc5 | 0;
    for (let i = start; i < end; i++) {
      let c = html.charCodeAt(i);
      if (c >= 0x80) {
        this.slot = -1;
        return (this.bytes !== null ? this.bytes.toString('utf8', start, end) : html.slice(start, end)).toLowerCase();
      }
      if (c >= 0x41 && c <= 0x5a) c += 0x20;
      hash = Math.imul(hash ^ c, 0x01000193);
    }
    let slot = (hash ^ (hash >>> 15)) & (NAME_SLOTS - 1);
    for (;;) {
      const name = this.names[slot];
      if (name === undefined) break;
      if (this.hashes[slot] === hash && name.length === end - start && sameName(name, html, start)) {
        this.slot = slot;
        return name;
      }
      slot = (slot + 1) & (NAME_SLOTS - 1);
    }
    const name = html.slice(start, end).toLowerCase();
    if (this.stored < MAX_NAMES) {
      this.stored++;
      this.names[slot] = name;
      this.hashes[slot] = hash;
      this.flags[slot] = tagFlags(name);
      this.closes[slot] = openImpliesClose.get(name);
      this.slot = slot;
    } else {
      this.slot = -1;
    }
    return name;
  }
}

/** Whether `html` at `start` spells the lower-case ASCII `name`, in any case. */
function sameName(name: string, html: string, start: number): boolean {
  for (let i = 0; i < name.length; i++) {
    let c = html.charCodeAt(start + i);
    if (c >= 0x41 && c <= 0x5a) c += 0x20;
    if (c !== name.charCodeAt(i)) return false;
  }
  return true;
}

/** A declaration's or processing instruction's name, lower-cased (`!doctype`). */
function instructionName(value: string): string {
  const end = value.search(reNameEnd);
  return (end < 0 ? value : value.slice(0, end)).toLowerCase();
}

/**
 * Parses into a tree held within `bounds`: past `maxElements` the parser stops reading (nothing
 * after that point would be kept), so the cost of a page past the cap is the cost of the cap.
 *
 * With `bytes` (valid UTF-8), `html` must be those bytes read one character each (Latin-1). Every
 * character the tokenizer acts on is ASCII, and in valid UTF-8 an ASCII byte is always the whole
 * character, so the tokenizer stops at the same characters of either reading and every run of text,
 * attribute value or name between two stops decodes on its own: the builder decodes the runs that
 * hold a byte of 0x80 or more and keeps the rest as they are. The tree and the figures returned are
 * those of parsing the decoded text (a test compares them); the page is never decoded whole, and
 * its ASCII runs (most of a page) stay one byte a character.
 */
export function parseBounded(html: string, bounds: TreeBounds, bytes: Buffer | null = null): BoundedParse {
  const builder = new TreeBuilder(html, bounds, bytes);
  builder.run();
  const cut = builder.full || builder.truncated;
  const read = cut ? builder.endIndex : html.length;
  return {
    doc: builder.root,
    elements: Math.min(builder.elements, bounds.maxElements),
    // Counted in characters only when asked: read from bytes, that takes decoding them.
    get charsRead() {
      return bytes === null ? read : bytes.toString('utf8', 0, read).length;
    },
    cut,
    depth: builder.deepest,
  };
}
