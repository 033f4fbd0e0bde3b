import { describe, expect, it } from 'vitest';
import type { AnyNode } from 'domhandler';
import { FastTokenizer } from './fast-tokenizer.ts';
import { parseDocumentLinear } from './linear-parser.ts';
import { randomSoup } from './test-support.ts';

const OPTIONS = { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true, withStartIndices: true };

/** Every node of the tree, in order, with its depth, type, name, attributes, text and source span. */
function shape(html: string, fast: boolean): string[] {
  const doc = parseDocumentLinear(html, fast ? { ...OPTIONS, Tokenizer: FastTokenizer } : OPTIONS);
  const out: string[] = [];
  const visit = (n: AnyNode, depth: number): void => {
    const el = n as AnyNode & { name?: string; attribs?: Record<string, string>; data?: string };
    out.push(
      [depth, n.type, el.name ?? '', JSON.stringify(el.attribs ?? null), el.data ?? '', n.startIndex, n.endIndex].join(
        '|',
      ),
    );
    if ('children' in n) for (const c of n.children) visit(c, depth + 1);
  };
  visit(doc, 0);
  return out;
}

const FRAGMENTS = [
  '<', '>', '&', '&amp;', '&amp', '&lt', '&#', '&#x41;', '&#65', '&notin;', '&not', '&nbsp', '"', "'", '=', ' ',
  '\n', 'a', 'div', '/', '<p>', '</p>', '<a href="', "<a href='", '<a href=', '<script>', '</script>', '<style>',
  '</style>', '<title>', '</title>', '<textarea>', '</textarea>', '<!--', '-->', '<![CDATA[', ']]>', '<!DOCTYPE html>',
  '<?xml ?>', 'x&y', 'two words', '<br/>', '<img src="a.png" alt=\'x & y\'>', '<svg><path d="M0"/></svg>', '<<',
  '</', '< /a>', '<a b="c&d;e">', '<xmp>', '</xmp>', 'é', '😀', '’',
]; // prettier-ignore

describe('FastTokenizer', () => {
  it('builds the same tree as htmlparser2 on hand-picked edge cases', () => {
    for (const html of [
      '',
      'plain text only',
      'text ending in an ampersand &',
      'a &amp b &notit; c &#x27 d &#39; e',
      '<p title="a &quot;b&quot; &amp c">x &lt; y</p>',
      "<a href='/q?a=1&b=2'>one &amp; two</a><a href=/x?a&b>three</a>",
      '<title>A &amp; B</title><script>if (a < b && c > d) {}</script><style>a>b{}</style>',
      '<textarea>a <b> &amp; c</textarea><!-- a < b & c --><![CDATA[ x < y ]]>',
      '<p>unclosed "quote <a href="x>y</a> & tail',
      '<div attr="never closed & never ends',
    ]) {
      expect(shape(html, true), html).toEqual(shape(html, false));
    }
  });

  it('builds the same tree as htmlparser2 on random markup soup', () => {
    for (const html of randomSoup(FRAGMENTS, 3000, 40, 7)) {
      expect(shape(html, true), html).toEqual(shape(html, false));
    }
  });
});
