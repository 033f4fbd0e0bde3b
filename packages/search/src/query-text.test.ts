import { describe, expect, it } from 'vitest';
import { queryFieldProblem } from './query-fields.ts';
import { plainWords, queryStringOf } from './query-text.ts';

describe('queryStringOf', () => {
  it.each([
    ['24/7 news', '24\\/7 news'],
    ['AC/DC', 'AC\\/DC'],
    ['/.*/', '\\/.*\\/'],
    ['"24/7 coverage" AC/DC', '"24/7 coverage" AC\\/DC'],
    ['already\\/escaped', 'already\\/escaped'],
    ['Brexit: what next', 'Brexit\\: what next'],
    ['Breaking:', 'Breaking\\:'],
    ['see https://example.com/a', 'see https\\:\\/\\/example.com\\/a'],
    ['talks at 10:30, won 3:1', 'talks at 10\\:30, won 3\\:1'],
    ['title:storm -body:rain', 'title:storm -body:rain'],
    ['title: storm', 'title: storm'],
    ['(tag:x OR author:"Ann Lee") flood', '(tag:x OR author:"Ann Lee") flood'],
    ['publishedAt:[2025-01-01 TO *]', 'publishedAt:[2025-01-01 TO *]'],
    ['"Brexit: what next"', '"Brexit: what next"'],
    ['“interest rate unchanged” -bank', '"interest rate unchanged" -bank'],
    ['„Zinsen steigen“ und «taux» AC/DC', '"Zinsen steigen" und "taux" AC\\/DC'],
  ])('%s → %s', (q, expected) => {
    expect(queryStringOf(q)).toBe(expected);
  });

  it('leaves field syntax on fields readers may not search for the field check to refuse', () => {
    for (const q of ['_id:*', 'url:*', '_exists_:signature', '*:*', 'AC/DC x:y/']) {
      expect(queryFieldProblem(queryStringOf(q)), q).toMatch(/cannot be searched/);
    }
    expect(queryFieldProblem(queryStringOf('Brexit: what next, 24/7'))).toBeNull();
  });
});

describe('plainWords', () => {
  it('escapes every character with a meaning and lower-cases the operators', () => {
    expect(plainWords('wind! [draft] {x} a~2 b^3 "open')).toBe('wind\\! \\[draft\\] \\{x\\} a\\~2 b\\^3 \\"open');
    expect(plainWords('a AND OR NOT b && c || d')).toBe('a and or not b \\&\\& c \\|\\| d');
    expect(plainWords('x:y (z) +w -v *u? 1/2 back\\')).toBe('x\\:y \\(z\\) \\+w \\-v \\*u\\? 1\\/2 back\\\\');
    expect(plainWords('a<b>c')).toBe('a b c');
    expect(plainWords('ANDROID ORBIT NOTE')).toBe('ANDROID ORBIT NOTE');
  });
});
