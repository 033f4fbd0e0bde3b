import { describe, expect, it } from 'vitest';
import { BoundedLabel, fetchLabels, statusClass } from './bounded-label.ts';

describe('metric labels', () => {
  it('keep at most N values and count the rest as other', () => {
    const sites = new BoundedLabel(2);
    expect(['a.example', 'b.example', 'c.example', 'a.example', 'd.example'].map((s) => sites.of(s))).toEqual([
      'a.example',
      'b.example',
      'other',
      'a.example',
      'other',
    ]);
  });

  it('give fetches their status, status class and reason', () => {
    expect(statusClass(204)).toBe('2xx');
    expect(statusClass(undefined)).toBe('none');
    expect(fetchLabels({ status: 304, reason: 'not-modified' })).toEqual({
      status: '304',
      class: '3xx',
      reason: 'not-modified',
    });
    expect(fetchLabels({ error: { reason: 'http-404' } })).toEqual({ status: '404', class: '4xx', reason: 'http-404' });
    expect(fetchLabels({ error: { reason: 'http-5xx' } })).toEqual({
      status: 'none',
      class: '5xx',
      reason: 'http-5xx',
    });
    expect(fetchLabels({ error: { reason: 'timeout' } })).toEqual({ status: 'none', class: 'none', reason: 'timeout' });
    expect(fetchLabels({ error: {} }).reason).toBe('unexpected');
  });
});
