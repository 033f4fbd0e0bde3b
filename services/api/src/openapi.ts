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
export const readSecurity = [{ readToken: [] }, { operatorToken: [] }];

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
