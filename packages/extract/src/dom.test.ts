import { describe, expect, it } from 'vitest';
import {
  collapse,
  isCollapsible,
  isTag,
  isText,
  MAX_DEPTH,
  MAX_ELEMENTS,
  MAX_TEXT_CHARS,
  PARSE_BOUNDS,
  parseHtml,
  releaseTree,
  walk,
} from './dom.ts';
import type { AnyNode } from './dom.ts';
import { parseBounded } from './tree-builder.ts';

/** Elements, deepest element level and text characters of a tree. */
function measure(root: AnyNode): { elements: number; depth: number; text: string } {
  let elements = 0;
  let depth = 0;
  const parts: string[] = [];
  const stack: Array<[AnyNode, number]> = [[root, 0]];
  while (stack.length) {
    const [node, level] = stack.pop()!;
    if (isTag(node)) {
      elements++;
      depth = Math.max(depth, level);
    } else if (isText(node)) parts.push(node.data);
    if ('children' in node) for (const child of node.children) stack.push([child, level + 1]);
  }
  return { elements, depth, text: parts.join('') };
}

describe('bounded parsing', () => {
  it('keeps the first MAX_ELEMENTS elements of a page with more, in document order, and drops everything after them', () => {
    const html = `<html><head><title>first</title></head><body>${'<i></i>'.repeat(MAX_ELEMENTS + 20_000)}<p>after the cap</p></body>`;
    const tree = measure(parseHtml(html));
    expect(tree.elements).toBe(MAX_ELEMENTS);
    expect(tree.text).toContain('first');
    expect(tree.text).not.toContain('after the cap');
  });

  it('stops reading the input at the element cap: what lies past it is never tokenised', () => {
    const head = '<b></b>'.repeat(1_000);
    const html = head + '<b>x</b>'.repeat(100_000);
    const bounds = { maxDepth: 50, maxElements: 1_000, maxTextChars: 1_000_000 };
    const parsed = parseBounded(html, bounds);
    expect(parsed.cut).toBe(true);
    expect(parsed.elements).toBe(1_000);
    // The parser stopped at the 1,001st element, a few characters past the head.
    expect(parsed.charsRead).toBeLessThan(head.length + 16);
    expect(measure(parsed.doc).text).toBe('');
  });

  it('reads a page under the cap to its end and says it was not cut', () => {
    const html = '<div><p>one</p><p>two</p></div>';
    const parsed = parseBounded(html, PARSE_BOUNDS);
    expect(parsed).toMatchObject({ cut: false, elements: 3, charsRead: html.length });
  });

  it('reports the deepest element level it built, which decides whether the tree needs flattening', () => {
    for (const [html, depth] of [
      ['', 0],
      ['text only', 0],
      ['<p>one</p>', 1],
      ['<html><body><div><p>deep <b>er</b></p></div></body></html>', 5],
      [`<body>${'<div>'.repeat(MAX_DEPTH - 2)}x</body>`, MAX_DEPTH - 1],
      [`<body>${'<div><span>'.repeat(1_000)}x</body>`, MAX_DEPTH + 1],
    ] as const) {
      const parsed = parseBounded(html, PARSE_BOUNDS);
      expect(parsed.depth, html.slice(0, 40)).toBe(depth);
      expect(measure(parsed.doc).depth).toBe(depth);
    }
  });

  it('flattens nesting deeper than MAX_DEPTH into the text of the deepest element kept', () => {
    const html = `<body>${'<div><span>'.repeat(1_000)}deep text</body>`;
    const tree = measure(parseHtml(html));
    expect(tree.depth).toBeLessThanOrEqual(MAX_DEPTH + 1);
    expect(tree.text).toBe('deep text');
  });

  it('keeps at most MAX_TEXT_CHARS characters of text, whatever the number of text nodes', () => {
    const html = `<body><p>${'word '.repeat(MAX_TEXT_CHARS / 2)}</p>${'<p>more words</p>'.repeat(1_000)}</body>`;
    const tree = measure(parseHtml(html));
    expect(tree.text).toHaveLength(MAX_TEXT_CHARS);
    expect(tree.elements).toBe(1_002);
  });

  it('visits each kept node once in a walk, so a walk of the capped tree is bounded by the cap', () => {
    const small = measure(parseHtml(`<body>${'<i>a</i>'.repeat(10_000)}</body>`));
    const huge = parseHtml(`<body>${'<i>a</i>'.repeat(MAX_ELEMENTS * 4)}</body>`);
    let visited = 0;
    walk(huge, () => {
      visited++;
    });
    expect(small.elements).toBe(10_001);
    expect(measure(huge).elements).toBe(MAX_ELEMENTS);
    // The document root, the elements and their text nodes: at most twice the cap and one.
    expect(visited).toBeLessThanOrEqual(2 * MAX_ELEMENTS + 1);
  });
});

describe('collapse', () => {
  const byRegex = (text: string): string => text.replace(/[\s\u200b\ufeff]+/g, ' ').trim();

  it('treats exactly the code units of `\\s` and the zero-width space as spaces', () => {
    for (let c = 0; c < 0x10000; c++) {
      expect(isCollapsible(c), `U+${c.toString(16)}`).toBe(/[\s\u200b\ufeff]/.test(String.fromCharCode(c)));
    }
  });

  it('gives what replacing whitespace runs and trimming gives, collapsed or not', () => {
    const pieces = [
      'a',
      'Été',
      ' ',
      '  ',
      '\n',
      '\t',
      '\u00a0',
      '\u200b',
      '\u3000',
      '\ufeff',
      'x,y',
      '\u0085',
      '\u001f',
    ];
    const texts = ['', ' ', 'word', 'two words', ' lead', 'trail ', 'a  b'];
    for (const a of pieces) for (const b of pieces) for (const c of pieces) texts.push(a + b + c, `${a}x${b}y${c}`);
    for (const text of texts) expect(collapse(text), JSON.stringify(text)).toBe(byRegex(text));
  });
});

describe('releaseTree', () => {
  it('cuts every link of every node that had children, so no node leads to the rest of the tree', () => {
    const doc = parseHtml(
      '<html><head><title>t</title></head><body><div id="a"><p>one <b>two</b><br></p><p>three</p></div><ul><li>x</li><li>y</li></ul></body></html>',
    );
    const nodes: AnyNode[] = [];
    walk(doc, (node) => {
      nodes.push(node);
    });
    const parents = nodes.filter((node) => 'children' in node && node.children.length > 0);
    const leaves = nodes.filter((node) => !parents.includes(node));
    expect([parents.length, leaves.length]).toEqual([12, 7]);
    releaseTree(doc);
    for (const node of parents) {
      expect('children' in node && node.children).toEqual([]);
      expect([node.parent, node.prev, node.next]).toEqual([null, null, null]);
    }
    // A leaf keeps its links, but its parent and its element siblings lead nowhere.
    for (const leaf of leaves) {
      for (const near of [leaf.parent, leaf.prev, leaf.next]) {
        if (near && parents.includes(near)) expect([near.parent, near.prev, near.next]).toEqual([null, null, null]);
      }
    }
  });
});
