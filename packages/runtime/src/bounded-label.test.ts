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

  it('label the busiest N values by volume, not the first seen, and report the ones demoted', () => {
    const demoted: string[] = [];
    const sites = new BoundedLabel(2, { capacity: 6, recomputeEvery: 100, onDemote: (v) => demoted.push(v) });
    // Two quiet sites come first and take the labels ...
    expect(sites.of('quiet-1.example')).toBe('quiet-1.example');
    expect(sites.of('quiet-2.example')).toBe('quiet-2.example');
    // ... then two busy ones and a long tail of one-page sites (more than the counters held).
    const stream: string[] = [];
    for (let i = 0; i < 40; i++) stream.push('busy-a.example', 'busy-b.example', `tail-${i}.example`);
    for (const s of stream.slice(0, 96)) sites.of(s);
    // Before a recomputation the newcomers are "other".
    expect(sites.of('busy-a.example')).toBe('other');
    // The 100th observation recomputes: the busy sites hold the labels now.
    expect(sites.of('busy-b.example')).toBe('busy-b.example');
    expect(sites.current.sort()).toEqual(['busy-a.example', 'busy-b.example']);
    expect(sites.of('busy-a.example')).toBe('busy-a.example');
    expect(sites.of('quiet-1.example')).toBe('other');
    expect(demoted.sort()).toEqual(['quiet-1.example', 'quiet-2.example']);
    // Space-saving keeps the busy sites' counts exact although the tail overflowed the counters.
    expect(sites.estimate('busy-a.example')).toBe(34);
    expect(sites.estimate('tail-0.example')).toBe(0);
  });

  it('keep the labelled set when volumes tie, so labels do not flap', () => {
    const sites = new BoundedLabel(1, { recomputeEvery: 4 });
    expect(['a', 'b', 'a', 'b'].map((s) => sites.of(s))).toEqual(['a', 'other', 'a', 'other']);
    expect(sites.current).toEqual(['a']);
    expect(sites.of('b')).toBe('other');
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
