import { describe, expect, it } from 'vitest';
import { UsageError } from '../command.ts';
import { dateRange, parseOptions } from './es-options.ts';

const parse = (...argv: string[]) => parseOptions(argv, ['since', 'until'], []);

describe('dateRange', () => {
  it('reads --since and --until as ISO date-times', () => {
    expect(dateRange(parse('--since', '2026-01-01', '--until', '2026-02-01T12:00:00Z'))).toEqual({
      since: '2026-01-01T00:00:00.000Z',
      until: '2026-02-01T12:00:00.000Z',
    });
    expect(dateRange(parse())).toEqual({ since: undefined, until: undefined });
  });

  it('refuses a range that ends before it starts, and a day the calendar does not have', () => {
    expect(() => dateRange(parse('--since', '2026-06-01', '--until', '2026-01-01'))).toThrow(
      new UsageError('--since (2026-06-01T00:00:00.000Z) is after --until (2026-01-01T00:00:00.000Z)'),
    );
    expect(() => dateRange(parse('--until', '2026-02-30'))).toThrow(
      '--until: "2026-02-30" names a day that does not exist',
    );
  });
});
