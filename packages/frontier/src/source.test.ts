import { describe, expect, it } from 'vitest';
import { createLinkPolicy, parseSource, siteOf, sourceSchema } from './source.ts';

describe('sourceSchema', () => {
  it('fills defaults', () => {
    const source = parseSource({ id: 'news-test', name: 'News', seeds: ['https://news.test/'] });
    expect(source).toMatchObject({
      feeds: [],
      sitemaps: [],
      allow: [],
      deny: [],
      maxDepth: 3,
      sameSite: true,
      trailingSlash: 'keep',
      minIntervalMs: 1000,
      maxConcurrency: 2,
      recrawlIntervalMs: 900_000,
      autodiscoverFeeds: true,
      render: 'never',
    });
    expect(parseSource({ id: 'app', name: 'App', render: 'auto' }).render).toBe('auto');
    expect(sourceSchema.safeParse({ id: 'app', name: 'App', render: 'sometimes' }).success).toBe(false);
  });

  it('rejects bad ids, URLs, regexes and unknown keys', () => {
    expect(sourceSchema.safeParse({ id: 'Bad Id', name: 'x' }).success).toBe(false);
    expect(sourceSchema.safeParse({ id: 'a', name: 'x', seeds: ['ftp://x.test/'] }).success).toBe(false);
    expect(sourceSchema.safeParse({ id: 'a', name: 'x', deny: ['('] }).success).toBe(false);
    expect(sourceSchema.safeParse({ id: 'a', name: 'x', extra: 1 }).success).toBe(false);
  });
});

describe('siteOf', () => {
  it.each([
    ['www.news.test', 'news.test'],
    ['a.b.news.test', 'news.test'],
    ['www.bbc.co.uk', 'bbc.co.uk'],
    ['www.abc.net.au', 'abc.net.au'],
    ['news.test', 'news.test'],
    ['127.0.0.1', '127.0.0.1'],
  ])('%s → %s', (host, site) => expect(siteOf(host)).toBe(site));
});

describe('createLinkPolicy', () => {
  const policy = createLinkPolicy(
    parseSource({
      id: 'n',
      name: 'N',
      seeds: ['https://www.news.test/'],
      allow: ['/(news|world)/'],
      deny: ['/news/video/'],
      maxDepth: 2,
    }),
  );

  it('follows same-site links matching allow and not deny, within depth', () => {
    expect(policy('https://news.test/news/story', 1)).toEqual({ follow: true, reason: 'ok' });
    expect(policy('https://live.news.test/world/story', 2)).toEqual({ follow: true, reason: 'ok' });
    expect(policy('https://news.test/news/story', 3)).toEqual({ follow: false, reason: 'depth' });
    expect(policy('https://other.test/news/story', 1)).toEqual({ follow: false, reason: 'other-site' });
    expect(policy('https://news.test/news/video/x', 1)).toEqual({ follow: false, reason: 'denied' });
    expect(policy('https://news.test/sport/x', 1)).toEqual({ follow: false, reason: 'not-allowed' });
    expect(policy('mailto:x@news.test', 1)).toEqual({ follow: false, reason: 'bad-url' });
  });
});
