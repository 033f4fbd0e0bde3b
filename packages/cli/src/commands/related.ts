import { articleIdFor } from '@gazette/article';
import { duplicatesOf, findArticleByUrl, relatedArticles } from '@gazette/search';
import { UsageError, type Command } from '../command.ts';
import { ES_USAGE, dateRange, day, intOption, listOption, parseOptions, searchTarget } from './es-options.ts';

/** `gazette related`: the articles related to one article, as the api's GET /articles/:id/related. */
export const relatedCommand: Command = {
  usage: [
    'usage: gazette related <article id | url> [options]',
    '',
    '  --k N                 how many (1-100, default 10)',
    '  --site HOST           only these sites (repeatable or comma-separated)',
    '  --language TAG        only these languages (BCP 47; en matches en-GB); default: the article’s own; any: all',
    '  --since DATE          published at or after',
    '  --until DATE          published at or before',
    '  --window-days N       published within N days of the article',
    '  --duplicates          also list the copies (near-duplicates) of the article and of each result',
    ...ES_USAGE,
  ].join('\n'),
  async run(argv) {
    const args = parseOptions(
      argv,
      ['k', 'site', 'language', 'since', 'until', 'window-days', 'index'],
      ['duplicates', 'json'],
    );
    const [target, ...extra] = args.positional;
    if (!target) throw new UsageError('an article id or URL is required');
    if (extra.length) throw new UsageError(`unexpected argument ${extra[0]}`);
    const isUrl = /^https?:\/\//.test(target);
    if (!isUrl && !/^[0-9a-f]{32}$/.test(target)) throw new UsageError('give an article id (32 hex digits) or its URL');
    const site = listOption(args, 'site');
    const language = listOption(args, 'language');
    const { since, until } = dateRange(args);
    const windowDays = intOption(args, 'window-days', 0, 3650);
    const k = intOption(args, 'k', 1, 100) ?? 10;
    const duplicates = args.flags.has('duplicates');
    const { client, index } = searchTarget(args);
    try {
      const id = isUrl ? ((await findArticleByUrl(client, index, target))?.id ?? articleIdFor(target)) : target;
      const related = await relatedArticles(client, index, id, {
        k,
        ...(site ? { site } : {}),
        ...(language ? { language } : {}),
        ...(since ? { since } : {}),
        ...(until ? { until } : {}),
        ...(windowDays !== undefined ? { windowDays } : {}),
        duplicates,
      });
      if (!related) {
        console.error(`no article ${target} in ${index}`);
        return 1;
      }
      const copies = duplicates ? ((await duplicatesOf(client, index, id)) ?? []) : undefined;
      if (args.flags.has('json')) {
        console.log(JSON.stringify({ id, related, ...(copies ? { duplicates: copies } : {}) }, null, 2));
        return 0;
      }
      if (copies) {
        console.log(`copies of ${id}: ${copies.length}`);
        for (const c of copies) console.log(`   = ${day(c.publishedAt)}  ${c.site}  ${c.title}`);
      }
      if (related.length === 0) console.log('no related articles');
      for (const [i, r] of related.entries()) {
        console.log(
          `${String(i + 1).padStart(3)}. ${r.title}  (${r.site}, ${day(r.publishedAt)}, score ${r.score?.toFixed(2) ?? '-'})`,
        );
        console.log(`     ${r.id}  ${r.canonicalUrl}`);
        for (const c of r.duplicates ?? []) console.log(`     = ${day(c.publishedAt)}  ${c.site}  ${c.title}`);
      }
      return 0;
    } finally {
      await client.close();
    }
  },
};
