import { describe, expect, it } from 'vitest';
import { urlKey } from '@gazette/jobs';
import { countersOf, runMemberOf } from './run-accounting.ts';

describe('run accounting', () => {
  it('finds the run of a job where each queue carries it', () => {
    const url = 'https://news.example/a';
    expect(runMemberOf('crawl', { url, scope: { runId: 'r1' } })).toEqual({
      runId: 'r1',
      member: `crawl:${urlKey(url)}`,
    });
    expect(runMemberOf('render', { url, scope: { runId: 'r1' } })?.member).toBe(`render:${urlKey(url)}`);
    expect(runMemberOf('parse', { url, runId: 'r2' })).toEqual({ runId: 'r2', member: `parse:${urlKey(url)}` });
    expect(runMemberOf('index', { record: { url }, runId: 'r3' })).toEqual({
      runId: 'r3',
      member: `index:${urlKey(url)}`,
    });
    // Jobs outside any run, and payloads that are not objects, belong to none.
    expect(runMemberOf('crawl', { url })).toBeUndefined();
    expect(runMemberOf('parse', { url, scope: { runId: 'r1' } })).toBeUndefined();
    expect(runMemberOf('index', 'garbage')).toBeUndefined();
  });

  it('counts each outcome under its own counter', () => {
    expect(countersOf('crawl', { outcome: 'article' })).toEqual(['fetched']);
    expect(countersOf('crawl', { outcome: 'listing' })).toEqual(['fetched', 'listing']);
    expect(countersOf('crawl', { outcome: 'not-modified' })).toEqual(['notModified']);
    expect(countersOf('crawl', { outcome: 'gone' })).toEqual(['gone']);
    // Handed to the render queue: counted when rendered, not twice.
    expect(countersOf('crawl', { outcome: 'render' })).toEqual([]);
    expect(countersOf('render', { outcome: 'article' })).toEqual(['fetched']);
    expect(countersOf('parse', { outcome: 'not-article' })).toEqual(['notArticle']);
    expect(countersOf('parse', { outcome: 'article' })).toEqual(['parsed']);
    expect(countersOf('index', { id: 'x' })).toEqual(['indexed']);
  });
});
