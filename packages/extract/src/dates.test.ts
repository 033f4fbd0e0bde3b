import { describe, expect, it } from 'vitest';
import { parseDate } from './dates.ts';

const now = Date.parse('2025-07-26T12:00:00Z');
const p = (s: string, defaultOffset = 0): string | null => parseDate(s, { now, defaultOffset });

describe('parseDate', () => {
  it('ISO 8601 with and without zones', () => {
    expect(p('2025-07-24T21:10:33+05:00')).toBe('2025-07-24T16:10:33Z');
    expect(p('2025-07-24T21:10:33.123Z')).toBe('2025-07-24T21:10:33Z');
    expect(p('2025-07-24 21:10:33 -0400')).toBe('2025-07-25T01:10:33Z');
    expect(p('2025-07-24')).toBe('2025-07-24T00:00:00Z');
    expect(p('2025-07-24T09:00', 540)).toBe('2025-07-24T00:00:00Z');
  });

  it('English dates with weekday, time and zone abbreviation', () => {
    expect(p('Saturday, July 26, 2025 3:45 PM PKT')).toBe('2025-07-26T10:45:00Z');
    expect(p('Saturday, July 26, 2025')).toBe('2025-07-26T00:00:00Z');
    expect(p('Updated Nov. 19, 2019 9:41 a.m. EST')).toBe('2019-11-19T14:41:00Z');
    expect(p('26 July 2025 18:05 BST')).toBe('2025-07-26T17:05:00Z');
  });

  it('localised dates', () => {
    expect(p('26 juillet 2025 à 14h30 CEST')).toBe('2025-07-26T12:30:00Z');
    expect(p('26. Juli 2025, 14:30 MESZ')).toBe('2025-07-26T12:30:00Z');
    expect(p('26 de julio de 2025')).toBe('2025-07-26T00:00:00Z');
    expect(p('2025年7月26日 15時30分', 540)).toBe('2025-07-26T06:30:00Z');
    expect(p('2025.07.26 오후 3:30', 540)).toBe('2025-07-26T06:30:00Z');
  });

  it('relative dates against the fetch time', () => {
    expect(p('3 hours ago')).toBe('2025-07-26T09:00:00Z');
    expect(p('an hour ago')).toBe('2025-07-26T11:00:00Z');
    expect(p('2 days ago')).toBe('2025-07-24T12:00:00Z');
    expect(p('yesterday')).toBe('2025-07-25T12:00:00Z');
    expect(p('il y a 5 minutes')).toBe('2025-07-26T11:55:00Z');
    expect(p('vor 2 Stunden')).toBe('2025-07-26T10:00:00Z');
    expect(p('3時間前')).toBe('2025-07-26T09:00:00Z');
  });

  it('RFC 2822 and timestamps', () => {
    expect(p('Sat, 26 Jul 2025 10:00:00 GMT')).toBe('2025-07-26T10:00:00Z');
    expect(p('1753531200')).toBe('2025-07-26T12:00:00Z');
  });

  it('rejects what is not a date', () => {
    expect(p('hello world')).toBeNull();
    expect(p('')).toBeNull();
    expect(p('2025-13-45')).toBeNull();
    // Days the month does not have are refused, not rolled over into the next month.
    expect(p('2025-02-30')).toBeNull();
    expect(p('2025-02-29T10:00:00Z')).toBeNull();
    expect(p('31.04.2025')).toBeNull();
    expect(p('February 30, 2025')).toBeNull();
    expect(p('2024-02-29')).toBe('2024-02-29T00:00:00Z');
  });
});
