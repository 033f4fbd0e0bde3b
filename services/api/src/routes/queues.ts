import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { instantSchema } from '@gazette/runtime';
import { queueNames, type QueueName } from '@gazette/jobs';
import { listFailed, queueStats, replayFailed } from '@gazette/jobs';
import { RunAccounting } from '@gazette/pipeline';
import type { AppDeps } from '../deps.ts';
import { openapi, operatorRoutes, replies } from '../openapi.ts';
import { failedJobsSchema, queuesSchema, replayResultSchema } from '../responses.ts';
import { sendProblem, validate } from '../problem.ts';

const queueParams = z.object({
  queue: z.enum(queueNames as [QueueName, ...QueueName[]], { message: `queue is one of ${queueNames.join(', ')}` }),
});
/** A time: a duration ago (`1h`, `2d`) or an ISO 8601 date or date-time. */
const isoDate = instantSchema;
const filterShape = {
  since: isoDate.optional(),
  reason: z
    .string()
    .regex(/^[\w.-]+\*?$/, 'reason is a reason code such as http-404, or a prefix ending in * such as http-*')
    .optional(),
};
const failedQuery = z
  .object({ ...filterShape, limit: z.coerce.number().int().min(1).max(1_000).default(100) })
  .strict();
const replayBody = z
  .object({ ...filterShape, limit: z.number().int().min(1).max(100_000).optional(), dryRun: z.boolean().optional() })
  .strict();

const { operator, doc } = operatorRoutes('queues');

/** Operators: queue statistics, dead letters and replay. */
export async function queueRoutes(app: FastifyInstance, deps: Pick<AppDeps, 'context'>): Promise<void> {
  const runs = new RunAccounting(deps.context.connection, deps.context.prefix);
  app.get(
    '/queues',
    {
      ...operator,
      schema: doc('Jobs per state and age of the oldest waiting job, per queue', {
        response: replies({ 200: queuesSchema }),
      }),
    },
    async () => ({
      queues: await queueStats(deps.context),
    }),
  );

  app.get(
    '/queues/:queue/failed',
    {
      ...operator,
      schema: doc('Failed jobs (dead letters) with payload, reason and attempt history, newest first', {
        params: openapi(queueParams),
        querystring: openapi(failedQuery),
        response: replies({ 200: failedJobsSchema }, [400]),
      }),
    },
    async (request, reply) => {
      const p = validate(queueParams, request.params);
      const q = validate(failedQuery, request.query);
      if (!p.ok || !q.ok) return sendProblem(reply, 400, [p, q].flatMap((r) => (r.ok ? [] : [r.detail])).join('; '));
      const jobs = await listFailed(deps.context, p.value.queue, {
        limit: q.value.limit,
        ...(q.value.since ? { since: new Date(q.value.since) } : {}),
        ...(q.value.reason ? { reason: q.value.reason } : {}),
      });
      return { queue: p.value.queue, jobs };
    },
  );

  app.post(
    '/queues/:queue/replay',
    {
      ...operator,
      schema: doc('Re-run failed jobs matching the filter, with fresh attempts', {
        params: openapi(queueParams),
        body: openapi(replayBody),
        response: replies({ 200: replayResultSchema }, [400]),
      }),
    },
    async (request, reply) => {
      const p = validate(queueParams, request.params);
      const b = validate(replayBody, request.body ?? {});
      if (!p.ok || !b.ok) return sendProblem(reply, 400, [p, b].flatMap((r) => (r.ok ? [] : [r.detail])).join('; '));
      return replayFailed(deps.context, p.value.queue, {
        ...(b.value.since ? { since: new Date(b.value.since) } : {}),
        ...(b.value.reason ? { reason: b.value.reason } : {}),
        ...(b.value.limit ? { limit: b.value.limit } : {}),
        ...(b.value.dryRun ? { dryRun: true } : {}),
        // A replayed job of a source run is open in its run again.
        beforeReplay: runs.beforeReplay,
      });
    },
  );
}
