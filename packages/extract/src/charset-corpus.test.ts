import { describe, expect, it } from 'vitest';
import { scorePage } from '../bench/score.ts';
import { CHARSET_CORPUS, corpusPage } from './charset-corpus.ts';
import { decodeHtml } from './decode.ts';
import { extract } from './extract.ts';

const legacy = CHARSET_CORPUS.filter(([encoding]) => !encoding.startsWith('utf-16'));
const utf16 = CHARSET_CORPUS.filter(([encoding]) => encoding.startsWith('utf-16'));

function bodyF1(truth: string[], body: string): number {
  const s = scorePage(truth.join('\n'), body);
  return (2 * s.tp) / (2 * s.tp + s.fp + s.fn || 1);
}

describe('legacy encodings with nothing declared', () => {
  it('covers at least 15 distinct encodings', () => {
    expect(new Set(legacy.map(([encoding]) => encoding)).size).toBeGreaterThanOrEqual(15);
  });

  it.each(legacy)('%s %s decodes to its text and language', (encoding, code, language) => {
    const page = corpusPage(encoding, code, language);
    const decoded = decodeHtml(page.bytes);
    expect(decoded.source).toBe('detected');
    for (const p of page.paragraphs) expect(decoded.text).toContain(p);
    const result = extract({
      body: page.bytes,
      url: 'https://news.example/world/1',
      fetchedAt: '2025-07-26T12:00:00Z',
    });
    expect(result.kind).toBe('article');
    if (result.kind !== 'article') return;
    expect(bodyF1(page.paragraphs, result.record.body)).toBeGreaterThanOrEqual(0.98);
    expect(result.record.title).toBe(page.title);
    expect(result.record.language).toBe(language);
  });
});

describe('UTF-16 with a byte-order mark', () => {
  it.each(utf16)('%s %s decodes to its text', (encoding, code, language) => {
    const page = corpusPage(encoding, code, language);
    const decoded = decodeHtml(page.bytes);
    expect(decoded).toMatchObject({ charset: encoding, source: 'bom' });
    const result = extract({
      body: decoded.text,
      url: 'https://news.example/world/2',
      fetchedAt: '2025-07-26T12:00:00Z',
    });
    expect(result.kind).toBe('article');
    if (result.kind !== 'article') return;
    expect(bodyF1(page.paragraphs, result.record.body)).toBeGreaterThanOrEqual(0.98);
    expect(result.record.language).toBe(language);
  });
});
