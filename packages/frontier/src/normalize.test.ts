import { describe, expect, it } from 'vitest';
import { normalizeUrl, tryNormalizeUrl } from './normalize.ts';

describe('normalizeUrl', () => {
  it.each([
    ['HTTP://Example.COM:80/a', 'http://example.com/a'],
    ['https://example.com:443/a', 'https://example.com/a'],
    ['https://example.com:8443/a', 'https://example.com:8443/a'],
    ['https://example.com', 'https://example.com/'],
    ['https://example.com./a', 'https://example.com/a'],
    ['https://user:pw@example.com/a', 'https://example.com/a'],
    ['https://example.com/a#section', 'https://example.com/a'],
    ['https://example.com/a/./b/../c', 'https://example.com/a/c'],
    ['https://example.com/a/%2e%2E/c', 'https://example.com/c'],
    ['https://example.com/%7euser/%61bc', 'https://example.com/~user/abc'],
    ['https://example.com/a%2fb%c3%a9', 'https://example.com/a%2Fb%C3%A9'],
    ['https://example.com/café', 'https://example.com/caf%C3%A9'],
    ['https://Bücher.example/x', 'https://xn--bcher-kva.example/x'],
    ['https://example.com/a?b=2&a=1', 'https://example.com/a?a=1&b=2'],
    ['https://example.com/a?b=2&a=1&a=0', 'https://example.com/a?a=1&a=0&b=2'],
    [
      'https://example.com/a?utm_source=x&UTM_Medium=y&fbclid=1&gclid=2&mc_cid=3&mc_eid=4&igshid=5&ref_src=6&id=7',
      'https://example.com/a?id=7',
    ],
    ['https://example.com/a?utm_source=x', 'https://example.com/a'],
    ['https://example.com/a?', 'https://example.com/a'],
    ['https://example.com/a?&&x=1&', 'https://example.com/a?x=1'],
    ['https://example.com/a?q=%7e%3a', 'https://example.com/a?q=~%3A'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeUrl(input)).toBe(expected);
  });

  it('applies the trailing-slash policy to non-root paths only', () => {
    expect(normalizeUrl('https://x.test/news/', { trailingSlash: 'strip' })).toBe('https://x.test/news');
    expect(normalizeUrl('https://x.test/', { trailingSlash: 'strip' })).toBe('https://x.test/');
    expect(normalizeUrl('https://x.test/news', { trailingSlash: 'add' })).toBe('https://x.test/news/');
    expect(normalizeUrl('https://x.test/story.html', { trailingSlash: 'add' })).toBe('https://x.test/story.html');
    expect(normalizeUrl('https://x.test/news/', { trailingSlash: 'keep' })).toBe('https://x.test/news/');
  });

  it('drops extra parameters on request', () => {
    expect(normalizeUrl('https://x.test/a?session=1&b=2', { dropParams: ['Session'] })).toBe('https://x.test/a?b=2');
  });

  it('is idempotent', () => {
    const once = normalizeUrl('HTTPS://X.test:443/a/../b/%7e?z=1&utm_campaign=c&a=%zz#f');
    expect(normalizeUrl(once)).toBe(once);
  });

  it('refuses non-http URLs', () => {
    expect(() => normalizeUrl('mailto:a@b.c')).toThrow(TypeError);
    expect(() => normalizeUrl('/relative')).toThrow(TypeError);
    expect(tryNormalizeUrl('javascript:void(0)')).toBeNull();
    expect(tryNormalizeUrl('../b?utm_source=x', 'https://x.test/a/c/d')).toBe('https://x.test/a/b');
  });
});
