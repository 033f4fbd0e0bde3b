import { readdirSync, readFileSync, type Dirent } from 'node:fs';
import { render } from 'dom-serializer';
import { DomHandler, type Document } from 'domhandler';
import type { Parser } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import { FastTokenizer } from './fast-tokenizer.ts';
import { randomSoup } from './test-support.ts';
import { LinearParser } from './linear-parser.ts';
import { MAX_ATTRIBUTES, MAX_OPEN_TAGS, parseBounded, type BoundedParse, type TreeBounds } from './tree-builder.ts';

/**
 * What the builder replaces: htmlparser2's parser (through {@link LinearParser}, with its budgets)
 * feeding domhandler's handler, with the same bounds applied in the handler and comments dropped.
 */
class ReferenceHandler extends DomHandler {
  private skipped = 0;
  private elements = 0;
  private textChars = 0;
  full = false;
  deepest = 0;
  private pauseParser: () => void = () => {};

  constructor(private readonly bounds: TreeBounds) {
    super(undefined, {});
  }

  created(): number {
    return Math.min(this.elements, this.bounds.maxElements);
  }

  override onparserinit(parser: Parameters<DomHandler['onparserinit']>[0]): void {
    super.onparserinit(parser);
    this.pauseParser = () => (parser as Parser).pause();
  }

  override onopentag(name: string, attribs: Record<string, string>): void {
    if (this.skipped > 0 || this.full || this.tagStack.length > this.bounds.maxDepth) {
      this.skipped++;
      return;
    }
    if (++this.elements > this.bounds.maxElements) {
      this.full = true;
      this.skipped++;
      this.pauseParser();
      return;
    }
    super.onopentag(name, attribs);
    if (this.tagStack.length - 1 > this.deepest) this.deepest = this.tagStack.length - 1;
  }

  override onclosetag(): void {
    if (this.skipped > 0) {
      this.skipped--;
      return;
    }
    super.onclosetag();
  }

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

function reference(html: string, bounds: TreeBounds): BoundedParse {
  const handler = new ReferenceHandler(bounds);
  const parser = new LinearParser(handler, {
    decodeEntities: true,
    lowerCaseTags: true,
    lowerCaseAttributeNames: true,
    Tokenizer: FastTokenizer,
  });
  parser.end(html);
  const cut = handler.full || parser.truncated;
  return {
    doc: handler.root,
    elements: handler.created(),
    charsRead: cut ? parser.endIndex : html.length,
    cut,
    depth: handler.deepest,
  };
}

/** A tree as text, with each attribute list in its own order (dom-serializer writes them as stored). */
function shape(doc: Document): string {
  return render(doc, { decodeEntities: false });
}

/**
 * The builder's tree equals the reference's, from the text and from the text's UTF-8 bytes read one
 * character each (Latin-1), with the bytes given: every figure, `charsRead` included, is the same.
 */
function expectSame(html: string, bounds: TreeBounds): void {
  const want = reference(html, bounds);
  const label = `${html.slice(0, 60)} (${JSON.stringify(bounds)})`;
  const bytes = Buffer.from(html, 'utf8');
  const readings: Array<[string, BoundedParse]> = [['text', parseBounded(html, bounds)]];
  // A lone surrogate has no UTF-8 form: such text cannot come from bytes.
  if (bytes.toString('utf8') === html) readings.push(['bytes', parseBounded(bytes.toString('latin1'), bounds, bytes)]);
  for (const [from, got] of readings) {
    expect(shape(got.doc), `${label} from ${from}`).toBe(shape(want.doc));
    expect({ ...got, doc: null }, `${label} from ${from}`).toEqual({ ...want, doc: null });
  }
}

const LARGE: TreeBounds = { maxDepth: 201, maxElements: 50_000, maxTextChars: 1_000_000 };
const TIGHT: TreeBounds[] = [
  { maxDepth: 4, maxElements: 50_000, maxTextChars: 1_000_000 },
  { maxDepth: 201, maxElements: 40, maxTextChars: 1_000_000 },
  { maxDepth: 201, maxElements: 50_000, maxTextChars: 300 },
  { maxDepth: 2, maxElements: 6, maxTextChars: 20 },
];

function pages(dir: URL): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry: Dirent) =>
    entry.isDirectory()
      ? pages(new URL(`${entry.name}/`, dir))
      : entry.name.endsWith('.html')
        ? [readFileSync(new URL(entry.name, dir), 'latin1')]
        : [],
  );
}

const tagSoup = [
  '',
  'text only &amp; an entity',
  '<DIV Class="A" CLASS="b" data-X="1">Upper-case names, a repeated attribute</DIV>',
  '<p>one<p>two<li>three<li>four</p></b></div>text<table><tr><td>a<td>b</table>',
  '<svg><foreignObject><div>in</div></foreignObject><circle/><path d="M0"/></svg><math><mi>x</mi></math>after',
  '</p></br><br/><select><option>a<option>b</select><dd>x<dt>y',
  '</svg></svg></math>stray closes<svg><g/>',
  '<div><a><b><i>unclosed'.repeat(50) + '</a></div>'.repeat(20) + 'tail',
  '<!DOCTYPE html><?xml version="1.0"?><html><head><title>t &lt; u</title></head><body>b</body></html>',
  'before<!-- a comment -->after<![CDATA[ not in HTML ]]>end',
  '<a href="/x?a=1&amp;b=2&c" title=\'q&quot;\' hidden>link</a><img src=x alt=unquoted&amp;>',
  '<script>if (a < b && c > d) document.write("</div>")</script><style>p > a { color: red }</style>',
  '<dív clâss="ü">non-ASCII names</dív><DÍV>upper</DÍV>',
  '<body><head><link rel=x><script></script></head><tr><th>h<td>d<tfoot><tbody>',
  '<p>unclosed at the end<div><span>',
  // A close tag left open at the very end: htmlparser2 keeps the last character (UTF-16 unit) as text.
  '<p>x</p></a b’',
  '<p>x</a b😀',
  // Short runs of non-ASCII text, with characters of two, three and four UTF-8 bytes (the last with
  // every bit of its first byte used).
  '<b>é</b><b>’</b><b>😀</b><b>\u{10FFFD}</b><i title="\u{E0041}é">\u{10FFFD}&amp;’</i>',
];

/** Pieces random documents are made of: markup that changes the parser's state, entities, text. */
const FRAGMENTS = [
  '<', '>', '&', '&amp;', '&amp', '&lt', '&#65', '&notin;', '&nbsp', '"', "'", '=', ' ', '\n', 'a', 'div', '/',
  '<p>', '</p>', '<P class="x">', '<li>', '</li>', '<td>', '<tr>', '</table>', '<table>', '<br>', '</br>', '<br/>',
  '<a href="', "<a href='", '<a href=', '</a>', '<b>', '</b>', '<div>', '</div>', '<DIV ID=y>', '<span>', '</span>',
  '<script>', '</script>', '<style>', '</style>', '<title>', '</title>', '<textarea>', '</textarea>', '<!--', '-->',
  '<![CDATA[', ']]>', '<!DOCTYPE html>', '<?xml ?>', '<svg>', '</svg>', '<path d="M0"/>', '<foreignObject>',
  '</foreignObject>', '<math>', '<mi>', '</math>', '<select>', '<option>', '<input>', '<img src=x alt="y">',
  '<h2>', '</h2>', '<dd>', '<dt>', '<body>', '<head>', '<x-tag data-a=1 DATA-A=2>', 'é', '😀', '’',
]; // prettier-ignore

describe('parseBounded', () => {
  it('builds the reference tree on random markup soup, with and without tight bounds', () => {
    randomSoup(FRAGMENTS, 2000, 60, 11).forEach((html, i) => {
      expectSame(html, LARGE);
      expectSame(html, TIGHT[i % TIGHT.length]!);
    });
  });

  it('builds exactly the tree htmlparser2 and domhandler build, on real pages and tag soup', () => {
    const real = pages(new URL('../test-pages/', import.meta.url));
    expect(real.length).toBeGreaterThan(5);
    for (const html of [...real, ...tagSoup]) expectSame(html, LARGE);
  });

  it('applies the depth, element and text bounds where the two layers applied them', () => {
    const real = pages(new URL('../test-pages/', import.meta.url));
    for (const bounds of TIGHT) for (const html of [...real, ...tagSoup]) expectSame(html, bounds);
  });

  it('decodes a non-ASCII character read from bytes wherever it falls among the blocks checked at once', () => {
    // Around the first block boundary (1,024 bytes), in a text run, an attribute value and a name,
    // in a run that spans several blocks, and with one block of plain ASCII before and after.
    for (let at = 1_000; at <= 1_040; at++) {
      for (const char of ['é', '’', '😀', '\u{10FFFD}']) {
        const before = 'a'.repeat(at - 3);
        expectSame(`<p>${before}${char}${'b'.repeat(3_000)}</p>`, LARGE);
        expectSame(`<p title="${before}${char}">x</p>${'c'.repeat(2_000)}`, LARGE);
        expectSame(`${'d'.repeat(at)}<x-${char}>y</x-${char}>`, LARGE);
        expectSame(`<p>${'e'.repeat(at)}</p><p>${'f'.repeat(1_500)}${char}</p>`, TIGHT[2]!);
        // Script and style text is decoded when first read; its length counts against the text
        // bound all the same, so the paragraph after it is cut where it would be from the text.
        expectSame(`<script>${before}${char}${'g'.repeat(2_000)}</script><p>${'h'.repeat(5_000)}</p>`, LARGE);
        expectSame(`<style>${char}${before}</style>${'i'.repeat(100)}<p>${'j'.repeat(5_000)}</p>`, {
          ...LARGE,
          maxTextChars: at + 500,
        });
        expectSame(`<script>${'k'.repeat(40)}${char}${char}</script><p>${'l'.repeat(400)}</p>`, TIGHT[2]!);
        expectSame(`<script>${char.repeat(100)}</script><p>${'m'.repeat(at - 800)}</p>`, TIGHT[2]!);
      }
    }
  });

  it('stops at the open-tag budget on a page of unclosed tags, where the reference stops', () => {
    const html = '<div>'.repeat(MAX_OPEN_TAGS + 10) + 'never read';
    const parsed = parseBounded(html, LARGE);
    expect(parsed.cut).toBe(true);
    expect(parsed.charsRead).toBeLessThan(html.length - 'never read'.length);
    expectSame(html, LARGE);
  });

  it('keeps the first MAX_ATTRIBUTES attributes of an element and counts afresh on the next one', () => {
    const many = Array.from({ length: 5_000 }, (_, i) => `a${i}="v${i}"`).join(' ');
    const html = `<div ${many}>text</div><p class="next" id="p">after</p>`;
    const { doc } = parseBounded(html, LARGE);
    const [div, p] = doc.children as unknown as Array<{ attribs: Record<string, string> }>;
    expect(Object.keys(div!.attribs)).toHaveLength(MAX_ATTRIBUTES);
    expect(div!.attribs[`a${MAX_ATTRIBUTES - 1}`]).toBe(`v${MAX_ATTRIBUTES - 1}`);
    expect(p!.attribs).toEqual({ class: 'next', id: 'p' });
    expectSame(html, LARGE);
  });

  it('names past the name table are lower-cased all the same, and names that share a hash stay apart', () => {
    // More distinct names than the table keeps, in mixed case, then the first ones again.
    const names = Array.from({ length: 6_000 }, (_, i) => `Data-N${i.toString(36)}`);
    const html =
      names.map((name, i) => `<x-${name} ${name}="${i}"></X-${name}>`).join('') + '<x-data-n0 data-n0=again>';
    expectSame(html, LARGE);
    expect(parseBounded(html, LARGE).doc.children).toHaveLength(names.length + 1);
    // `n3pvu` and `ne3ea` have the same 32-bit hash in the name table.
    const { doc } = parseBounded('<p N3PVU=a ne3ea=b Data-N3=c><ne3ea></ne3ea><N3pvu></n3pvu>', LARGE);
    const p = doc.children[0] as unknown as { attribs: Record<string, string>; children: Array<{ name: string }> };
    expect(p.attribs).toEqual({ n3pvu: 'a', ne3ea: 'b', 'data-n3': 'c' });
    expect(p.children.map((child) => child.name)).toEqual(['ne3ea', 'n3pvu']);
  });
});
