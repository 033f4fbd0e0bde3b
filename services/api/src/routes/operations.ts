import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { instantSchema, orderedRange } from '@gazette/runtime';
import { PARSER_VERSION } from '@gazette/extract';
import { ReindexRunningError, lockReindex, reindex, reparse } from '@gazette/batch';
import { PageLedger } from '@gazette/pipeline';
import type { AppDeps } from '../deps.ts';
import { openapi, operatorRoutes, replies } from '../openapi.ts';
import { operationSchema } from '../responses.ts';
import { sendProblem, validate } from '../problem.ts';

/** A time: a duration ago (`1h`, `2d`) or an ISO 8601 date or date-time. */
const isoDate = instantSchema;
const reparseBody = z
  .object({
    site: z
      .string()
      .regex(/^[a-z0-9.-]+$/i, 'site is a host name such as example.com')
      .optional(),
    since: isoDate.optional(),
    until: isoDate.optional(),
  })
  .strict()
  .superRefine(orderedRange);
const reindexBody = z
  .object({
    deleteOld: z.boolean().default(false),
    /** Segments per shard the new index is force-merged to (default: one; 0: not merged). */
    segments: z.number().int().min(0).max(1000).optional(),
  })
  .strict();
const opParams = z.object({ id: z.string().uuid('an operation id is a UUID') });

interface Operation {
  id: string;
  kind: 'reparse' | 'reindex';
  state: 'running' | 'done' | 'failed';
  startedAt: string;
  finishedAt?: string;
  progress?: { done: number; total?: number; phase?: string };
  result?: unknown;
  error?: string;
}

const { operator, doc } = operatorRoutes('operations');

/**
 * Operators: re-parse from the archive and re-index, started in the background
 * (202 with an operation id to poll). The same operation asked for twice while
 * it runs is the same operation; both resume from their Redis cursor.
 */
export async function operationRoutes(
  app: FastifyInstance,
  deps: Pick<AppDeps, 'es' | 'redis' | 'parse' | 'index' | 'logger' | 'context' | 'archive'>,
): Promise<void> {
  const operations = new Map<string, Operation>();
  const running = new Map<string, Operation>();

  const start = (kind: Operation['kind'], key: string, work: (op: Operation) => Promise<unknown>): Operation => {
    const existing = running.get(key);
    if (existing) return existing;
    const op: Operation = { id: randomUUID(), kind, state: 'running', startedAt: new Date().toISOString() };
    operations.set(op.id, op);
    running.set(key, op);
    work(op)
      .then((result) => Object.assign(op, { state: 'done', result }))
      .catch((error: unknown) => {
        deps.logger.error({ err: error, kind }, 'operation failed');
        Object.assign(op, { state: 'failed', error: error instanceof Error ? error.message : String(error) });
      })
      .finally(() => {
        op.finishedAt = new Date().toISOString();
        running.delete(key);
      });
    return op;
  };

  app.post(
    '/reparse',
    {
      ...operator,
      schema: doc('Re-parse archived pages (no refetch) with the current parser; documents are updated in place', {
        body: openapi(reparseBody),
        response: replies({ 202: operationSchema }, [400]),
      }),
    },
    async (request, reply) => {
      const body = validate(reparseBody, request.body ?? {});
      if (!body.ok) return sendProblem(reply, 400, body.detail);
      const { site, since, until } = body.value;
      const ledger = new PageLedger(deps.redis, deps.context.prefix);
      const op = start('reparse', `reparse:${JSON.stringify(body.value)}`, (o) =>
        reparse({
          archive: deps.archive,
          parse: deps.parse,
          redis: deps.redis,
          prefix: deps.context.prefix,
          ledger,
          parserVersion: PARSER_VERSION,
          ...(site ? { site } : {}),
          ...(since ? { since: new Date(since) } : {}),
          ...(until ? { until: new Date(until) } : {}),
          onProgress: (p) => (o.progress = p),
        }),
      );
      return reply.status(202).send(op);
    },
  );

  app.post(
    '/reindex',
    {
      ...operator,
      schema: doc(
        'Build a new index version behind the alias and switch to it; searches keep working. ' +
          'One reindex per alias at a time: 409 while one started elsewhere (another api process, the CLI) runs',
        {
          body: openapi(reindexBody),
          response: replies({ 202: operationSchema }, [400, 409]),
        },
      ),
    },
    async (request, reply) => {
      const body = validate(reindexBody, request.body ?? {});
      if (!body.ok) return sendProblem(reply, 400, body.detail);
      const mine = running.get('reindex');
      if (mine) return reply.status(202).send(mine);
      // Taken before answering, so a refusal is this request's 409, not a failed operation later.
      let lock;
      try {
        lock = await lockReindex(deps.redis, deps.context.prefix, deps.index);
      } catch (error) {
        if (error instanceof ReindexRunningError) return sendProblem(reply, 409, `[${error.reason}] ${error.message}`);
        throw error;
      }
      const op = start('reindex', 'reindex', (o) =>
        reindex({
          es: deps.es,
          redis: deps.redis,
          prefix: deps.context.prefix,
          alias: deps.index,
          deleteOld: body.value.deleteOld,
          ...(body.value.segments !== undefined ? { mergeSegments: body.value.segments } : {}),
          lock,
          onProgress: (p) => (o.progress = p),
        }),
      );
      return reply.status(202).send(op);
    },
  );

  app.get(
    '/operations/:id',
    {
      ...operator,
      schema: doc('State, progress and result of a re-parse or re-index', {
        params: openapi(opParams),
        response: replies({ 200: operationSchema }, [400, 404]),
      }),
    },
    async (request, reply) => {
      const p = validate(opParams, request.params);
      if (!p.ok) return sendProblem(reply, 400, p.detail);
      return operations.get(p.value.id) ?? sendProblem(reply, 404, `no operation ${p.value.id} in this api process`);
    },
  );
}
