import { errors } from '@elastic/elasticsearch';
import { GazetteError } from '@gazette/errors';
import { classifySearchError, isIndexMissing } from '@gazette/search';
import type { FastifyReply } from 'fastify';
import type { z } from 'zod';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export const titleOf = (status: number): string =>
  TITLES[status] ?? (status < 500 ? 'Bad Request' : 'Internal Server Error');

/** An RFC 9457 problem document. */
export function problem(status: number, title: string, detail: string) {
  return { type: 'about:blank', title, status, detail };
}

export function sendProblem(reply: FastifyReply, status: number, detail: string): FastifyReply {
  return reply
    .status(status)
    .type('application/problem+json')
    .send(problem(status, titleOf(status), detail));
}

/** Validates with zod; on failure the result says what was wrong, path by path. */
export function validate<T>(
  schema: z.ZodType<T>,
  value: unknown,
): { ok: true; value: T } | { ok: false; detail: string } {
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, value: result.data };
  // A query parameter given twice (`?k=5&k=6`) arrives as a list; a single-valued one then fails
  // with a message about its type or its allowed values. Say what happened instead. (A list where a
  // list belongs, too long or too short, keeps its own message.)
  const given = (key: PropertyKey | undefined) =>
    typeof value === 'object' && value !== null && key !== undefined
      ? (value as Record<PropertyKey, unknown>)[key]
      : undefined;
  const givenTwice = (i: z.core.$ZodIssue) =>
    i.path.length === 1 &&
    Array.isArray(given(i.path[0])) &&
    (i.code === 'invalid_value' || (i.code === 'invalid_type' && i.expected !== 'array'));
  return {
    ok: false,
    detail: result.error.issues
      .map((i) => {
        const message = givenTwice(i) ? 'given more than once; give it once' : i.message;
        return `${i.path.join('.') || 'body'}: ${message}`;
      })
      .join('; '),
  };
}

/**
 * Status and detail for an error a handler did not turn into a response:
 * 503 when Elasticsearch (or another retryable cause) is away, so the client
 * may try again later, or when the articles index does not exist yet (the
 * indexer creates it when it starts); 500 for anything else. An answer of
 * Elasticsearch's is never the client's mistake, whatever its status.
 */
export function serverFailure(error: unknown): { code: 500 | 503; detail: string } {
  if (isIndexMissing(error)) {
    return {
      code: 503,
      detail:
        'the articles index does not exist yet: the indexer creates it when it starts (check ES_INDEX if one is running)',
    };
  }
  const known =
    error instanceof GazetteError
      ? error
      : error instanceof errors.ElasticsearchClientError
        ? classifySearchError(error, 'request')
        : undefined;
  if (known?.retryable) return { code: 503, detail: known.message };
  return { code: 500, detail: known?.message ?? 'unexpected error; see the API log' };
}
