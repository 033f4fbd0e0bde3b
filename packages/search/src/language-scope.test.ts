import { describe, expect, it } from 'vitest';
import { relatedLanguages } from './language-scope.ts';

describe('relatedLanguages', () => {
  it('defaults to the source article’s primary language', () => {
    expect(relatedLanguages(undefined, 'zh-Hant-TW')).toEqual(['zh']);
    expect(relatedLanguages([], 'ar')).toEqual(['ar']);
  });

  it('takes the languages asked for, or none for any', () => {
    expect(relatedLanguages(['ur', 'hi'], 'ur')).toEqual(['ur', 'hi']);
    expect(relatedLanguages('any', 'ur')).toBeUndefined();
    expect(relatedLanguages(['*'], 'ur')).toBeUndefined();
  });

  it('does not restrict an article with no language', () => {
    expect(relatedLanguages(undefined, null)).toBeUndefined();
  });
});
