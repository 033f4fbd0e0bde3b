import { describe, expect, it } from 'vitest';
import { articleRecordSchema } from '@gazette/article';
import { extract } from './index.ts';

const FETCHED_AT = '2025-07-26T12:00:00Z';
const run = (html: string) => extract({ body: html, url: 'https://news.example/a/brief', fetchedAt: FETCHED_AT });

function page(opts: { head?: string; main: string; chrome?: boolean }): string {
  const chrome = opts.chrome ?? true;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">${opts.head ?? ''}</head><body>
${chrome ? '<header><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav></header>' : ''}
<main>${opts.main}</main>
${chrome ? '<footer><a href="/about">About us</a> <a href="/privacy">Privacy</a></footer>' : ''}
</body></html>`;
}

const BRIEF = [
  'A magnitude 5.1 earthquake shook the coast of Ventara early on Tuesday, the national seismic service said.',
  'No injuries were reported.',
  'Schools in two towns stayed closed while engineers checked the buildings.',
];

describe('short news', () => {
  it('a three-sentence brief with a headline, date and byline is an article', () => {
    const html = page({
      head: '<title>Quake shakes Ventara coast</title><meta property="article:published_time" content="2025-07-22T06:10:00Z"><meta name="author" content="Mara Lind">',
      main: `<h1>Quake shakes Ventara coast</h1><p class="byline">By Mara Lind</p><time datetime="2025-07-22T06:10:00Z">22 July 2025</time>${BRIEF.map((s) => `<p>${s}</p>`).join('')}`,
    });
    const r = run(html);
    expect(r.kind).toBe('article');
    if (r.kind !== 'article') return;
    articleRecordSchema.parse(r.record);
    expect(r.record.title).toBe('Quake shakes Ventara coast');
    expect(r.record.publishedAt).toBe('2025-07-22T06:10:00Z');
    expect(r.record.authors).toEqual(['Mara Lind']);
    for (const s of BRIEF) expect(r.record.body).toContain(s);
    expect(r.record.body).not.toContain('About us');
    expect(r.record.wordCount).toBeLessThan(40);
  });

  it('a two-sentence brief declared by og:type inside an <article> element is an article', () => {
    const html = page({
      head: '<title>Fire at depot</title><meta property="og:type" content="article">',
      main: '<article><h1>Fire at depot</h1><p>A fire destroyed a bus depot in Harlow on Sunday night.</p><p>The cause is not yet known.</p></article>',
    });
    const r = run(html);
    expect(r).toMatchObject({ kind: 'article' });
    if (r.kind === 'article')
      expect(r.record.body).toBe(
        'A fire destroyed a bus depot in Harlow on Sunday night.\n\nThe cause is not yet known.',
      );
  });

  it('a flash whose headline is the whole story is an article with the headline as its body', () => {
    const headline = 'The parliament of Ostria has dissolved itself and called an election for March.';
    const html = page({
      head: `<title>${headline}</title><script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":"x"}</script>`,
      main: `<article><h1>${headline}</h1></article>`,
    });
    const r = run(html);
    expect(r.kind).toBe('article');
    if (r.kind === 'article') expect(r.record.body).toBe(headline);
  });

  it('short text on a page that does not present itself as an article is still rejected', () => {
    const html = page({
      head: '<title>Welcome</title>',
      main: '<div><h1>Welcome</h1><p>We make hand-built furniture in Leeds. Visit our workshop.</p></div>',
    });
    expect(run(html)).toMatchObject({ kind: 'not-article', reason: 'too-short' });
  });

  it('a headline that is not a sentence is not a flash', () => {
    const html = page({
      head: '<title>Latest news</title><meta property="og:type" content="article">',
      main: '<article><h1>Latest news</h1></article>',
    });
    expect(run(html)).toMatchObject({ kind: 'not-article', reason: 'no-article-body' });
  });

  it('a short list of links on an article page is rejected', () => {
    const items = ['Quake shakes coast', 'Fire at depot', 'Election called']
      .map((t, i) => `<li><a href="/s/${i}">${t} in the region today</a></li>`)
      .join('');
    const html = page({
      head: '<title>More stories</title><meta property="og:type" content="article"><meta property="article:published_time" content="2025-07-22T06:10:00Z">',
      main: `<article><h1>More stories</h1><ul>${items}</ul></article>`,
    });
    expect(run(html).kind).toBe('not-article');
  });

  it('consent walls and error pages are rejected even when declared as articles', () => {
    const consent = page({
      head: '<title>Before you continue</title><meta property="og:type" content="article"><meta name="author" content="Staff">',
      main: '<article><h1>Before you continue</h1><p>We use cookies and data to deliver and maintain our services. Accept all cookies to continue.</p></article>',
    });
    expect(run(consent)).toMatchObject({ kind: 'not-article', reason: 'too-short' });
    const missing = page({
      head: '<title>Not found</title><meta property="og:type" content="article"><meta property="article:published_time" content="2025-07-22T06:10:00Z">',
      main: '<article><h1>Sorry</h1><p>The page was not found. It may have been moved or deleted.</p></article>',
    });
    expect(run(missing)).toMatchObject({ kind: 'not-article', reason: 'too-short' });
  });
});
