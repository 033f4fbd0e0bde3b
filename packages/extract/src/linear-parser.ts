/**
 * htmlparser2's parser in linear time. Its open-element stack is an array used top-first
 * (`unshift`, `shift`, `indexOf`, `[0]`), so every open tag moves the whole stack: a page of
 * 100,000 unclosed `<div><span>` costs minutes. Here the same stack (and the foreign-content
 * stack beside it) is kept bottom-first behind the same array interface, so pushes and pops are
 * O(1) and finding a close tag's element costs what is then popped. Parsing results are
 * identical; only the time changes.
 *
 * Extraction itself builds its tree with `tree-builder.ts` (the same rules without the callback
 * layers); this parser serves callers that want htmlparser2's events.
 */
import { DomHandler, type DomHandlerOptions, type Document } from 'domhandler';
import { Parser, type Handler, type ParserOptions } from 'htmlparser2';
import { MAX_ATTRIBUTES, MAX_OPEN_TAGS } from './tree-builder.ts';

export { MAX_ATTRIBUTES, MAX_OPEN_TAGS };

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

/** `parseDocument` of htmlparser2, through {@link LinearParser}. */
export function parseDocumentLinear(html: string, options: LinearParserOptions & DomHandlerOptions = {}): Document {
  const handler = new DomHandler(undefined, options);
  new LinearParser(handler, options).end(html);
  return handler.root;
}
