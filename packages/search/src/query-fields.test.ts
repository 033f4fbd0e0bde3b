import { describe, expect, it } from 'vitest';
import { queryFieldProblem, queryStringFields } from './query-fields.ts';
import { buildSearchRequest, SearchQueryError } from './queries.ts';

describe('query string fields', () => {
  it.each([
    ['title:storm', ['title']],
    ['storm -body:rain', ['body']],
    ['"url:inside a phrase" tide', []],
    ['publishedAt:[2025-01-01T00:00 TO *]', ['publishedAt']],
    ['url : x', ['url']],
    ['u\\rl:x', ['url']],
    ['(a OR _id:*) AND tag:x', ['_id', 'tag']],
    ['/reg:ex/ site:a.org', ['site']],
    ['a\\:b', []],
  ])('%s names %j', (q, fields) => {
    expect(queryStringFields(q)).toEqual(fields);
  });

  it('refuses fields readers do not search, naming them', () => {
    expect(queryFieldProblem('_id:*')).toMatch(/"_id" cannot be searched/);
    expect(queryFieldProblem('url:* OR _exists_:signature')).toMatch(/"url", "_exists_"/);
    expect(queryFieldProblem('*:x')).toMatch(/"\*"/);
    expect(queryFieldProblem('title:x author:"Ann" tag:y language:en')).toBeNull();
  });

  it('makes buildSearchRequest refuse them as a q mistake, and a page window as a from mistake', () => {
    expect(() => buildSearchRequest('idx', { q: 'url:*' })).toThrow(SearchQueryError);
    try {
      buildSearchRequest('idx', { q: 'x', from: 9_995, size: 10 });
      expect.unreachable();
    } catch (error) {
      expect((error as SearchQueryError).param).toBe('from');
    }
    const cursor = Buffer.from(JSON.stringify([1, 2, 3, 4])).toString('base64url');
    expect(() => buildSearchRequest('idx', { q: 'x', after: cursor })).toThrow(/^after: /);
  });
});
