import { articleIdFor } from '@gazette/article';
import { ArticleHistory } from '@gazette/pipeline/records';
import { UsageError, type Command } from '../command.ts';
import { parseFlags } from '../support/args.ts';
import { withRedis } from '../support/env.ts';

/** `gazette revisions`: an article's versions with their dates, as the api's GET /articles/:id/revisions. */
export const revisionsCommand: Command = {
  usage: [
    'usage: gazette revisions <article id | url> [--json]',
    '',
    'Lists the versions of an article Gazette fetched (oldest first: title, dates, archived copy) and',
    'whether its page went away. Reads REDIS_URL under QUEUE_PREFIX.',
  ].join('\n'),
  async run(argv) {
    const { flags, positionals } = parseFlags(argv, { json: 'boolean' });
    const [target, ...extra] = positionals;
    if (!target) throw new UsageError('an article id or URL is required');
    if (extra.length) throw new UsageError(`unexpected argument ${extra[0]}`);
    const isUrl = /^https?:\/\//.test(target);
    if (!isUrl && !/^[0-9a-f]{32}$/.test(target)) throw new UsageError('give an article id (32 hex digits) or its URL');
    const id = isUrl ? articleIdFor(target) : target;
    return withRedis(async (redis, prefix) => {
      const history = new ArticleHistory(redis, prefix);
      const [revisions, gone] = await Promise.all([history.revisions(id), history.gone(id)]);
      if (revisions.length === 0 && !gone) {
        console.error(`no versions of article ${target} under ${prefix}`);
        return 1;
      }
      if (flags.json) {
        const { record: _record, ...goneSummary } = gone ?? { record: null };
        console.log(
          JSON.stringify(
            { id, revisions: revisions.map(({ digest: _d, ...r }) => r), ...(gone ? { gone: goneSummary } : {}) },
            null,
            2,
          ),
        );
        return 0;
      }
      console.log(`article ${id}: ${revisions.length} version(s)`);
      for (const r of revisions) {
        console.log(
          `v${r.version}  fetched ${r.fetchedAt}  modified ${r.modifiedAt ?? '-'}  ${r.wordCount} words  ${r.title}`,
        );
        console.log(`     archive ${r.archive}  body sha256 ${r.contentHash.slice(0, 16)}  parser ${r.parserVersion}`);
      }
      if (gone) console.log(`gone since ${gone.goneAt}: ${gone.reason} (HTTP ${gone.status}) ${gone.url}`);
      return 0;
    });
  },
};
