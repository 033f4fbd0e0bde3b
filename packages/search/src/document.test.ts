import { describe, expect, it } from 'vitest';
import { hammingDistance, simhash } from '@gazette/article';
import {
  chooseDuplicateGroup,
  DUPLICATE_MAX_DISTANCE,
  duplicateCandidatesQuery,
  extractEntities,
  simhashBands,
  simhashDistance,
  toIndexDocument,
} from './document.ts';
import { makeRecord } from './test-records.ts';

describe('extractEntities', () => {
  it('keeps names and multi-word names, drops sentence-initial ordinary words, dates and function words', () => {
    const entities = extractEntities(
      'Sixers Hire Maurice Cheeks as Head Coach',
      'Maurice Cheeks was introduced as head coach of the Philadelphia Sixers on Tuesday.\n' +
        'Well, the team said Jim O’Brien would leave. Cheeks thanked the Sixers. Hey there, coach.',
    );
    expect(entities).toEqual(expect.arrayContaining(['maurice cheeks', 'cheeks', 'sixers', 'jim o’brien']));
    expect(entities).not.toContain('well');
    expect(entities).not.toContain('hey');
    expect(entities).not.toContain('tuesday');
    expect(entities).not.toContain('head coach'); // title case headline words are not names
  });

  it('caps the list', () => {
    const body = Array.from(
      { length: 60 },
      (_, i) => `Visitors met Person${String.fromCharCode(65 + (i % 26))}x${i} here.`,
    ).join(' ');
    expect(extractEntities('t', body, 10)).toHaveLength(10);
  });
});

describe('SimHash bands and distance', () => {
  it('splits into 16 tagged one-digit bands', () => {
    expect(simhashBands('0123456789abcdef')).toEqual([
      '00',
      '11',
      '22',
      '33',
      '44',
      '55',
      '66',
      '77',
      '88',
      '99',
      'aa',
      'bb',
      'cc',
      'dd',
      'ee',
      'ff',
    ]);
  });

  it('counts differing bits like hammingDistance', () => {
    const a = simhash('the quick brown fox jumps over the lazy dog again and again');
    const b = simhash('a slow green turtle walks under the busy bridge every day');
    expect(simhashDistance(a, b)).toBe(hammingDistance(a, b));
    expect(simhashDistance('ffffffffffffffff', '0000000000000000')).toBe(64);
    expect(simhashDistance('8000000000000001', '0000000000000000')).toBe(2);
  });

  it('asks for the bands any hash within the distance must share', () => {
    const q = duplicateCandidatesQuery('0123456789abcdef');
    expect(q.bool.should).toHaveLength(16);
    expect(q.bool.minimum_should_match).toBe(16 - DUPLICATE_MAX_DISTANCE);
  });
});

describe('chooseDuplicateGroup', () => {
  const base = 'aaaaaaaaaaaaaaaa';
  const near = 'aaaaaaaaaaaaaaab'; // 2 bits away
  const far = '5555555555555555';

  it('is the article itself without close candidates', () => {
    expect(chooseDuplicateGroup({ id: 'x', simhash: base }, [])).toBe('x');
    expect(
      chooseDuplicateGroup({ id: 'x', simhash: base }, [{ id: 'y', simhash: far, dupGroup: 'y', publishedAt: null }]),
    ).toBe('x');
  });

  it('joins the group of a close copy, the earliest published on ties', () => {
    expect(
      chooseDuplicateGroup({ id: 'x', simhash: base }, [
        { id: 'y', simhash: near, dupGroup: 'g2', publishedAt: '2025-01-02T00:00:00Z' },
        { id: 'z', simhash: near, dupGroup: 'g1', publishedAt: '2025-01-01T00:00:00Z' },
      ]),
    ).toBe('g1');
  });

  it('stays the group id when copies already point at it, and ignores itself', () => {
    expect(
      chooseDuplicateGroup({ id: 'x', simhash: base }, [
        { id: 'x', simhash: base, dupGroup: 'other', publishedAt: null },
        { id: 'y', simhash: near, dupGroup: 'x', publishedAt: null },
      ]),
    ).toBe('x');
  });
});

describe('toIndexDocument', () => {
  const record = makeRecord({
    url: 'https://example.org/a',
    title: 'Berlin opens a new airport',
    body: 'Berlin opened Brandenburg Airport on Saturday after years of delays, officials in Berlin said.',
    language: 'de-DE',
  });

  it('adds the derived fields on a current index, with per-language text when the index has the language', () => {
    const doc = toIndexDocument(record, { version: 2, languages: ['de', 'fr'], derivedFields: true }, 'now');
    expect(doc.dupGroup).toBe(record.id);
    expect(doc.duplicate).toBe(false);
    expect(doc.simhashBands).toHaveLength(16);
    expect(doc.entities).toContain('berlin');
    expect(doc.i18n).toEqual({ de: { title: record.title, body: record.body } });
    expect(doc.indexedAt).toBe('now');
  });

  it('writes the plain record into an index of an older mapping', () => {
    const doc = toIndexDocument(record, { version: 1, languages: [], derivedFields: false }, 'now');
    expect(Object.keys(doc).sort()).toEqual([...Object.keys(record), 'indexedAt'].sort());
  });

  it('leaves out per-language text for languages the index lacks', () => {
    const doc = toIndexDocument(record, { version: 2, languages: [], derivedFields: true }, 'now');
    expect(doc.i18n).toBeUndefined();
  });
});
