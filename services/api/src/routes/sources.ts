import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { SourceExistsError, SourceNotFoundError, newSourceSchema, sourcePatchSchema } from '@gazette/sources';
import { crawlUrlProblem, type NetworkGuard } from '@gazette/fetch';
import type { AppDeps } from '../deps.ts';
import { openapi, operatorRoutes, replies } from '../openapi.ts';
import { runQueuedSchema, runsListSchema, sourceViewSchema, sourcesListSchema } from '../responses.ts';
import { sendProblem, validate } from '../problem.ts';

const idParams = z.object({ id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'a source id is a lower-case slug') });
const { operator, doc } = operatorRoutes('sources');
const params = { params: openapi(idParams) };
const runsQuery = z.object({ limit: z.coerce.number().int().min(1).max(50).default(20) }).strict();
const runBody = z
  .object({ force: z.boolean().default(false).describe('refetch every URL found, seen or not') })
  .strict()
  .default({ force: false });

/** Operators: sources and their schedules. */
/** Seeds, feeds and sitemaps the crawler would refuse (an address the network guard blocks), path by path. */
function refusedUrls(guard: NetworkGuard, source: unknown): string | null {
  const s = (source ?? {}) as Record<string, unknown>;
  const problems: string[] = [];
  for (const field of ['seeds', 'feeds', 'sitemaps']) {
    const urls = s[field];
    if (!Array.isArray(urls)) continue;
    urls.forEach((url, i) => {
      const problem = typeof url === 'string' ? crawlUrlProblem(url, guard) : null;
      if (problem) problems.push(`source.${field}.${i}: ${problem.reason}: ${problem.message}`);
    });
  }
  return problems.length > 0 ? problems.join('; ') : null;
}

export async function sourceRoutes(
  app: FastifyInstance,
  deps: Pick<AppDeps, 'sources'> & { guard: NetworkGuard },
): Promise<void> {
  const { guard } = deps;
  const { sources } = deps;

  app.get(
    '/sources',
    {
      ...operator,
      schema: doc('List sources with their schedule, next and last run', {
        response: replies({ 200: sourcesListSchema }),
      }),
    },
    async () => ({
      sources: await sources.list(),
    }),
  );

  app.post(
    '/sources',
    {
      ...operator,
      schema: doc('Add a source; its schedule defaults to every recrawlIntervalMs (null: manual runs only)', {
        body: openapi(newSourceSchema),
        response: replies({ 201: sourceViewSchema }, [400, 409]),
      }),
    },
    async (request, reply) => {
      const body = validate(newSourceSchema, request.body);
      if (!body.ok) return sendProblem(reply, 400, body.detail);
      const refused = refusedUrls(guard, body.value.source);
      if (refused) return sendProblem(reply, 400, refused);
      try {
        return reply.status(201).send(await sources.create(body.value));
      } catch (error) {
        if (error instanceof SourceExistsError) return sendProblem(reply, 409, error.message);
        throw error;
      }
    },
  );

  const oneSource = { ...params, response: replies({ 200: sourceViewSchema }, [400, 404]) };
  app.get('/sources/:id', { ...operator, schema: doc('One source', oneSource) }, async (request, reply) => {
    const p = validate(idParams, request.params);
    if (!p.ok) return sendProblem(reply, 400, p.detail);
    const view = await sources.get(p.value.id);
    return view ?? sendProblem(reply, 404, `no source with id ${p.value.id}`);
  });

  app.get(
    '/sources/:id/runs',
    {
      ...operator,
      schema: doc('Recent runs of a source with their totals, newest first', {
        ...params,
        querystring: openapi(runsQuery),
        response: replies({ 200: runsListSchema }, [400, 404]),
      }),
    },
    async (request, reply) => {
      const p = validate(idParams, request.params);
      if (!p.ok) return sendProblem(reply, 400, p.detail);
      const q = validate(runsQuery, request.query);
      if (!q.ok) return sendProblem(reply, 400, q.detail);
      if (!(await sources.store.get(p.value.id))) return sendProblem(reply, 404, `no source with id ${p.value.id}`);
      return { runs: await sources.runs(p.value.id, q.value.limit) };
    },
  );

  app.patch(
    '/sources/:id',
    {
      ...operator,
      schema: doc('Change a source, its schedule or its pause state', {
        ...oneSource,
        body: openapi(sourcePatchSchema),
      }),
    },
    async (request, reply) => {
      const p = validate(idParams, request.params);
      if (!p.ok) return sendProblem(reply, 400, p.detail);
      const body = validate(sourcePatchSchema, request.body);
      if (!body.ok) return sendProblem(reply, 400, body.detail);
      const refused = refusedUrls(guard, body.value.source);
      if (refused) return sendProblem(reply, 400, refused);
      return withSource(reply, () => sources.update(p.value.id, body.value));
    },
  );

  app.delete(
    '/sources/:id',
    {
      ...operator,
      schema: doc('Delete a source and its schedule', { ...params, response: replies({ 204: null }, [400, 404]) }),
    },
    async (request, reply) => {
      const p = validate(idParams, request.params);
      if (!p.ok) return sendProblem(reply, 400, p.detail);
      if (!(await sources.remove(p.value.id))) return sendProblem(reply, 404, `no source with id ${p.value.id}`);
      return reply.status(204).send();
    },
  );

  for (const action of ['pause', 'resume'] as const) {
    app.post(
      `/sources/:id/${action}`,
      {
        ...operator,
        schema: doc(
          action === 'pause' ? 'Stop the schedule (the source stays)' : 'Start the schedule again',
          oneSource,
        ),
      },
      async (request, reply) => {
        const p = validate(idParams, request.params);
        if (!p.ok) return sendProblem(reply, 400, p.detail);
        return withSource(reply, () => sources[action](p.value.id));
      },
    );
  }

  app.post(
    '/sources/:id/run',
    {
      ...operator,
      schema: doc('Run the source now (force: refetch everything)', {
        ...params,
        body: openapi(runBody),
        response: replies({ 202: runQueuedSchema }, [400, 404]),
      }),
    },
    async (request, reply) => {
      const p = validate(idParams, request.params);
      if (!p.ok) return sendProblem(reply, 400, p.detail);
      const body = validate(runBody, request.body ?? undefined);
      if (!body.ok) return sendProblem(reply, 400, body.detail);
      return withSource(reply, async () =>
        reply.status(202).send(await sources.runNow(p.value.id, { force: body.value.force })),
      );
    },
  );
}

async function withSource<T>(reply: FastifyReply, action: () => Promise<T>) {
  try {
    return await action();
  } catch (error) {
    if (error instanceof SourceNotFoundError) return sendProblem(reply, 404, error.message);
    if (error instanceof z.ZodError) {
      return sendProblem(reply, 400, error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
    }
    throw error;
  }
}
