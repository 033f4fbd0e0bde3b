import type { FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { crawlUrlProblem, type NetworkGuard } from '@gazette/fetch';
import { crawlScopeSchema, renderModeSchema } from '@gazette/jobs';
import type { AppDeps } from '../deps.ts';
import { openapi, operatorRoutes, replies } from '../openapi.ts';
import { crawlAcceptedSchema } from '../responses.ts';
import { sendProblem, validate } from '../problem.ts';

/** A URL the crawler would fetch: http(s), a host, no credentials, not an address the network guard refuses. */
export const crawlableUrl = (guard: NetworkGuard) =>
  z.string().superRefine((url, ctx) => {
    const problem = crawlUrlProblem(url, guard);
    if (problem) ctx.addIssue({ code: 'custom', message: `${problem.reason}: ${problem.message}` });
  });

const crawlBodyFor = (guard: NetworkGuard) =>
  z
    .object({
      urls: z.array(crawlableUrl(guard)).min(1).max(10_000),
      scope: crawlScopeSchema.omit({ runId: true }).partial().optional(),
      /** Fetch again what was seen before (once per URL in this run), without conditional headers. */
      force: z.boolean().optional(),
      /** Render the pages in a browser: `never` (default), `always`, or `auto` (empty application shells). */
      render: renderModeSchema.optional(),
    })
    .strict();

/** Operators: queue URLs for crawling. */
export async function crawlRoutes(
  app: FastifyInstance,
  deps: Pick<AppDeps, 'crawl'> & { guard: NetworkGuard },
): Promise<void> {
  const crawlBody = crawlBodyFor(deps.guard);
  const { operator, doc } = operatorRoutes('crawl');
  const schema = doc('Queue URLs for crawling; links are followed within the scope', {
    body: openapi(crawlBody),
    response: replies({ 202: crawlAcceptedSchema }, [400]),
  });
  app.post('/crawl', { ...operator, schema }, async (request, reply) => {
    const body = validate(crawlBody, request.body);
    if (!body.ok) return sendProblem(reply, 400, body.detail);
    const runId = randomUUID();
    const render = body.value.render ?? body.value.scope?.render;
    const scope = crawlScopeSchema.parse({
      ...body.value.scope,
      runId,
      ...(render && render !== 'never' ? { render } : {}),
    });
    const jobs = await deps.crawl.addBulk(
      body.value.urls.map((url) => ({
        payload: {
          url,
          depth: 0,
          scope,
          hints: { from: 'api' as const },
          ...(body.value.force ? { force: true } : {}),
        },
      })),
    );
    return reply.status(202).send({ accepted: jobs.length, runId, jobIds: jobs.map((j) => j.id) });
  });
}
