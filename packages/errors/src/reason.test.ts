import { describe, expect, it } from 'vitest';
import { formatReason, parseReason } from './reason.ts';

describe('reason codes in failure messages', () => {
  it('reads back the code it wrote', () => {
    const text = formatReason('http-404', 'GET https://example.com/a returned 404');
    expect(text).toBe('[http-404] GET https://example.com/a returned 404');
    expect(parseReason(text)).toBe('http-404');
    expect(parseReason(formatReason('extract.too-short', 'x'))).toBe('extract.too-short');
  });

  it('calls a message without a code unexpected', () => {
    expect(parseReason('job stalled more than allowable limit')).toBe('unexpected');
    expect(parseReason(undefined)).toBe('unexpected');
    expect(parseReason('x [http-404] later in the text')).toBe('unexpected');
  });
});
