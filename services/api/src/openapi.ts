import { z } from 'zod';

/** An OpenAPI 3.0 schema object for a zod schema (documentation only: zod validates in the handler). */
export function openapi(schema: z.ZodType): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { target: 'openapi-3.0', unrepresentable: 'any', io: 'input' }) as Record<
    string,
    unknown
  >;
  delete json.$schema;
  return json;
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
    }),
  };
}

/** Options of read routes: the read token (or the operator token) when one is configured. */
export const readRoute = {
  config: { access: 'read' as const },
  schema: { tags: ['read'], security: readSecurity },
};

export const problemResponse = {
  description: 'A problem document (application/problem+json) whose detail says what was wrong',
  type: 'object',
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
  },
};
