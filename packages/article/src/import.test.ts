import { describe, expect, it } from 'vitest';
import { articleIdFor, contentHashOf } from './identity.ts';
import { ImportRecordError, recordFromImport } from './import.ts';

const now = new Date('2026-11-29T12:00:00.000Z');
const body = 'The harbour lighthouse keepers counted forty ships at dawn.\n\nThe fog lifted by noon.';

describe('recordFromImport', () => {
  it('derives ids and hashes from a minimal record', () => {
    const record = recordFromImport({ url: 'https://www.wire.example/a', title: 'Ships at dawn', body }, now);
    expect(record).toMatchObject({
      id: articleIdFor('https://www.wire.example/a'),
      canonicalUrl: 'https://www.wire.example/a',
      site: 'wire.example',
      authors: [],
      publishedAt: null,
      wordCount: 14,
      contentHash: contentHashOf(body),
      fetchedAt: now.toISOString(),
      parserVersion: 'import',
    });
    expect(record.simhash).toMatch(/^[0-9a-f]{16}$/);
  });

  it('keeps the metadata given, the id of the canonical URL included', () => {
    const canonicalUrl = 'https://wire.example/canonical';
    const record = recordFromImport({
      url: 'https://wire.example/a?utm=x',
      canonicalUrl,
      id: articleIdFor(canonicalUrl),
      title: 'Ships at dawn',
      body,
      authors: ['A. Keeper'],
      publishedAt: '2026-11-28T08:00:00+02:00',
      language: 'en',
      tags: ['harbour'],
    });
    expect(record).toMatchObject({
      id: articleIdFor(canonicalUrl),
      authors: ['A. Keeper'],
      publishedAt: '2026-11-28T06:00:00.000Z',
      language: 'en',
      tags: ['harbour'],
    });
  });

  it('refuses an id that is not its URL’s, and an invalid record, with their reasons', () => {
    const wrong = () =>
      recordFromImport({ url: 'https://wire.example/a', id: articleIdFor('https://x.example/'), title: 't', body });
    expect(wrong).toThrow(ImportRecordError);
    expect(wrong).toThrow(/does not belong to https:\/\/wire.example\/a/);
    try {
      wrong();
    } catch (error) {
      expect((error as ImportRecordError).reason).toBe('id-mismatch');
    }
    try {
      recordFromImport({ url: 'ftp://wire.example/a', title: '', body });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ImportRecordError);
      expect((error as ImportRecordError).reason).toBe('invalid-record');
      expect((error as Error).message).toMatch(/url: .*; title:/);
    }
  });
});
