import { errors } from '@elastic/elasticsearch';
import { describe, expect, it } from 'vitest';
import { PermanentError, RetryableError } from '@gazette/errors';
import { serverFailure } from './problem.ts';

describe('serverFailure', () => {
  it('answers 500 to an unexpected error', () => {
    expect(serverFailure(new TypeError('x is undefined'))).toEqual({
      code: 500,
      detail: 'unexpected error; see the API log',
    });
    expect(serverFailure(new PermanentError('bad', 'bad thing')).code).toBe(500);
  });

  it('answers 503 when Elasticsearch or another retryable cause is away', () => {
    const down = new errors.ConnectionError('connect ECONNREFUSED');
    expect(serverFailure(down)).toMatchObject({ code: 503, detail: expect.stringContaining('unreachable') });
    expect(serverFailure(new RetryableError('redis-down', 'Redis is away')).code).toBe(503);
  });
});
