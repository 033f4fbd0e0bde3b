import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { storyOf } from '@gazette/search';
import type { AppDeps } from '../deps.ts';
import { openapi, readDoc, replies } from '../openapi.ts';
import { storySchema } from '../responses.ts';
import { sendProblem, validate } from '../problem.ts';

const idParams = z.object({ id: z.string().regex(/^[0-9a-f]{32}$/, 'an article id is 32 hex digits') });
const storyQuery = z.object({ depth: z.coerce.number().int().min(1).max(100).optional() });

/** `GET /articles/:id/story`: the same-story articles in time order, first report marked, copies folded. */
export async function storyRoutes(app: FastifyInstance, deps: Pick<AppDeps, 'es' | 'index'>): Promise<void> {
  app.get(
    '/articles/:id/story',
    readDoc('The articles of the same story in time order, the first report marked, copies folded', {
      params: openapi(idParams),
      querystring: openapi(storyQuery),
      response: replies({ 200: storySchema }, [400, 404, 503]),
    }),
    async (request, reply) => {
      const params = validate(idParams, request.params);
      const query = validate(storyQuery, request.query);
      if (!params.ok || !query.ok) {
        return sendProblem(reply, 400, [params, query].flatMap((r) => (r.ok ? [] : [r.detail])).join('; '));
      }
      const { depth } = query.value;
      const story = await storyOf(deps.es, deps.index, params.value.id, depth !== undefined ? { depth } : {});
      if (!story) return sendProblem(reply, 404, `no article with id ${params.value.id}`);
      return story;
    },
  );
}
