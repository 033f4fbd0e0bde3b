import type { FastifyInstance } from 'fastify';
import { z } from 'zod';

/**
 * An OpenAPI 3.0 schema object for a zod schema: what a request may send (`input`, the schema the
 * handler validates with) or what a response holds (`output`). The handlers validate with zod; the
 * document is generated from the same schemas.
 */
export function openapi(schema: z.ZodType, io: 'input' | 'output' = 'input'): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { target: 'openapi-3.0', unrepresentable: 'any', io }) as Record<string, unknown>;
  delete json.$schema;
  return json;
}

/**
 * The responses of a route for the OpenAPI document: the success schemas by status code (`null`:
 * no body), and the problem documents of the listed error codes.
 */
export function replies(
  ok: Record<number, z.ZodType | null>,
  errors: number[] = [],
): Record<number, Record<string, unknown>> {
  const out: Record<number, Record<string, unknown>> = {};
  for (const [code, schema] of Object.entries(ok)) {
    out[Number(code)] = schema
      ? { description: schema.description ?? 'OK', ...openapi(schema, 'output') }
      : { description: 'No content', type: 'null' };
  }
  for (const code of errors) out[code] = problemResponse;
  return out;
}

/**
 * Route schemas are documentation: zod validates in the handlers (clear messages, problem
 * documents), and responses are sent as the handlers built them (a test checks every route's
 * replies against the document).
 */
export function documentationSchemas(app: FastifyInstance): void {
  app.setValidatorCompiler(() => (data) => ({ value: data }));
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
}

export const operatorSecurity = [{ operatorToken: [] }];
export const readSecurity: Array<Record<string, string[]>> = [{ readToken: [] }, { operatorToken: [] }];

/**
 * Options of operator routes under one OpenAPI tag, used as
 * `{ ...operator, schema: doc(summary, { params, body }) }`.
 */
export function operatorRoutes(tag: string) {
  return {
    operator: { config: { access: 'operator' as const } },
    doc: (summary: string, extra: Record<string, unknown> = {}) => ({
      tags: [tag],
      summary,
      security: operatorSecurity,
      ...extra,
      ...(extra.response
        ? { response: { ...(extra.response as object), 401: problemResponse, 403: problemResponse } }
        : {}),
    }),
  };
}

/** Options of read routes: the read token (or the operator token) when one is configured. */
export const readRoute = {
  config: { access: 'read' as const },
  schema: { tags: ['read'], security: readSecurity },
};

/** Options of one read route with its summary, parameters and responses. */
export function readDoc(summary: string, extra: Record<string, unknown> = {}) {
  return {
    config: readRoute.config,
    schema: {
      ...readRoute.schema,
      summary,
      ...extra,
      ...(extra.response
        ? { response: { ...(extra.response as object), 401: problemResponse, 403: problemResponse } }
        : {}),
    },
  };
}

export const problemResponse = {
  description: 'A problem document (application/problem+json) whose detail says what was wrong',
  type: 'object',
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
  },
};
