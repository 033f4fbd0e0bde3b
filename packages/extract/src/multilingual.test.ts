import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { scorePage } from '../bench/score.ts';
import { extract } from './extract.ts';

interface Expected {
  title: string;
  authors: string[];
  publishedAt: string;
  language: string;
  body: string[];
}

const dir = new URL('../test-pages/multilingual/', import.meta.url);
const expected = JSON.parse(readFileSync(new URL('expected.json', dir), 'utf8')) as Record<string, Expected>;

describe('multilingual news pages (RTL, CJK, Indic, Thai)', () => {
  it.each(Object.entries(expected))('%s', (file, want) => {
    const html = readFileSync(new URL(file, dir));
    const result = extract({
      body: new Uint8Array(html),
      url: 'https://news.example/world/2025/07/udhr-anniversary',
      contentType: 'text/html; charset=utf-8',
      fetchedAt: '2025-07-27T08:00:00Z',
    });
    expect(result.kind).toBe('article');
    if (result.kind !== 'article') return;
    const r = result.record;
    const s = scorePage(want.body.join('\n'), r.body);
    expect((2 * s.tp) / (2 * s.tp + s.fp + s.fn)).toBeGreaterThanOrEqual(0.98);
    expect({ title: r.title, authors: r.authors, publishedAt: r.publishedAt, language: r.language }).toEqual({
      title: want.title,
      authors: want.authors,
      publishedAt: want.publishedAt,
      language: want.language,
    });
  });
});
