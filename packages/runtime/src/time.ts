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
  if (relative) return new Date(now - Number(relative[1]) * UNITS[relative[2] as keyof typeof UNITS]);
  if (/^\d{4}-\d{2}-\d{2}(?:$|T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2}))$/.test(text)) {
    const date = new Date(text);
    if (!Number.isNaN(date.getTime())) return date;
  }
  throw new InstantError(
    `"${value}" is neither a duration ago (30m, 1h, 2d, 1w) nor an ISO 8601 date or date-time with an offset`,
  );
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
