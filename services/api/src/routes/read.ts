import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { getArticle, relatedArticles, searchArticles } from '@gazette/search';
import type { AppDeps } from '../app.ts';
import { sendProblem, validate } from '../problem.ts';

const idParams = z.object({ id: z.string().regex(/^[0-9a-f]{32}$/, 'an article id is 32 hex digits') });
const relatedQuery = z.object({ k: z.coerce.number().int().min(1).max(100).default(10) });
const searchQuery = z.object({
  q: z.string().min(1, 'q is required'),
  size: z.coerce.number().int().min(1).max(100).default(10),
  from: z.coerce.number().int().min(0).max(10_000).default(0),
});

/** The read side: articles by id, related articles, search. */
export function readRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.get('/articles/:id', async (request, reply) => {
    const params = validate(idParams, request.params);
    if (!params.ok) return sendProblem(reply, 400, params.detail);
    const record = await getArticle(deps.es, deps.index, params.value.id);
    if (!record) return sendProblem(reply, 404, `no article with id ${params.value.id}`);
    return record;
  });

  app.get('/articles/:id/related', async (request, reply) => {
    const params = validate(idParams, request.params);
    const query = validate(relatedQuery, request.query);
    if (!params.ok || !query.ok) {
      return sendProblem(reply, 400, [params, query].flatMap((r) => (r.ok ? [] : [r.detail])).join('; '));
    }
    const related = await relatedArticles(deps.es, deps.index, params.value.id, { k: query.value.k });
    if (!related) return sendProblem(reply, 404, `no article with id ${params.value.id}`);
    return { id: params.value.id, related };
  });

  app.get('/search', async (request, reply) => {
    const query = validate(searchQuery, request.query);
    if (!query.ok) return sendProblem(reply, 400, query.detail);
    return searchArticles(deps.es, deps.index, query.value);
  });
}
