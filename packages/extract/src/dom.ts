/**
 * DOM plumbing on htmlparser2's tree: parsing, bounding pathological input and iterative walks
 * (never recursion, so 10,000-deep nesting cannot overflow the stack).
 */
import { Element, Text, isTag, isText } from 'domhandler';
import type { AnyNode, ChildNode, Document, ParentNode } from 'domhandler';
import { parseBounded, type TreeBounds } from './tree-builder.ts';

export type { AnyNode, ChildNode, Document, Element, ParentNode };
export { isTag, isText };

/**
 * Cuts every link of a document that is no longer needed (children, parent, siblings), so that each
 * node becomes garbage on its own. Without it, one node still referenced from the old generation
 * (by an object that is itself dead but not yet collected: a young-generation collection cannot
 * tell) keeps its whole tree alive, and each young-generation collection copies the tree again. On
 * the extraction benchmark those copies took about a tenth of the time. Call it only when nothing
 * will read the tree again.
 */
export function releaseTree(root: AnyNode): void {
  const stack: ParentNode[] = [];
  if ((root as ParentNode).children) stack.push(root as ParentNode);
  while (stack.length) {
    const node = stack.pop()!;
    const kids = node.children;
    for (let i = 0; i < kids.length; i++) {
      // A leaf keeps its links: they lead only to its parent and siblings, whose own links are cut.
      const kid = kids[i]! as AnyNode;
      if ((kid as ParentNode).children?.length) stack.push(kid as ParentNode);
    }
    kids.length = 0;
    node.parent = null;
    node.prev = null;
    node.next = null;
  }
}

/** Elements nested deeper than this are flattened into their text. */
export const MAX_DEPTH = 200;
/**
 * Cap on element count (in document order): past it, the parser stops and the rest of the document is dropped. Ordinary
 * news pages have a few thousand elements (the largest of the extraction benchmark, 1,600), very
 * large ones tens of thousands; every later stage (indexing, scoring, cleaning) costs time and
 * memory per element, and 150,000 of them cost a second and 270 MB under a 256 MB heap.
 */
export const MAX_ELEMENTS = 50_000;
/** Cap on the document's text (what a reader could see, scripts included): past it, text is dropped. */
export const MAX_TEXT_CHARS = 1_000_000;

/**
 * The bounds applied while the tree is built: the element cap in document order, and one level of
 * depth slack so that boundTree then flattens the deepest level kept into its text.
 */
export const PARSE_BOUNDS: TreeBounds = {
  maxDepth: MAX_DEPTH + 1,
  maxElements: MAX_ELEMENTS,
  maxTextChars: MAX_TEXT_CHARS,
};

/** Parses `html`, or with `bytes`, `html` as their Latin-1 reading (see `parseBounded`). */
export function parseHtml(html: string, bytes: Buffer | null = null): Document {
  const { doc, depth } = parseBounded(html, PARSE_BOUNDS, bytes);
  // Only a tree that reached the depth bound has anything to flatten: others need no second walk.
  if (depth >= MAX_DEPTH) boundTree(doc);
  return doc;
}

/** Iterative text of a subtree: raw text node data joined (no spacing added). */
export function rawText(node: AnyNode): string {
  const parts: string[] = [];
  const stack: AnyNode[] = [node];
  while (stack.length) {
    const n = stack.pop()!;
    if (isText(n)) parts.push(n.data);
    else if ('children' in n && !isScriptLike(n)) {
      const kids = (n as ParentNode).children;
      for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
    }
  }
  return parts.join('');
}

/**
 * The first `max` characters of the nodes' text content (cheerio's `.text()`: every text node,
 * comments excluded), without building the rest: nested nodes each holding a whole page
 * (unclosed `<p>` soup) would otherwise cost the page's size once per node.
 */
export function textContentPrefix(nodes: readonly AnyNode[], max: number): string {
  const parts: string[] = [];
  let size = 0;
  const stack: AnyNode[] = [];
  for (let i = nodes.length - 1; i >= 0; i--) stack.push(nodes[i]!);
  while (stack.length && size < max) {
    const n = stack.pop()!;
    if (isText(n)) {
      parts.push(n.data);
      size += n.data.length;
    } else if ('children' in n) {
      const kids = (n as ParentNode).children;
      for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
    }
  }
  return parts.join('').slice(0, max);
}

/** The node's whole text content (cheerio's `.text()`). */
export function textContent(node: AnyNode): string {
  return textContentPrefix([node], Infinity);
}

function isScriptLike(n: AnyNode): boolean {
  return isTag(n) && (n.name === 'script' || n.name === 'style' || n.name === 'template');
}

/** Flattens subtrees deeper than {@link MAX_DEPTH} to their text (the element cap is kept while parsing). */
function boundTree(doc: Document): void {
  const stack: Array<[ParentNode, number]> = [[doc, 0]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    for (const child of node.children) {
      if (!isTag(child)) continue;
      if (depth + 1 >= MAX_DEPTH) {
        const text = new Text(rawText(child));
        text.parent = child;
        child.children = [text];
        continue;
      }
      stack.push([child, depth + 1]);
    }
  }
}

/** Pre-order walk. `visit` returns false to skip an element's children. */
export function walk(root: AnyNode, visit: (node: AnyNode) => boolean | void): void {
  const stack: AnyNode[] = [root];
  while (stack.length) {
    const n = stack.pop()!;
    if (visit(n) === false) continue;
    if ('children' in n) {
      const kids = (n as ParentNode).children;
      for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
    }
  }
}

/** All elements under root (inclusive) matching a predicate, in document order. */
export function findAll(root: AnyNode, test: (el: Element) => boolean): Element[] {
  const out: Element[] = [];
  walk(root, (n) => {
    if (isTag(n) && test(n)) out.push(n);
  });
  return out;
}

export function removeNode(node: ChildNode): void {
  const parent = node.parent;
  if (!parent) return;
  const i = parent.children.indexOf(node);
  if (i >= 0) parent.children.splice(i, 1);
  if (node.prev) node.prev.next = node.next;
  if (node.next) node.next.prev = node.prev;
  node.parent = null;
  node.prev = null;
  node.next = null;
}

export function attr(el: Element, name: string): string | undefined {
  return el.attribs[name];
}

/**
 * Whether a UTF-16 code unit is one {@link collapse} turns into a space: JavaScript's `\s` (the
 * characters `trim` strips) or a zero-width space.
 */
export function isCollapsible(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0xa0) return false;
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200b) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** Whether the text is already collapsed: no space at either end, and none but single ASCII spaces within. */
function isCollapsed(text: string): boolean {
  let space = true; // a space at the start is not collapsed
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x20 && c < 0x7f) {
      space = false;
    } else if (isCollapsible(c)) {
      if (space || c !== 0x20) return false;
      space = true;
    } else {
      space = false;
    }
  }
  return !space;
}

/**
 * Whitespace runs (and zero-width spaces) become one space, trimmed. Much of the text it is given
 * (paragraphs already collapsed and joined by spaces, clean attribute values) needs no change:
 * one scan finds that, and the text is returned as it is.
 */
export function collapse(text: string): string {
  if (isCollapsed(text)) return text;
  return text.replace(/[\s\u200b\ufeff]+/g, ' ').trim();
}

export const BLOCK_TAGS = new Set([
  'address', 'article', 'aside', 'blockquote', 'body', 'center', 'dd', 'details', 'dialog', 'dir', 'div', 'dl', 'dt',
  'fieldset', 'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hgroup', 'hr',
  'html', 'li', 'main', 'menu', 'nav', 'ol', 'p', 'pre', 'section', 'summary', 'table', 'tbody', 'thead', 'tfoot',
  'tr', 'td', 'th', 'ul', 'caption', 'legend', 'option', 'noscript', 'output', 'picture', 'video', 'audio',
]); // prettier-ignore

export function isBlock(el: Element): boolean {
  return BLOCK_TAGS.has(el.name);
}

/**
 * Serialises subtrees into paragraphs: block elements break paragraphs, `<br>` breaks lines,
 * inline elements join without spaces, table cells are separated by a space.
 * `skip` prunes an element and its subtree.
 */
export function toParagraphs(roots: AnyNode[], skip: (el: Element) => boolean = () => false): string[] {
  const paragraphs: string[] = [];
  let line = '';
  const flush = (): void => {
    const t = collapse(line);
    if (t) paragraphs.push(t);
    line = '';
  };
  type Frame = { node: AnyNode; exit: boolean };
  const stack: Frame[] = [];
  for (let i = roots.length - 1; i >= 0; i--) stack.push({ node: roots[i]!, exit: false });
  while (stack.length) {
    const { node, exit } = stack.pop()!;
    if (isText(node)) {
      line += node.data;
      continue;
    }
    if (!isTag(node)) continue;
    const block = isBlock(node);
    if (exit) {
      if (block) flush();
      continue;
    }
    if (skip(node)) {
      if (block) flush();
      else line += ' ';
      continue;
    }
    if (node.name === 'br' || node.name === 'hr') {
      flush();
      continue;
    }
    if (node.name === 'td' || node.name === 'th') line += ' ';
    if (node.name === 'img') continue;
    if (block) flush();
    stack.push({ node, exit: true });
    const kids = node.children;
    for (let i = kids.length - 1; i >= 0; i--) stack.push({ node: kids[i]!, exit: false });
  }
  flush();
  return paragraphs;
}

/** Collapsed text of one subtree with block boundaries turned into spaces. */
export function textOf(node: AnyNode): string {
  return toParagraphs([node]).join(' ');
}

/** Space-separated class and id of an element, lower-cased. */
export function classId(el: Element): string {
  const c = el.attribs.class ?? '';
  const id = el.attribs.id ?? '';
  return c || id ? `${c} ${id}`.toLowerCase() : '';
}

export function ancestors(el: AnyNode, max = Infinity): Element[] {
  const out: Element[] = [];
  let p = el.parent;
  while (p && isTag(p) && out.length < max) {
    out.push(p);
    p = p.parent;
  }
  return out;
}

export { Element as ElementClass };
