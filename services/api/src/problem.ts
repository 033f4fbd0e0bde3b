import type { FastifyReply } from 'fastify';
import type { z } from 'zod';

/** An RFC 9457 problem document. */
export function problem(status: number, title: string, detail: string) {
  return { type: 'about:blank', title, status, detail };
}

export function sendProblem(reply: FastifyReply, status: number, detail: string): FastifyReply {
  const title = status === 404 ? 'Not Found' : status < 500 ? 'Bad Request' : 'Internal Server Error';
  return reply
    .status(status)
    .type('application/problem+json')
    .send(problem(status, title, detail));
}

/** Validates with zod; on failure the result says what was wrong, path by path. */
export function validate<T>(
  schema: z.ZodType<T>,
  value: unknown,
): { ok: true; value: T } | { ok: false; detail: string } {
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, value: result.data };
  return {
    ok: false,
    detail: result.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '),
  };
}
