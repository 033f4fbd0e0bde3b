import { describe, expect, it } from 'vitest';
import { extract } from './index.ts';

const FETCHED_AT = '2025-07-26T12:00:00Z';
const PROSE =
  'The council met on Tuesday evening to debate the new budget, which raises spending on schools and roads ' +
  'while cutting the cost of running the town hall. Members argued for three hours before a narrow vote. ';

function run(html: string, url = 'https://news.example/some/page/') {
  return extract({ body: html, url, fetchedAt: FETCHED_AT });
}

function page(body: string, { bodyClass = '', head = '' } = {}): string {
  return `<!doctype html><html lang="en"><head><title>The Ledger</title>${head}</head><body class="${bodyClass}">
<header><nav><a href="/">Home</a> <a href="/about/">About</a></nav></header><main>${body}</main>
<footer><p>© The Ledger</p></footer></body></html>`;
}

const excerpt = (i: number, marker: string) => `<article class="post-${i} post type-post">
  <h2 class="entry-title"><a href="https://news.example/2025/07/2${i}/story-number-${i}/">Story number ${i} about the budget vote</a></h2>
  <div class="entry-meta"><time datetime="2025-07-2${i}T10:00:00Z">July 2${i}, 2025</time> by Jane Doe</div>
  <div class="entry-summary"><p>${PROSE.repeat(2)} ${marker}</p></div>
</article>`;

describe('page types from structure and metadata', () => {
  it("an archive's last page holding one long excerpt is a listing (WordPress body classes)", () => {
    const r = run(
      page(`<h1 class="page-title">Category: Sport</h1>${excerpt(1, '[…]')}`, {
        bodyClass: 'archive paged category category-sport category-3 paged-3 category-paged-3',
      }),
      'https://news.example/category/sport/page/3/',
    );
    expect(r.kind === 'not-article' && [r.reason, r.detail]).toEqual([
      'listing-page',
      'page type listing (body-class:archive)',
    ]);
  });

  it('one excerpt card with "Continue reading" is a listing without any CMS class', () => {
    const card = excerpt(
      2,
      '<a class="more-link" href="https://news.example/2025/07/22/story-number-2/">Continue reading</a>',
    );
    const r = run(page(card));
    expect(r.kind === 'not-article' && r.reason).toBe('listing-page');
    expect(r.kind === 'not-article' && r.detail).toContain('excerpt');
  });

  it('repeated post cards are a listing whatever their word count', () => {
    const r = run(page([1, 2, 3].map((i) => excerpt(i, '')).join('\n')));
    expect(r.kind === 'not-article' && r.detail).toBe('page type listing (post-cards:3)');
  });

  it('static pages are recorded as such: WordPress `page page-id-N`, JSON-LD AboutPage', () => {
    const about = `<article class="page type-page"><h1>About</h1><p>${PROSE.repeat(3)}</p></article>`;
    const wp = run(page(about, { bodyClass: 'page-template-default page page-id-7' }), 'https://news.example/about/');
    expect(wp.kind === 'not-article' && [wp.reason, wp.detail]).toEqual([
      'static-page',
      'page type static-page (body-class:page)',
    ]);
    const ld = run(
      page(`<h1>Who we are</h1><p>${PROSE.repeat(3)}</p>`, {
        head: '<script type="application/ld+json">{"@context":"https://schema.org","@type":"AboutPage","name":"About"}</script>',
      }),
      'https://news.example/who-we-are',
    );
    expect(ld.kind === 'not-article' && ld.reason).toBe('static-page');
  });

  it('WordPress 404 pages are error pages', () => {
    const r = run(page(`<h1>Nothing here</h1><p>${PROSE}</p>`, { bodyClass: 'error404' }));
    expect(r.kind === 'not-article' && r.reason).toBe('error-page');
  });

  it('an article with related-story cards in an aside, or declaring itself an article, stays an article', () => {
    const story = `<article class="post"><h1>Council passes the budget after a long night</h1>
      <p>${PROSE}</p><p>${PROSE}</p><p>${PROSE}</p></article>`;
    const related = `<aside class="related">${[1, 2, 3].map((i) => excerpt(i, 'Read more')).join('')}</aside>`;
    expect(run(page(story + related), 'https://news.example/2025/07/26/council-budget/').kind).toBe('article');
    const declared = run(
      page(story + [1, 2].map((i) => excerpt(i, '')).join(''), {
        head: '<meta property="og:type" content="article">',
      }),
      'https://news.example/2025/07/26/council-budget/',
    );
    expect(declared.kind).toBe('article');
    const single = run(
      page(story, { bodyClass: 'post-template-default single single-post postid-9' }),
      'https://news.example/2025/07/26/council-budget/',
    );
    expect(single.kind).toBe('article');
  });
});

describe('WordPress bylines, sections and tags', () => {
  const post = (extra: string, bodyClass = 'single single-post postid-4') =>
    page(
      `<article class="post-4 post type-post hentry"><h1 class="entry-title">Council passes the budget after a long night</h1>
      <div class="entry-content"><p>${PROSE}</p><p>${PROSE}</p><p>${PROSE}</p></div>${extra}</article>
      <div id="comments" class="comments-area"><ol class="comment-list"><li class="comment"><div class="comment-author vcard"><b class="fn">Daniel Ortiz</b> says:</div><p>Great report.</p>
      <a rel="nofollow" class="comment-reply-link" href="?replytocom=3">Reply</a></li></ol>
      <form id="commentform" class="comment-form"><p class="comment-form-author"><label for="author">Name <span class="required">*</span></label><input id="author" name="author"></p></form></div>`,
      { bodyClass },
    );

  it('never takes the comment form or commenters for authors', () => {
    const r = run(post('<div class="wp-block-post-author-name">Maria Keller</div>'));
    expect(r.kind === 'article' && r.record.authors).toEqual(['Maria Keller']);
  });

  it('reads the author from an author-archive link text', () => {
    const r = run(
      post(
        `<div class="author-bio"><p>Maria writes about towns.</p><a class="author-link" href="/author/maria-keller/" rel="author">View all of Maria Keller&#039;s posts.</a></div>`,
      ),
    );
    expect(r.kind === 'article' && r.record.authors).toEqual(['Maria Keller']);
  });

  it('fills section and tags from rel="category tag" and rel="tag" (classic themes)', () => {
    const r = run(
      post(`<footer class="entry-footer"><span class="cat-links">Categorized as <a href="/category/business/" rel="category tag">Business</a></span>
      <span class="tags-links">Tagged <a href="/tag/markets/" rel="tag">markets</a>, <a href="/tag/europe/" rel="tag">europe</a></span></footer>`),
    );
    expect(r.kind === 'article' && [r.record.section, r.record.tags]).toEqual(['Business', ['markets', 'europe']]);
  });

  it('fills section and tags from taxonomy blocks (block themes print both as rel="tag")', () => {
    const r = run(
      post(`<div class="taxonomy-category wp-block-post-terms"><a href="/category/sport/" rel="tag">Sport</a></div>
      <div class="taxonomy-post_tag wp-block-post-terms"><a href="/tag/weather/" rel="tag">weather</a><span>, </span><a href="/tag/asia/" rel="tag">asia</a></div>`),
    );
    expect(r.kind === 'article' && [r.record.section, r.record.tags]).toEqual(['Sport', ['weather', 'asia']]);
  });
});
