/**
 * htmlparser2's parser in linear time. Its open-element stack is an array used top-first
 * (`unshift`, `shift`, `indexOf`, `[0]`), so every open tag moves the whole stack: a page of
 * 100,000 unclosed `<div><span>` costs minutes. Here the same stack (and the foreign-content
 * stack beside it) is kept bottom-first behind the same array interface, so pushes and pops are
 * O(1) and finding a close tag's element costs what is then popped. Parsing results are
 * identical; only the time changes.
 */
import { DomHandler, type DomHandlerOptions, type Document } from 'domhandler';
import { Parser, type Handler, type ParserOptions } from 'htmlparser2';

/**
 * The slice of the array interface htmlparser2 uses on its stacks (`[0]`, `length`, `unshift`,
 * `shift`, `indexOf`, `length = 0`), top-first, over an array stored bottom-first. A plain class
 * rather than a proxy: the parser touches its stack several times per tag.
 */
class TopFirstStack<T> {
  /**
   * The top of the stack, kept up to date as an own data property: the parser reads `stack[0]`
   * once or more per tag, and an indexed getter on the prototype is a slow, uncached lookup.
   */
  0: T | undefined = undefined;
  private readonly items: T[] = [];
  private readonly counts = new Map<T, number>();

  constructor(initial: T[]) {
    for (let i = initial.length - 1; i >= 0; i--) this.unshift(initial[i]!);
  }

  get length(): number {
    return this.items.length;
  }

  set length(value: number) {
    if (value !== 0) throw new TypeError(`linear parser stack: unsupported length ${value}`);
    this.items.length = 0;
    this.counts.clear();
    this[0] = undefined;
  }

  unshift(item: T): number {
    this.items.push(item);
    this.counts.set(item, (this.counts.get(item) ?? 0) + 1);
    this[0] = item;
    return this.items.length;
  }

  shift(): T | undefined {
    if (this.items.length === 0) return undefined;
    const item = this.items.pop()!;
    this[0] = this.items[this.items.length - 1];
    const n = this.counts.get(item)! - 1;
    if (n === 0) this.counts.delete(item);
    else this.counts.set(item, n);
    return item;
  }

  /** Distance from the top of the topmost `item`, or -1. */
  indexOf(item: T): number {
    if (!this.counts.has(item)) return -1;
    return this.items.length - 1 - this.items.lastIndexOf(item);
  }

  /** The items, top first. */
  topFirst(): T[] {
    return [...this.items].reverse();
  }
}

/**
 * Open tags parsed at most by default: past this many the rest of the page is not parsed. A real
 * page has tens of thousands of elements; a million-tag page under the body cap is an attack.
 */
export const MAX_OPEN_TAGS = 150_000;

/**
 * Attributes kept per element by default: later ones are dropped while parsing. Real elements carry
 * a few, at most a few dozen; 100,000 on one element is an attack on the attribute table.
 */
export const MAX_ATTRIBUTES = 256;

/** The private fields of htmlparser2's `Parser` this subclass replaces or reads. */
interface ParserInternals {
  stack: TopFirstStack<string>;
  foreignContext: TopFirstStack<boolean>;
  cbs: Partial<Handler>;
  startIndex: number;
  endIndex: number;
  attribvalue: string;
  tagname: string;
}

export interface LinearParserOptions extends ParserOptions {
  /** Open tags parsed at most ({@link MAX_OPEN_TAGS}). */
  maxOpenTags?: number;
  /** Attributes kept per element ({@link MAX_ATTRIBUTES}). */
  maxAttributes?: number;
  /**
   * Only these tags' attributes are read (a scan that looks at a few tags): other elements open
   * with no attributes, and their attribute names and values are never sliced out of the input.
   */
  attributesOf?: ReadonlySet<string>;
}

/**
 * htmlparser2's `Parser` with O(1) stack operations (same callbacks, same results), which stops
 * after `maxOpenTags` open tags (the rest of the input is ignored; no further events) and keeps
 * the first `maxAttributes` attributes of an element (later ones cause no event and no entry).
 */
export class LinearParser extends Parser {
  private openTags = 0;
  private attributes = 0;
  /** True once the parser stopped at its open-tag budget. */
  truncated = false;
  private readonly maxOpenTags: number;
  private readonly maxAttributes: number;
  private readonly attributesOf: ReadonlySet<string> | undefined;
  /** Whether the open tag being read has its attributes ignored. */
  private ignoreAttributes = false;

  constructor(cbs?: Partial<Handler> | null, options: LinearParserOptions = {}) {
    super(cbs, options);
    this.maxOpenTags = options.maxOpenTags ?? MAX_OPEN_TAGS;
    this.maxAttributes = options.maxAttributes ?? MAX_ATTRIBUTES;
    this.attributesOf = options.attributesOf;
    const internals = this as unknown as ParserInternals;
    internals.stack = new TopFirstStack<string>([]);
    internals.foreignContext = new TopFirstStack<boolean>([!!options.xmlMode]);
  }

  /** As htmlparser2's: closes what is still open, top first, then ends (without indexing the stack). */
  override onend(): void {
    const internals = this as unknown as ParserInternals;
    const onclosetag = internals.cbs.onclosetag;
    if (onclosetag) {
      internals.endIndex = internals.startIndex;
      for (const name of internals.stack.topFirst()) onclosetag.call(internals.cbs, name, true);
    }
    internals.cbs.onend?.();
  }

  override onopentagname(start: number, endIndex: number): void {
    if (++this.openTags > this.maxOpenTags) {
      this.truncated = true;
      this.pause();
      return;
    }
    this.attributes = 0;
    super.onopentagname(start, endIndex);
    const { tagname } = this as unknown as ParserInternals;
    this.ignoreAttributes = this.attributesOf !== undefined && !this.attributesOf.has(tagname);
  }

  override onattribname(start: number, endIndex: number): void {
    if (this.ignoreAttributes) return;
    super.onattribname(start, endIndex);
  }

  override onattribdata(start: number, endIndex: number): void {
    if (this.ignoreAttributes) return;
    super.onattribdata(start, endIndex);
  }

  override onattribentity(codepoint: number): void {
    if (this.ignoreAttributes) return;
    super.onattribentity(codepoint);
  }

  override onattribend(quote: Parameters<Parser['onattribend']>[0], endIndex: number): void {
    if (this.ignoreAttributes || ++this.attributes > this.maxAttributes) {
      const internals = this as unknown as ParserInternals;
      internals.endIndex = endIndex;
      internals.attribvalue = '';
      return;
    }
    super.onattribend(quote, endIndex);
  }
}

export interface TreeBounds {
  /** Elements nested deeper than this are not created: their text joins the deepest element kept. */
  maxDepth: number;
  /** Elements created at most; past it, the rest of the document (tags and text) is dropped. */
  maxElements: number;
  /** Characters of text kept at most, over the whole document; text past it is dropped. */
  maxTextChars: number;
}

/**
 * A DOM builder that never builds what would be thrown away: elements past `maxDepth` or
 * `maxElements` are skipped while parsing, so memory stays proportional to the tree kept
 * (a million unclosed tags would otherwise cost hundreds of MB before any bound applied).
 * The parser closes elements strictly last-opened-first, so a counter of skipped open
 * elements tells which close events belong to them.
 */
class BoundedDomHandler extends DomHandler {
  private skipped = 0;
  private elements = 0;
  private textChars = 0;
  private full = false;
  /** Deepest level of an element created (the document's children are level 1). */
  deepest = 0;
  private pauseParser: () => void = () => {};

  constructor(
    private readonly bounds: TreeBounds,
    options: DomHandlerOptions,
  ) {
    super(undefined, options);
  }

  /** Whether the element cap was reached. */
  isFull(): boolean {
    return this.full;
  }

  /** Elements created (the one that found the cap full not counted). */
  created(): number {
    return Math.min(this.elements, this.bounds.maxElements);
  }

  override onparserinit(parser: Parameters<DomHandler['onparserinit']>[0]): void {
    super.onparserinit(parser);
    if ('pause' in parser && typeof parser.pause === 'function') this.pauseParser = () => (parser as Parser).pause();
  }

  override onopentag(name: string, attribs: Record<string, string>): void {
    if (this.skipped > 0 || this.full || this.tagStack.length > this.bounds.maxDepth) {
      this.skipped++;
      return;
    }
    if (++this.elements > this.bounds.maxElements) {
      // Nothing past this point would be kept (tags or text): the parser need not read it at all.
      this.full = true;
      this.skipped++;
      this.pauseParser();
      return;
    }
    super.onopentag(name, attribs);
    // The new element is on top of the tag stack, which starts with the document.
    if (this.tagStack.length - 1 > this.deepest) this.deepest = this.tagStack.length - 1;
  }

  override onclosetag(): void {
    if (this.skipped > 0) {
      this.skipped--;
      return;
    }
    super.onclosetag();
  }

  // Extraction drops every comment anyway; removing 200,000 of them one by one afterwards is quadratic.
  override oncomment(): void {}
  override oncommentend(): void {}

  override ontext(data: string): void {
    if (this.full || this.textChars >= this.bounds.maxTextChars) return;
    const room = this.bounds.maxTextChars - this.textChars;
    const kept = data.length > room ? data.slice(0, room) : data;
    this.textChars += kept.length;
    super.ontext(kept);
  }
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

/**
 * Parses into a tree held within `bounds`: past `maxElements` the parser stops reading (nothing
 * after that point would be kept), so the cost of a page past the cap is the cost of the cap.
 */
export function parseBounded(
  html: string,
  options: LinearParserOptions & DomHandlerOptions,
  bounds: TreeBounds,
): BoundedParse {
  const handler = new BoundedDomHandler(bounds, options);
  const parser = new LinearParser(handler, options);
  parser.end(html);
  const cut = handler.isFull() || parser.truncated;
  return {
    doc: handler.root,
    elements: handler.created(),
    charsRead: cut ? parser.endIndex : html.length,
    cut,
    depth: handler.deepest,
  };
}

/** `parseDocument` of htmlparser2, through {@link LinearParser}, optionally bounded while it builds. */
export function parseDocumentLinear(
  html: string,
  options: LinearParserOptions & DomHandlerOptions = {},
  bounds?: TreeBounds,
): Document {
  if (bounds) return parseBounded(html, options, bounds).doc;
  const handler = new DomHandler(undefined, options);
  new LinearParser(handler, options).end(html);
  return handler.root;
}
