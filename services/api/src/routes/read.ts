import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { instantSchema, orderedRange } from '@gazette/runtime';
import { duplicatesOf, getArticle, relatedArticles, searchArticles, SearchQueryError } from '@gazette/search';
import type { GoneArticle } from '@gazette/pipeline';
import type { AppDeps } from '../deps.ts';
import { openapi, readDoc, replies } from '../openapi.ts';
import { articleSchema, duplicatesSchema, goneArticleSchema, relatedSchema, searchResultSchema } from '../responses.ts';
import { sendProblem, validate } from '../problem.ts';

const idParams = z.object({ id: z.string().regex(/^[0-9a-f]{32}$/, 'an article id is 32 hex digits') });

/** A query parameter given once or repeated (`?site=a&site=b`) or comma-separated (`?site=a,b`). */
const multi = z
  .union([z.string(), z.array(z.string())])
  .transform((v) =>
    (Array.isArray(v) ? v : [v])
      .flatMap((s) => s.split(','))
      .map((s) => s.trim())
      .filter(Boolean),
  )
  .optional();

/** A time: a duration ago (`1h`, `2d`) or an ISO 8601 date or date-time. */
const isoDate = instantSchema.optional();

const flag = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1')
  .optional();

const filters = {
  site: multi,
  language: multi,
  since: isoDate,
  until: isoDate,
};

const relatedQuery = z
  .object({
    k: z.coerce.number().int().min(1).max(100).default(10),
    ...filters,
    windowDays: z.coerce.number().min(0).max(3650).optional(),
    duplicates: flag,
  })
  .superRefine(orderedRange);

const searchQuery = z
  .object({
    q: z.string().max(2000).optional(),
    ...filters,
    author: multi,
    tag: multi,
    sort: z.enum(['relevance', 'date']).default('relevance'),
    size: z.coerce.number().int().min(1).max(100).default(10),
    from: z.coerce.number().int().min(0).max(10_000).default(0),
    after: z.string().max(4000).optional(),
    highlight: flag,
    duplicates: flag,
    /** Copies as results of their own (the CLI's `--all-copies`); `includeDuplicates` is the older name. */
    allCopies: flag,
    includeDuplicates: flag,
  })
  .refine(
    (v) =>
      !!v.q?.trim() ||
      !!v.site?.length ||
      !!v.language?.length ||
      !!v.author?.length ||
      !!v.tag?.length ||
      !!v.since ||
      !!v.until,
    { message: 'q is required (or at least one filter: site, language, author, tag, since, until)', path: ['q'] },
  )
  .superRefine(orderedRange);

const defined = <T extends object>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

/** The read side: articles by id, their copies, related articles, search. */
export async function readRoutes(
  app: FastifyInstance,
  deps: Pick<AppDeps, 'es' | 'index'> & {
    /** Articles whose page went away: 410, or their gone record with `includeGone=true`. */
    gone?: (id: string) => Promise<GoneArticle | null>;
  },
): Promise<void> {
  const params = openapi(idParams);
  const includeGone = z.object({ includeGone: flag });
  app.get(
    '/articles/:id',
    readDoc(
      'The canonical record of an article (410 once its page went away; includeGone=true gives its gone record)',
      {
        params,
        querystring: openapi(includeGone),
        response: replies({ 200: z.union([articleSchema, goneArticleSchema]) }, [400, 404, 410, 503]),
      },
    ),
    async (request, reply) => {
      const params = validate(idParams, request.params);
      const query = validate(includeGone, request.query);
      if (!params.ok || !query.ok) {
        return sendProblem(reply, 400, [params, query].flatMap((r) => (r.ok ? [] : [r.detail])).join('; '));
      }
      const record = await getArticle(deps.es, deps.index, params.value.id);
      if (record) return record;
      const gone = await deps.gone?.(params.value.id);
      if (gone && query.value.includeGone) return gone;
      if (gone) {
        return sendProblem(
          reply,
          410,
          `article ${gone.id} is gone since ${gone.goneAt} (${gone.reason}); includeGone=true returns its record`,
        );
      }
      return sendProblem(reply, 404, `no article with id ${params.value.id}`);
    },
  );

  app.get(
    '/articles/:id/duplicates',
    readDoc("The article's near-duplicate copies", {
      params,
      response: replies({ 200: duplicatesSchema }, [400, 404, 503]),
    }),
    async (request, reply) => {
      const params = validate(idParams, request.params);
      if (!params.ok) return sendProblem(reply, 400, params.detail);
      const duplicates = await duplicatesOf(deps.es, deps.index, params.value.id);
      if (!duplicates) return sendProblem(reply, 404, `no article with id ${params.value.id}`);
      return { id: params.value.id, duplicates };
    },
  );

  app.get(
    '/articles/:id/related',
    readDoc('Related articles, same story first; copies collapsed (duplicates=true lists them)', {
      params,
      querystring: openapi(relatedQuery),
      response: replies({ 200: relatedSchema }, [400, 404, 503]),
    }),
    async (request, reply) => {
      const params = validate(idParams, request.params);
      const query = validate(relatedQuery, request.query);
      if (!params.ok || !query.ok) {
        return sendProblem(reply, 400, [params, query].flatMap((r) => (r.ok ? [] : [r.detail])).join('; '));
      }
      const { k, duplicates, ...rest } = query.value;
      const id = params.value.id;
      const [related, copies] = await Promise.all([
        relatedArticles(deps.es, deps.index, id, defined({ k, duplicates, ...rest })),
        duplicates ? duplicatesOf(deps.es, deps.index, id) : Promise.resolve(undefined),
      ]);
      if (!related) return sendProblem(reply, 404, `no article with id ${id}`);
      return { id, related, ...(copies ? { duplicates: copies } : {}) };
    },
  );

  app.get(
    '/search',
    readDoc('Full-text search with filters, highlights and a next cursor', {
      querystring: openapi(searchQuery),
      response: replies({ 200: searchResultSchema }, [400, 503]),
    }),
    async (request, reply) => {
      const query = validate(searchQuery, request.query);
      if (!query.ok) return sendProblem(reply, 400, query.detail);
      try {
        const { allCopies, ...options } = query.value;
        return await searchArticles(
          deps.es,
          deps.index,
          defined({ ...options, includeDuplicates: options.includeDuplicates || allCopies }),
        );
      } catch (error) {
        if (error instanceof SearchQueryError) return sendProblem(reply, 400, error.message);
        throw error;
      }
    },
  );
}
