import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { articleIdFor } from '@gazette/article';
import { ArticleHistory, type GoneArticle } from '@gazette/pipeline';
import { instantSchema } from '@gazette/runtime';
import { getArticle } from '@gazette/search';
import type { AppDeps } from '../deps.ts';
import { openapi, readDoc, replies } from '../openapi.ts';
import { goneSchema } from '../responses.ts';
import { sendProblem, validate } from '../problem.ts';

const idParams = z.object({ id: z.string().regex(/^[0-9a-f]{32}$/, 'an article id is 32 hex digits') });

const revisionSchema = z.object({
  version: z.number().int().describe('1 for the first version seen, counting up'),
  title: z.string(),
  contentHash: z.string().describe('sha256 of the body'),
  wordCount: z.number().int(),
  publishedAt: z.string().nullable(),
  modifiedAt: z.string().nullable().describe('when the article says (or, failing that, Gazette saw) it changed'),
  fetchedAt: z.string().describe('when the fetch that showed this version happened'),
  archive: z.string().describe('the archived copy of that fetch: WARC file:offset:length'),
  parserVersion: z.string(),
});

const revisionsResponse = z.object({
  id: z.string(),
  state: z.enum(['indexed', 'gone', 'unknown']).describe('in the index, removed (see gone), or neither'),
  revisions: z.array(revisionSchema).describe('oldest first'),
  gone: goneSchema.optional(),
});

const goneQuery = z.object({
  url: z.string().optional(),
  since: instantSchema.optional(),
  size: z.coerce.number().int().min(1).max(1000).default(100),
});

const goneListResponse = z.object({ total: z.number().int(), gone: z.array(goneSchema) });

const summary = ({ record: _record, ...rest }: GoneArticle) => rest;

/**
 * An article's versions (`GET /articles/:id/revisions`) and the articles whose pages went away
 * (`GET /articles/gone`): out of search, kept with their status, reason and date.
 */
export async function historyRoutes(
  app: FastifyInstance,
  deps: Pick<AppDeps, 'es' | 'index' | 'context'>,
): Promise<void> {
  const history = new ArticleHistory(deps.context.connection, deps.context.prefix);

  app.get(
    '/articles/:id/revisions',
    readDoc("An article's versions with their dates, oldest first (each names its archived copy)", {
      params: openapi(idParams),
      response: replies({ 200: revisionsResponse }, [400, 404]),
    }),
    async (request, reply) => {
      const params = validate(idParams, request.params);
      if (!params.ok) return sendProblem(reply, 400, params.detail);
      const { id } = params.value;
      const [revisions, gone, indexed] = await Promise.all([
        history.revisions(id),
        history.gone(id),
        getArticle(deps.es, deps.index, id),
      ]);
      if (revisions.length === 0 && !gone && !indexed) return sendProblem(reply, 404, `no article with id ${id}`);
      return {
        id,
        state: indexed ? 'indexed' : gone ? 'gone' : 'unknown',
        revisions: revisions.map(({ digest: _digest, ...r }) => r),
        ...(gone && !indexed ? { gone: summary(gone) } : {}),
      };
    },
  );

  app.get(
    '/articles/gone',
    readDoc('Articles removed from search because their page went away (404/410, or now something else)', {
      querystring: openapi(goneQuery),
      response: replies({ 200: goneListResponse }, [400]),
    }),
    async (request, reply) => {
      const query = validate(goneQuery, request.query);
      if (!query.ok) return sendProblem(reply, 400, query.detail);
      const { url, since, size } = query.value;
      let all: GoneArticle[];
      if (url) {
        // By the id its canonical URL gives, else by the URL crawled or the last record's canonical URL.
        const byId = await history.gone(articleIdFor(url));
        all = byId ? [byId] : (await history.allGone()).filter((g) => g.url === url || g.record?.canonicalUrl === url);
      } else {
        all = await history.allGone();
      }
      const chosen = since ? all.filter((g) => g.goneAt >= since) : all;
      return { total: chosen.length, gone: chosen.slice(0, size).map(summary) };
    },
  );
}

/** The gone record of article `id`, for `GET /articles/:id?includeGone=true`. */
export function goneLookup(deps: Pick<AppDeps, 'context'>): (id: string) => Promise<GoneArticle | null> {
  const history = new ArticleHistory(deps.context.connection, deps.context.prefix);
  return (id) => history.gone(id);
}
