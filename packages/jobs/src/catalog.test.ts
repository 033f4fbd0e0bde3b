import { describe, expect, it } from 'vitest';
import { crawlJobSchema, crawlScopeSchema } from './catalog.ts';

describe('crawl scope', () => {
  it('refuses link rules that do not compile, on the producer and the worker side alike', () => {
    const scope = crawlScopeSchema.safeParse({ maxDepth: 1, allow: ['/news/', '(unclosed'], deny: ['[z-a]'] });
    expect(scope.success).toBe(false);
    expect(scope.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      ['allow.1', 'not a valid regular expression'],
      ['deny.0', 'not a valid regular expression'],
    ]);
    const job = crawlJobSchema.safeParse({ url: 'https://example.com/', scope: { allow: ['('] } });
    expect(job.success).toBe(false);
    expect(job.error?.issues[0]?.path).toEqual(['scope', 'allow', 0]);
  });

  it('keeps rules that compile as they were given', () => {
    const scope = crawlScopeSchema.parse({ allow: ['^https://example\\.com/(news|world)/'], deny: ['\\?page='] });
    expect(scope.allow).toEqual(['^https://example\\.com/(news|world)/']);
    expect(scope.deny).toEqual(['\\?page=']);
  });
});
