import { describe, expect, it } from 'vitest';
import { orderStory, storyMembers } from './story.ts';

const summary = (id: string, publishedAt: string | null) => ({
  id,
  score: null,
  title: id,
  url: `https://x.example/${id}`,
  canonicalUrl: `https://x.example/${id}`,
  site: 'x.example',
  publishedAt,
  authors: [],
  language: 'en',
  copies: [],
});

describe('storyMembers', () => {
  it('keeps candidates above the floor and close to the best one', () => {
    const c = [
      { id: 'a', score: 3 },
      { id: 'b', score: 2 },
      { id: 'c', score: 1.2 },
      { id: 'd', score: 0.5 },
      { id: 'e', score: null },
    ];
    expect(storyMembers(c, { minScore: 0.9, minShare: 0.6 }).map((x) => x.id)).toEqual(['a', 'b']);
    expect(storyMembers(c, { minScore: 0.9, minShare: 0 }).map((x) => x.id)).toEqual(['a', 'b', 'c']);
    expect(storyMembers([{ id: 'x', score: 0.4 }], { minScore: 0.9, minShare: 0 })).toEqual([]);
  });
});

describe('orderStory', () => {
  it('orders by date, undated last, and marks the earliest dated article', () => {
    const story = orderStory([
      summary('late', '2025-03-15T00:00:00Z'),
      summary('undated', null),
      summary('early', '2025-03-12T09:00:00Z'),
    ]);
    expect(story.articles.map((a) => a.id)).toEqual(['early', 'late', 'undated']);
    expect(story.firstReport).toBe('early');
    expect(story.articles.map((a) => a.first)).toEqual([true, false, false]);
  });

  it('marks no first report when nothing is dated', () => {
    const story = orderStory([summary('b', null), summary('a', null)]);
    expect(story.articles.map((a) => a.id)).toEqual(['a', 'b']);
    expect(story.firstReport).toBeNull();
    expect(story.articles.every((a) => !a.first)).toBe(true);
  });
});
