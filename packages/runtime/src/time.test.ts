import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { InstantError, instantSchema, orderedRange, parseInstant } from './time.ts';

const now = Date.parse('2026-11-29T12:00:00.000Z');

describe('parseInstant', () => {
  it('reads durations ago', () => {
    expect(parseInstant('30m', now).toISOString()).toBe('2026-11-29T11:30:00.000Z');
    expect(parseInstant('1h', now).toISOString()).toBe('2026-11-29T11:00:00.000Z');
    expect(parseInstant('2d', now).toISOString()).toBe('2026-11-27T12:00:00.000Z');
    expect(parseInstant('1w', now).toISOString()).toBe('2026-11-22T12:00:00.000Z');
    expect(parseInstant('90s', now).toISOString()).toBe('2026-11-29T11:58:30.000Z');
  });

  it('reads ISO 8601 dates and date-times', () => {
    expect(parseInstant('2026-11-28').toISOString()).toBe('2026-11-28T00:00:00.000Z');
    expect(parseInstant('2026-11-28T06:00:00Z').toISOString()).toBe('2026-11-28T06:00:00.000Z');
    expect(parseInstant('2026-11-28T06:00:00+02:00').toISOString()).toBe('2026-11-28T04:00:00.000Z');
  });

  it('refuses anything else with a typed error', () => {
    for (const bad of ['yesterday', '1y', '-1h', '2026-13-40', '2026-11-28T06:00:00', '1700000000']) {
      expect(() => parseInstant(bad, now)).toThrow(InstantError);
    }
  });

  it('refuses a day the month does not have, which the engine would roll into the next month', () => {
    for (const bad of ['2026-02-29', '2026-02-30', '2026-04-31', '2026-00-10', '2026-01-00', '1900-02-29']) {
      expect(() => parseInstant(bad, now)).toThrow(/names a day that does not exist|neither a duration ago/);
    }
    expect(() => parseInstant('2026-02-30T10:00:00Z', now)).toThrow(
      '"2026-02-30T10:00:00Z" names a day that does not exist',
    );
    for (const leapDay of ['2024-02-29', '2000-02-29', '0400-02-29', '2026-12-31T23:59:59Z']) {
      expect(parseInstant(leapDay, now).toISOString().slice(0, 10)).toBe(leapDay.slice(0, 10));
    }
  });

  it('refuses a duration that reaches back before the year 1', () => {
    expect(() => parseInstant('9999999d', now)).toThrow('"9999999d" reaches back before the year 1');
    expect(() => parseInstant('99999999999999999999w', now)).toThrow(InstantError);
    expect(parseInstant('700000d', now).getUTCFullYear()).toBe(110);
  });

  it('is the schema the api validates with', () => {
    expect(instantSchema.safeParse('2026-11-28').data).toBe('2026-11-28T00:00:00.000Z');
    const bad = instantSchema.safeParse('soon');
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toContain('neither a duration ago');
  });
});

describe('orderedRange', () => {
  const range = z
    .object({ since: instantSchema.optional(), until: instantSchema.optional() })
    .superRefine(orderedRange);

  it('refuses since after until, and lets every other combination through', () => {
    const inverted = range.safeParse({ since: '2026-06-01', until: '2026-01-01' });
    expect(inverted.success).toBe(false);
    expect(inverted.error?.issues[0]).toMatchObject({
      path: ['since'],
      message: '2026-06-01T00:00:00.000Z is after until (2026-01-01T00:00:00.000Z)',
    });
    expect(range.safeParse({ since: '2026-01-01', until: '2026-01-01' }).success).toBe(true);
    expect(range.safeParse({ since: '2026-01-01', until: '2026-06-01' }).success).toBe(true);
    expect(range.safeParse({ since: '2026-06-01' }).success).toBe(true);
    expect(range.safeParse({ until: '2026-01-01' }).success).toBe(true);
  });
});
