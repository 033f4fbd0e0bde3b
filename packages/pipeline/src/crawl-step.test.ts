import { describe, expect, it } from 'vitest';
import { scanHtml } from '@gazette/frontier';
import { followable } from './crawl-step.ts';

describe('links a crawl follows', () => {
  it('skips rel="nofollow" links and comment-reply links, keeps the rest', () => {
    const html = `<article><a href="/2025/03/03/story/">Story</a>
      <a rel="nofollow" class="comment-reply-link" href="/2025/03/03/story/?replytocom=12#respond">Reply</a>
      <a href="/2025/03/04/other/?replytocom=3">Reply without rel</a>
      <a rel="ugc nofollow" href="https://commenter.example/">Daniel</a>
      <a href="/category/sport/" rel="category tag">Sport</a></article>`;
    const links = scanHtml(html, 'https://site.example/2025/03/03/story/').links;
    expect(links.filter(followable).map((l) => l.url)).toEqual([
      'https://site.example/2025/03/03/story/',
      'https://site.example/category/sport/',
    ]);
  });
});
