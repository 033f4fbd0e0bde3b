import { describe, expect, it } from 'vitest';
import { buildRelatedRequest, buildSearchRequest, SearchQueryError } from './queries.ts';
import { DEFAULT_RELATED_TUNING, maxDocFreq } from './related.ts';
import { makeRecord } from './test-records.ts';

const source = {
  ...makeRecord({
    url: 'https://example.org/a',
    title: 'A title',
    body: 'Some body text for the article.',
    publishedAt: '2025-03-01T10:00:00Z',
    outLinks: ['https://example.org/ref'],
  }),
  dupGroup: 'g1',
  entities: ['berlin'],
};

describe('buildRelatedRequest', () => {
  it('excludes the article and its copies, collapses groups and decays with distance in time', () => {
    const req = buildRelatedRequest('idx', source, { k: 5, site: ['a.org'], windowDays: 3, language: 'any' });
    expect(req.size).toBe(5);
    expect(req.collapse).toEqual({ field: 'dupGroup' });
    const fs = (req.query as { function_score: { query: { bool: Record<string, unknown[]> }; functions: unknown[] } })
      .function_score;
    expect(fs.query.bool['must_not']).toEqual([{ ids: { values: [source.id] } }, { term: { dupGroup: 'g1' } }]);
    expect(fs.query.bool['filter']).toEqual([
      { terms: { site: ['a.org'] } },
      { range: { publishedAt: { gte: '2025-02-26T10:00:00.000Z', lte: '2025-03-04T10:00:00.000Z' } } },
    ]);
    expect(JSON.stringify(fs.functions)).toContain('"origin":"2025-03-01T10:00:00Z"');
    expect(JSON.stringify(fs.query.bool['should'])).toContain('entities');
    expect(JSON.stringify(fs.query.bool['should'])).toContain('outLinks');
  });

  it('fetches candidates to re-rank when the index and the article have signatures', () => {
    const signed = { ...source, signature: 'title body', years: ['2025'] };
    const features = { languages: [], derivedFields: true, eventFields: true };
    const req = buildRelatedRequest('idx', signed, { k: 5 }, features);
    expect(req.size).toBe(20);
    // Only the top hits are read: no total count.
    expect(req.track_total_hits).toBe(false);
    expect(req._source).toEqual(expect.arrayContaining(['signature', 'entities', 'years', 'dates', 'title']));
    expect(buildRelatedRequest('idx', signed, { k: 50 }, features).size).toBe(50);
    expect(buildRelatedRequest('idx', signed, { k: 5, tuning: { rerankDepth: 0 } }, features).size).toBe(5);
    expect(buildRelatedRequest('idx', source, { k: 5 }, features).size).toBe(5);
  });

  it('offers a headline match as a second way into the candidates (0.5 by default; 0 turns it off)', () => {
    type Bool = { must: Array<Record<string, unknown>> };
    const must = (tuning = {}) =>
      (
        buildRelatedRequest('idx', { ...source, publishedAt: null }, { k: 5, tuning }).query as {
          bool: Bool;
        }
      ).bool.must;
    expect(Object.keys(must({ titleMatchBoost: 0 })[0]!)).toEqual(['more_like_this']);
    const either = must()[0] as { bool: { should: object[]; minimum_should_match: number } };
    expect(either.bool.minimum_should_match).toBe(1);
    expect(either.bool.should).toEqual([
      expect.objectContaining({ more_like_this: expect.any(Object) }),
      { match: { title: { query: 'A title', minimum_should_match: '30%', boost: 0.5 } } },
    ]);
  });

  it('caps common terms by share of the index, at most a fixed number of documents, at least 20', () => {
    const t = DEFAULT_RELATED_TUNING;
    expect(maxDocFreq(100, t)).toBe(20);
    expect(maxDocFreq(550, t)).toBe(27);
    expect(maxDocFreq(10_000, t)).toBe(500);
    expect(maxDocFreq(100_000, t)).toBe(1000);
    expect(maxDocFreq(100_000, { ...t, maxDocFreqCap: 0 })).toBe(5000);
    const mlt = (docCount: number) =>
      JSON.stringify(buildRelatedRequest('idx', { ...source, publishedAt: null }, { k: 5 }, undefined, docCount));
    expect(mlt(1_000_000)).toContain('"max_doc_freq":1000');
  });

  it('stays within the article’s language unless asked otherwise', () => {
    const filters = (options: Parameters<typeof buildRelatedRequest>[2]) =>
      JSON.stringify(buildRelatedRequest('idx', { ...source, language: 'ur-PK' }, options).query);
    expect(filters({})).toContain('"terms":{"language":["ur"]}');
    expect(filters({})).toContain('"value":"ur-"');
    expect(filters({ language: 'any' })).not.toContain('"language"');
    expect(filters({ language: ['ar', 'fa'] })).toContain('"terms":{"language":["ar","fa"]}');
  });

  it('uses the article’s language fields when the index has them', () => {
    const req = buildRelatedRequest(
      'idx',
      { ...source, language: 'fr', publishedAt: null },
      { duplicates: true },
      {
        languages: ['fr'],
        derivedFields: true,
      },
    );
    expect(JSON.stringify(req.query)).toContain('i18n.fr.body');
    expect(req.collapse).toEqual({ field: 'dupGroup' });
    expect(req.query).toHaveProperty('bool');
  });
});

describe('buildSearchRequest', () => {
  it('searches with query-string syntax, filters, leaves copies out and highlights', () => {
    const req = buildSearchRequest('idx', {
      q: 'title:"central bank"',
      author: 'Ann',
      tag: ['x'],
      since: '2025-01-01',
    });
    const bool = req.query.bool;
    expect(bool.must[0]).toMatchObject({ query_string: { query: 'title:"central bank"', default_operator: 'and' } });
    expect(bool.filter).toEqual([
      { terms: { authors: ['Ann'] } },
      { terms: { tags: ['x'] } },
      { range: { publishedAt: { gte: '2025-01-01' } } },
    ]);
    expect(bool.must_not).toEqual([{ term: { duplicate: true } }]);
    expect(req.highlight?.fields).toHaveProperty('body');
    expect(req.sort[0]).toEqual({ _score: { order: 'desc' } });
  });

  it('sorts by date with a unique tiebreaker and pages with search_after', () => {
    const cursor = Buffer.from(JSON.stringify([1700000000000, 'abc'])).toString('base64url');
    const req = buildSearchRequest('idx', { q: 'x', sort: 'date', after: cursor });
    expect(req.sort).toEqual([{ publishedAt: { order: 'desc', missing: '_last' } }, { id: 'asc' }]);
    expect(req).toMatchObject({ search_after: [1700000000000, 'abc'] });
    expect(req).not.toHaveProperty('from');
  });

  it('refuses a cursor it did not make', () => {
    expect(() => buildSearchRequest('idx', { q: 'x', after: 'not-a-cursor' })).toThrow(SearchQueryError);
  });
});
