import { errors } from '@elastic/elasticsearch';
import { describe, expect, it } from 'vitest';
import { PermanentError, RetryableError } from '@gazette/errors';
import { z } from 'zod';
import { serverFailure, validate } from './problem.ts';

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

  it('answers 503 saying so when the articles index does not exist yet, without Elasticsearch’s words', () => {
    const missing = new errors.ResponseError({
      body: { error: { type: 'index_not_found_exception', reason: 'no such index [gazette-articles]' } },
      statusCode: 404,
      headers: {},
      warnings: null,
      meta: {} as never,
    });
    const answer = serverFailure(missing);
    expect(answer.code).toBe(503);
    expect(answer.detail).toMatch(/^the articles index does not exist yet/);
    expect(answer.detail).not.toContain('exception');
  });
});

describe('validate', () => {
  const query = z.object({ k: z.coerce.number().int().min(1), site: z.array(z.string()).optional() }).strict();

  it('says a single-valued parameter was given more than once instead of blaming its type', () => {
    expect(validate(query, { k: ['5', '6'] })).toEqual({ ok: false, detail: 'k: given more than once; give it once' });
    expect(validate(query, { k: ['5', 'x', '7'], site: ['a', 'b'] })).toEqual({
      ok: false,
      detail: 'k: given more than once; give it once',
    });
  });

  it('keeps the message of a list where a list belongs, and of an enum given twice says so', () => {
    const body = z.object({ urls: z.array(z.string()).max(2), sort: z.enum(['date', 'relevance']).optional() });
    expect(validate(body, { urls: ['a', 'b', 'c'] })).toEqual({
      ok: false,
      detail: 'urls: Too big: expected array to have <=2 items',
    });
    expect(validate(body, { urls: ['a'], sort: ['date', 'date'] })).toEqual({
      ok: false,
      detail: 'sort: given more than once; give it once',
    });
  });

  it('keeps the schema’s own message otherwise, and passes valid input through', () => {
    expect(validate(query, { k: '0' })).toEqual({ ok: false, detail: 'k: Too small: expected number to be >=1' });
    expect(validate(query, { k: '3', site: ['a', 'b'] })).toEqual({ ok: true, value: { k: 3, site: ['a', 'b'] } });
  });
});
