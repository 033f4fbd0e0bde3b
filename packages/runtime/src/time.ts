import { z } from 'zod';

const UNITS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 } as const;

/** A time given as a duration ago (`90s`, `30m`, `1h`, `2d`, `1w`) or an ISO 8601 date or date-time. */
export class InstantError extends Error {
  override name = 'InstantError';
  readonly reason = 'invalid-time';
}

/**
 * The one reading of a time an operator or a consumer gives: a duration ago (`30m`, `1h`, `2d`,
 * `1w`, counted back from `now`) or an ISO 8601 date (`2026-11-28`) or date-time
 * (`2026-11-28T06:00:00Z`, with an offset or Z). Anything else throws an {@link InstantError}.
 */
export function parseInstant(value: string, now = Date.now()): Date {
  const text = value.trim();
  const relative = /^(\d+)\s*(s|m|h|d|w)$/.exec(text);
  if (relative) {
    const date = new Date(now - Number(relative[1]) * UNITS[relative[2] as keyof typeof UNITS]);
    if (Number.isNaN(date.getTime()) || date.getTime() < FIRST_DAY) {
      throw new InstantError(`"${value}" reaches back before the year 1`);
    }
    return date;
  }
  const absolute = /^(\d{4})-(\d{2})-(\d{2})(?:$|T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2}))$/.exec(text);
  if (absolute) {
    const [, year, month, day] = absolute.map(Number) as [number, number, number, number];
    // The engine reads 2026-02-30 as 2 March; a day the month does not have is a mistake.
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
      throw new InstantError(`"${value}" names a day that does not exist`);
    }
    const date = new Date(text);
    if (!Number.isNaN(date.getTime())) return date;
  }
  throw new InstantError(
    `"${value}" is neither a duration ago (30m, 1h, 2d, 1w) nor an ISO 8601 date or date-time with an offset`,
  );
}

/** 0001-01-01T00:00:00Z: a duration ago that reaches further back is no date a search can take. */
const FIRST_DAY = Date.parse('0001-01-01T00:00:00Z');

function daysInMonth(year: number, month: number): number {
  // The Gregorian calendar repeats every 400 years; Date.UTC reads years 0-99 as 1900-1999.
  return new Date(Date.UTC(2000 + (year % 400), month, 0)).getUTCDate();
}

/**
 * A query or body holding `since` and `until` ({@link instantSchema}): `since` after `until` is a
 * range that can hold nothing, a client mistake rather than an empty answer. For `.superRefine`.
 */
export function orderedRange(
  value: { since?: string | undefined; until?: string | undefined },
  ctx: z.RefinementCtx,
): void {
  if (value.since && value.until && value.since > value.until) {
    ctx.addIssue({
      code: 'custom',
      path: ['since'],
      message: `${value.since} is after until (${value.until})`,
    });
  }
}

/** A query or body field holding a time ({@link parseInstant}); parsed to an ISO 8601 date-time string. */
export const instantSchema = z
  .string()
  .describe('a duration ago (30m, 1h, 2d, 1w) or an ISO 8601 date or date-time')
  .transform((value, ctx) => {
    try {
      return parseInstant(value).toISOString();
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
      return z.NEVER;
    }
  });
