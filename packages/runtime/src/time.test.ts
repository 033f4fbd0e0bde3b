import { describe, expect, it } from 'vitest';
import { InstantError, instantSchema, parseInstant } from './time.ts';

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

  it('is the schema the api validates with', () => {
    expect(instantSchema.safeParse('2026-11-28').data).toBe('2026-11-28T00:00:00.000Z');
    const bad = instantSchema.safeParse('soon');
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toContain('neither a duration ago');
  });
});
