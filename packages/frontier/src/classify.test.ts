import { describe, expect, it } from 'vitest';
import { classifyPage, classifyUrl } from './classify.ts';

describe('classifyUrl', () => {
  it.each([
    ['https://n.test/2025/07/26/council-approves-new-budget', 'date-path'],
    ['https://n.test/world/2025/07/26/story', 'date-path'],
    ['https://n.test/2025/07/a-story', 'date-path'],
    ['https://n.test/news/20250726/story', 'date-path'],
    ['https://n.test/politics/council-approves-the-new-city-budget', 'slug'],
    ['https://n.test/news/world-europe-68512345', 'numeric-id'],
    ['https://n.test/article/1234567', 'numeric-id'],
    ['https://n.test/story.php?id=123', 'numeric-id-param'],
    ['https://n.test/?p=123', 'numeric-id-param'],
    ['https://n.test/news/council-approves-budget.html', 'html-file'],
  ])('%s is an article (%s)', (url, reason) => {
    expect(classifyUrl(url)).toMatchObject({ kind: 'article', reason });
  });

  it.each([
    ['https://n.test/', 'root'],
    ['https://n.test/page/2', 'pagination'],
    ['https://n.test/world/?page=3', 'pagination'],
    ['https://n.test/2025/07/26/', 'date-archive'],
    ['https://n.test/tag/elections', 'taxonomy:tag'],
    ['https://n.test/category/local-news-from-the-whole-region', 'taxonomy:category'],
    ['https://n.test/section/world/', 'taxonomy:section'],
    ['https://n.test/author/jane-doe', 'taxonomy:author'],
    ['https://n.test/world/index.html', 'index-file'],
    ['https://n.test/world/', 'section'],
    ['https://n.test/news/politics', 'section'],
    ['https://n.test/a/b/c', 'no-article-shape'],
  ])('%s is a listing (%s)', (url, reason) => {
    expect(classifyUrl(url)).toMatchObject({ kind: 'listing', reason });
  });
});

const para = `<p>${'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(8)}</p>`;

describe('classifyPage', () => {
  it('trusts og:type=article and JSON-LD NewsArticle over the URL', () => {
    const og = '<meta property="og:type" content="article">';
    expect(classifyPage({ url: 'https://n.test/world/', html: og, origin: 'link' })).toMatchObject({
      kind: 'article',
      reason: 'og:type=article',
    });
    const ld = '<script type="application/ld+json">[{"@type":"NewsArticle"}]</script>';
    expect(classifyPage({ url: 'https://n.test/x', html: ld, origin: 'link' })).toMatchObject({
      kind: 'article',
      reason: 'json-ld:NewsArticle',
    });
  });

  it('sees a page of many links and little text as a listing', () => {
    const links = Array.from(
      { length: 60 },
      (_, i) => `<li><a href="/2025/07/26/s-${i}">Headline number ${i}</a></li>`,
    );
    const html = `<ul>${links.join('')}</ul><p>Short.</p>`;
    expect(
      classifyPage({ url: 'https://n.test/2025/07/26/big-day-roundup-of-all-things', html, origin: 'link' }),
    ).toMatchObject({ kind: 'listing', reason: 'link-dense' });
  });

  it('sees long prose as an article', () => {
    const html = `<article>${para.repeat(5)}</article><a href="/">home</a>`;
    expect(classifyPage({ url: 'https://n.test/a/b/c', html, origin: 'link' })).toMatchObject({
      kind: 'article',
      reason: 'long-text',
    });
  });

  it('falls back on the URL, and on the origin for shapeless URLs', () => {
    expect(classifyPage({ url: 'https://n.test/tag/x', origin: 'link' })).toMatchObject({ kind: 'listing' });
    expect(classifyPage({ url: 'https://n.test/a/b/c', origin: 'feed' })).toMatchObject({
      kind: 'article',
      reason: 'from-feed',
    });
    expect(classifyPage({ url: 'https://n.test/a/b/c', origin: 'link' })).toMatchObject({ kind: 'listing' });
  });
});
