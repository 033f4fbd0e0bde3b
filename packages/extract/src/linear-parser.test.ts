import { readdirSync, readFileSync } from 'node:fs';
import { render } from 'dom-serializer';
import { parseDocument, Parser } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import { LinearParser, MAX_ATTRIBUTES, parseDocumentLinear } from './linear-parser.ts';

const options = { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true };
const pagesDir = new URL('../test-pages/', import.meta.url);

const tricky = [
  '<div><span>'.repeat(300) + 'deep text',
  '<p>one<p>two<li>three<li>four</p></b></div>text<table><tr><td>a<td>b</table>',
  '<svg><foreignObject><div>in</div></foreignObject><circle/></svg><math><mi>x</mi></math>after',
  '</p></br><br/><select><option>a<option>b</select><dd>x<dt>y',
  '<div><a><b><i>unclosed'.repeat(50) + '</a></div>'.repeat(20) + 'tail',
];

describe('LinearParser', () => {
  it('builds exactly the DOM htmlparser2 builds, on real pages and tag soup', () => {
    const pages = readdirSync(pagesDir, { withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => entry.name)
      .map((f) => readFileSync(new URL(f, pagesDir), 'utf8'));
    for (const html of [...pages, ...tricky]) {
      expect(render(parseDocumentLinear(html, options))).toBe(render(parseDocument(html, options)));
    }
  });

  it('emits the same events, implied closes at the end included', () => {
    const record = (P: typeof Parser, html: string) => {
      const events: string[] = [];
      new P(
        {
          onopentag: (name) => events.push(`+${name}`),
          onclosetag: (name, implied) => events.push(`-${name}${implied ? '?' : ''}`),
          ontext: (text) => events.push(text),
        },
        options,
      ).end(html);
      return events;
    };
    for (const html of tricky) expect(record(LinearParser, html)).toEqual(record(Parser, html));
  });

  it('keeps the stack bottom-first: 100,000 unclosed levels close in document order at the end', () => {
    const closes: string[] = [];
    new LinearParser({ onclosetag: (name) => closes.push(name) }, options).end('<div><span>'.repeat(50_000));
    expect(closes).toHaveLength(100_000);
    expect(closes.slice(0, 2)).toEqual(['span', 'div']);
  });

  it('keeps the first MAX_ATTRIBUTES attributes of an element and counts afresh on the next one', () => {
    const many = Array.from({ length: 100_000 }, (_, i) => `a${i}="v${i}"`).join(' ');
    const html = `<div ${many}>text</div><p class="next" id="p">after</p>`;
    const seen: string[] = [];
    const opened: Array<[string, number]> = [];
    new LinearParser(
      {
        onattribute: (name) => seen.push(name),
        onopentag: (name, attribs) => opened.push([name, Object.keys(attribs).length]),
      },
      options,
    ).end(html);
    // One attribute event per kept attribute: the work on one element is bounded, not 100,000 entries.
    expect(seen).toHaveLength(MAX_ATTRIBUTES + 2);
    expect(opened).toEqual([
      ['div', MAX_ATTRIBUTES],
      ['p', 2],
    ]);
    const doc = parseDocumentLinear(html, options);
    const div = doc.children[0] as unknown as { attribs: Record<string, string> };
    expect(div.attribs.a0).toBe('v0');
    expect(div.attribs[`a${MAX_ATTRIBUTES - 1}`]).toBe(`v${MAX_ATTRIBUTES - 1}`);
    expect(div.attribs[`a${MAX_ATTRIBUTES}`]).toBeUndefined();
    expect(render(doc)).toContain('>text</div><p class="next" id="p">after</p>');
  });

  it('reads only the attributes of the tags asked for, with the same events otherwise', () => {
    const html =
      '<div class="x" data-a="1"><a href="/one" rel="nofollow">one</a><p id="p" title="t&amp;">two</p></div>';
    const record = (attributesOf?: ReadonlySet<string>) => {
      const events: string[] = [];
      new LinearParser(
        {
          onopentag: (name, attribs) => events.push(`+${name} ${JSON.stringify(attribs)}`),
          onattribute: (name, value) => events.push(`@${name}=${value}`),
          onclosetag: (name) => events.push(`-${name}`),
          ontext: (text) => events.push(text),
        },
        { ...options, ...(attributesOf ? { attributesOf } : {}) },
      ).end(html);
      return events;
    };
    const only = record(new Set(['a']));
    expect(only).toContain('+a {"href":"/one","rel":"nofollow"}');
    expect(only).toContain('+div {}');
    expect(only).toContain('+p {}');
    expect(only.filter((e) => e.startsWith('@'))).toEqual(['@href=/one', '@rel=nofollow']);
    // Without the attributes, the same tags and text in the same order.
    const strip = (events: string[]) => events.filter((e) => !e.startsWith('@')).map((e) => e.replace(/ \{.*\}$/, ''));
    expect(strip(only)).toEqual(strip(record()));
  });
});
