import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, logFormat, OutcomeSummary } from './index.ts';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, stream };
}

describe('logFormat', () => {
  it('is pretty on a development terminal and JSON otherwise, unless forced', () => {
    expect(logFormat('auto', { isTTY: true, nodeEnv: 'development' })).toBe('pretty');
    expect(logFormat('auto', { isTTY: true, nodeEnv: undefined })).toBe('pretty');
    expect(logFormat('auto', { isTTY: false, nodeEnv: 'development' })).toBe('json');
    expect(logFormat('auto', { isTTY: undefined, nodeEnv: 'development' })).toBe('json');
    expect(logFormat('auto', { isTTY: true, nodeEnv: 'production' })).toBe('json');
    expect(logFormat('auto', { isTTY: true, nodeEnv: 'test' })).toBe('json');
    expect(logFormat('json', { isTTY: true, nodeEnv: 'development' })).toBe('json');
    expect(logFormat('pretty', { isTTY: false, nodeEnv: 'production' })).toBe('pretty');
  });
});

describe('createLogger', () => {
  it('writes JSON by default and readable lines when pretty, redacting secrets in both', () => {
    const json = capture();
    createLogger({ name: 'crawler', destination: json.stream }).info({ req: { token: 's3cret' } }, 'hello');
    const entry = JSON.parse(json.lines[0]!) as Record<string, unknown>;
    expect(entry).toMatchObject({ service: 'crawler', msg: 'hello', req: { token: '[redacted]' } });

    const pretty = capture();
    createLogger({ name: 'crawler', destination: pretty.stream, format: 'pretty' }).info(
      { req: { token: 's3cret' } },
      'hello',
    );
    const text = pretty.lines.join('\n');
    expect(text).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: crawler: hello/);
    expect(text).not.toContain('s3cret');
    expect(() => JSON.parse(pretty.lines[0]!)).toThrow();
  });
});

describe('OutcomeSummary', () => {
  it('writes one line per period with counts by outcome and failures by reason', () => {
    const out = capture();
    let now = 1_000_000;
    const summary = new OutcomeSummary({
      what: 'crawl',
      logger: createLogger({ name: 'crawler', destination: out.stream }),
      now: () => now,
    });
    for (let i = 0; i < 37; i++) summary.record('fetched');
    summary.record('not-modified');
    summary.record('not-modified');
    summary.record('failed', 'http-503');
    now += 1_000;
    expect(summary.flush()).toBe('crawl: 37 fetched, 2 not-modified, 1 failed (http-503) in the last 1 s');

    // Nothing happened: no line.
    now += 1_000;
    expect(summary.flush()).toBeNull();

    summary.record('failed', 'timeout');
    summary.record('failed', 'http-503');
    summary.record('failed', 'http-503');
    summary.record('retrying', 'http-5xx');
    summary.record('indexed');
    now += 2_000;
    expect(summary.flush()).toBe(
      'crawl: 1 indexed, 1 retrying (http-5xx), 3 failed (http-503 ×2, timeout) in the last 2 s',
    );

    expect(out.lines).toHaveLength(2);
    expect(JSON.parse(out.lines[1]!)).toMatchObject({
      level: 30,
      summary: 'crawl',
      outcomes: { failed: 3, retrying: 1, indexed: 1 },
      seconds: 2,
    });
  });
});
