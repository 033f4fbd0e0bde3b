import { describe, expect, it } from 'vitest';
import { decodeHtml } from './decode.ts';
import { MAX_ELEMENTS } from './dom.ts';
import { extract, type ExtractInput } from './index.ts';

/** Pages built to hurt: broken UTF-8 under a UTF-8 declaration, UTF-16 with a BOM, NUL bytes. */
const FETCHED_AT = '2025-07-26T12:00:00Z';
const PARAGRAPH =
  'The harbour authority said on Tuesday that repairs to the northern breakwater would begin next spring, ' +
  'after engineers found that winter storms had loosened several of the largest stones along its length.';

function page(title: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<meta property="og:type" content="article"></head><body><article><h1>${title}</h1>
<p>${PARAGRAPH}</p><p>${PARAGRAPH}</p><p>${PARAGRAPH}</p></article></body></html>`;
}

function run(body: ExtractInput['body'], contentType = 'text/html') {
  const result = extract({ url: 'https://news.example/2025/07/26/story', fetchedAt: FETCHED_AT, body, contentType });
  if (result.kind !== 'article') throw new Error(`not an article: ${result.reason} ${result.detail}`);
  return result.record;
}

const CYRILLIC = /[\u0400-\u04ff]/;

/** The page with `bad` bytes wherever TITLEMARK stands in `title`. */
function withBytes(title: string, bad: number[]): Buffer {
  const parts = page(title).split('TITLEMARK');
  return Buffer.concat(
    parts.flatMap((part, i) => (i === 0 ? [Buffer.from(part)] : [Buffer.from(bad), Buffer.from(part)])),
  );
}

describe('invalid UTF-8 under a UTF-8 declaration', () => {
  it('decodes as UTF-8 with U+FFFD for the bad bytes, not as a legacy code page', () => {
    const bytes = withBytes('Café TITLEMARK report', [0xd0, 0xd1, 0xd2, 0xe0, 0xe1]);
    const decoded = decodeHtml(bytes);
    expect(decoded.charset).toBe('utf-8');
    expect(decoded.text).toContain('Café \ufffd');
    expect(decoded.text).not.toMatch(CYRILLIC);
    const record = run(bytes);
    expect(record.title).toMatch(/^Café \ufffd+ report$/);
  });

  it('decodes a lone truncated sequence in an ASCII page as U+FFFD', () => {
    const bytes = withBytes('Price TITLEMARK rises', [0xe2, 0x82]);
    expect(run(bytes).title).toBe('Price \ufffd rises');
  });
});

describe('UTF-16 with a byte-order mark', () => {
  const html = page('Ünïcode harbour “story”');
  it('decodes UTF-16LE instead of rejecting it as binary', () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(html, 'utf16le')]);
    const record = run(bytes);
    expect(record.title).toBe('Ünïcode harbour “story”');
    expect(record.body).toContain('northern breakwater');
  });

  it('decodes UTF-16BE', () => {
    const le = Buffer.from(html, 'utf16le');
    const be = Buffer.alloc(le.length);
    for (let i = 0; i + 1 < le.length; i += 2) {
      be[i] = le[i + 1]!;
      be[i + 1] = le[i]!;
    }
    const record = run(Buffer.concat([Buffer.from([0xfe, 0xff]), be]));
    expect(record.title).toBe('Ünïcode harbour “story”');
  });
});

describe('NUL bytes', () => {
  it('never reach the title, description or body', () => {
    const html = page('Harbour\0 repairs\0 begin').replace(PARAGRAPH, `${PARAGRAPH}\0`);
    for (const body of [Buffer.from(html), html]) {
      const record = run(body);
      expect(record.title).toBe('Harbour repairs begin');
      expect(JSON.stringify(record)).not.toContain('\\u0000');
    }
  });
});

describe('pages past the element cap', () => {
  const extractPage = (html: string) =>
    extract({
      url: 'https://news.example/2025/07/26/story',
      fetchedAt: FETCHED_AT,
      body: html,
      contentType: 'text/html',
    });

  it('an article followed by more than MAX_ELEMENTS elements is still the article, without the flood', () => {
    const html = page('Harbour repairs begin').replace(
      '</body>',
      `<div class="flood">${'<i>x</i>'.repeat(MAX_ELEMENTS * 2)}</div></body>`,
    );
    const result = extractPage(html);
    expect(result.kind).toBe('article');
    if (result.kind === 'article') {
      expect(result.record.title).toBe('Harbour repairs begin');
      expect(result.record.body).toContain('northern breakwater');
      expect(result.record.body).not.toContain('xxx');
    }
  });

  it('text that comes only after MAX_ELEMENTS elements is not read: the page is empty, with its title', () => {
    const html = `<html><head><title>Harbour repairs begin</title></head><body>${'<i></i>'.repeat(MAX_ELEMENTS + 1_000)}<p>${PARAGRAPH}</p></body></html>`;
    const result = extractPage(html);
    expect(result).toMatchObject({ kind: 'not-article', reason: 'empty', title: 'Harbour repairs begin' });
  });
});
