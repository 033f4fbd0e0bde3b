import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { components } from './responses.ts';

/** Where a shared shape lives in the document. */
const componentRef = (id: string) => `#/components/schemas/${id}`;

/** Points zod's local definitions (`#/definitions/X`) at the document's components, recursively. */
function toComponentRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toComponentRefs);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' && typeof value === 'string' && value.startsWith('#/definitions/'))
      out[key] = componentRef(value.slice('#/definitions/'.length));
    else if (key !== 'definitions' && key !== '$id') out[key] = toComponentRefs(value);
  }
  // A nullable reference (`{ nullable, allOf: [{ $ref }] }`): OpenAPI 3.0's `nullable` needs a type,
  // so it is spelled as either the shape or null.
  if (out.nullable === true && out.type === undefined && Array.isArray(out.allOf) && out.allOf.length === 1) {
    const { nullable: _n, allOf, ...rest } = out;
    return { ...rest, anyOf: [allOf[0], { type: 'object', nullable: true, enum: [null] }] };
  }
  return out;
}

/**
 * The document's `components.schemas`: every shape registered in `components` (responses.ts),
 * generated from its zod schema, referring to the others by `$ref`.
 */
export function componentSchemas(): Record<string, unknown> {
  const json = z.toJSONSchema(components, {
    target: 'openapi-3.0',
    unrepresentable: 'any',
    io: 'output',
    uri: componentRef,
  }) as { schemas: Record<string, unknown> };
  return Object.fromEntries(
    Object.entries(json.schemas).map(([id, schema]) => {
      const { $schema: _drop, ...rest } = toComponentRefs(schema) as Record<string, unknown>;
      return [id, rest];
    }),
  );
}

/**
 * An OpenAPI 3.0 schema object for a zod schema: what a request may send (`input`, the schema the
 * handler validates with) or what a response holds (`output`). The handlers validate with zod; the
 * document is generated from the same schemas.
 */
export function openapi(schema: z.ZodType, io: 'input' | 'output' = 'input'): Record<string, unknown> {
  if (io === 'input') {
    const json = z.toJSONSchema(schema, { target: 'openapi-3.0', unrepresentable: 'any', io }) as Record<
      string,
      unknown
    >;
    delete json.$schema;
    return json;
  }
  // Responses: shared shapes are references to `components.schemas`, not copies.
  const id = components.get(schema)?.id;
  if (id) return { $ref: componentRef(id) };
  const json = z.toJSONSchema(schema, {
    target: 'openapi-3.0',
    unrepresentable: 'any',
    io,
    metadata: components,
  }) as Record<string, unknown>;
  delete json.$schema;
  return toComponentRefs(json) as Record<string, unknown>;
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
      ? { ...openapi(schema, 'output'), description: schema.description ?? 'OK' }
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
  $ref: componentRef('Problem'),
};
