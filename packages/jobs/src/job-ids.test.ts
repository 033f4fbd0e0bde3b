import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { importJobId, indexJobId, reparseJobId, runDeduplication, runKey, sourceRunId, urlKey } from './job-ids.ts';

describe('job ids and deduplication keys', () => {
  const url = 'https://news.example/2024/05/a-story';

  it('hashes a URL one way everywhere', () => {
    expect(urlKey(url)).toBe(createHash('sha1').update(url).digest('base64url'));
    expect(runDeduplication('run-1', url)).toEqual({ id: `run-1:${urlKey(url)}`, ttl: 6 * 3600_000 });
    expect(sourceRunId('src', '42')).toHaveLength(20);
    expect(sourceRunId('src', '42')).not.toBe(sourceRunId('src', '43'));
  });

  it('names jobs by archived copy, parser version and content', () => {
    const archive = { file: 'gazette-20240501-000001.warc.gz', offset: 1234 };
    expect(indexJobId({ id: 'abc', parserVersion: '7' }, archive)).toBe('abc-gazette-20240501-000001-1234-7');
    expect(reparseJobId('r1', archive)).toBe('reparse-r1-gazette-20240501-000001-1234');
    expect(importJobId({ id: 'abc', contentHash: 'f'.repeat(64), parserVersion: '7' })).toBe(`abc-${'f'.repeat(16)}-7`);
    expect(runKey('x')).toMatch(/^[0-9a-f]{16}$/);
  });
});
