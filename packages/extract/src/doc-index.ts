/**
 * One walk over the untouched document that the metadata, page-type and article-evidence lookups
 * share: elements by tag name, the `itemprop` carriers, and the short list of elements any of their
 * selectors can match. Each lookup then filters a short list instead of walking the whole tree, so
 * a page of 150,000 bare elements costs one walk, not one per selector.
 */
import { compile } from 'css-select';
import type { AnyNode, Element, ParentNode } from './dom.ts';
import { isTag, textContent } from './dom.ts';
import { ldNodes, type LdNode } from './jsonld.ts';

/** Tags that selectors name as their subject without any attribute (`.author a`, `article`, `time`). */
const SUBJECT_TAGS = new Set(['a', 'article', 'time']);

export class DocIndex {
  private readonly byTag = new Map<string, Element[]>();
  /** Elements carrying `itemprop`, in document order. */
  readonly itemprops: Element[] = [];
  /**
   * Elements carrying `class`, `id`, `itemprop` or `rel`, and every `a`, `article` and `time`, in
   * document order: every element a byline, date, card or taxonomy selector can match.
   */
  readonly marked: Element[] = [];

  constructor(root: AnyNode) {
    const stack: AnyNode[] = [root];
    while (stack.length) {
      const node = stack.pop()!;
      if (isTag(node)) {
        const list = this.byTag.get(node.name);
        if (list) list.push(node);
        else this.byTag.set(node.name, [node]);
        const a = node.attribs;
        if (a.itemprop !== undefined) this.itemprops.push(node);
        if (
          a.class !== undefined ||
          a.id !== undefined ||
          a.itemprop !== undefined ||
          a.rel !== undefined ||
          SUBJECT_TAGS.has(node.name)
        ) {
          this.marked.push(node);
        }
      }
      const kids = (node as ParentNode).children;
      if (kids) for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
    }
  }

  private ldTexts: string[] | undefined;
  private ld: LdNode[] | undefined;

  /** Elements with this tag name, in document order. */
  tag(name: string): Element[] {
    return this.byTag.get(name) ?? [];
  }

  /** The text of every `application/ld+json` script, in document order. */
  ldScripts(): string[] {
    return (this.ldTexts ??= select(this.tag('script'), '[type="application/ld+json"]').map(textContent));
  }

  /** The page's JSON-LD nodes (see {@link ldNodes}), parsed once for every lookup. */
  jsonLd(): LdNode[] {
    return (this.ld ??= ldNodes(this.ldScripts()));
  }
}

/** Compiled selectors, by selector text: cheerio compiles a selector again on every call. */
const compiled = new Map<string, (el: Element) => boolean>();

/** A test for one CSS selector (HTML rules, as cheerio applies them), compiled once per process. */
export function matcher(selector: string): (el: Element) => boolean {
  let test = compiled.get(selector);
  if (!test) {
    test = compile<AnyNode, Element>(selector, { xmlMode: false }) as (el: Element) => boolean;
    compiled.set(selector, test);
  }
  return test;
}

/** The elements of `candidates` matching `selector`, in their order (`$(selector)` when every match is a candidate). */
export function select(candidates: readonly Element[], selector: string): Element[] {
  return candidates.filter(matcher(selector));
}

/**
 * The elements below `root` (not `root` itself) passing `test`, in document order, at most `limit`
 * of them: cheerio's `$(root).find(selector)` with a test in place of the selector.
 */
export function descendants(root: Element, test: (el: Element) => boolean, limit = Infinity): Element[] {
  const out: Element[] = [];
  const stack: AnyNode[] = [];
  for (let i = root.children.length - 1; i >= 0; i--) stack.push(root.children[i]!);
  while (stack.length && out.length < limit) {
    const n = stack.pop()!;
    if (!isTag(n)) continue;
    if (test(n)) out.push(n);
    const kids = n.children;
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
  }
  return out;
}

/** The element or its nearest ancestor matching `selector` (cheerio's `closest`), or null. */
export function closest(el: Element, selector: string): Element | null {
  const test = matcher(selector);
  for (let n: AnyNode | null = el; n && isTag(n); n = n.parent) if (test(n)) return n;
  return null;
}
