import { searchArticles, SearchQueryError, type SearchOptions } from '@gazette/search';
import { UsageError, type Command } from '../command.ts';
import { ES_USAGE, dateRange, day, intOption, listOption, parseOptions, searchTarget } from './es-options.ts';

const plain = (s: string) =>
  s
    .replace(/<\/?em>/g, '*')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** `gazette search`: full-text search of the articles index, as the api's GET /search. */
export const searchCommand: Command = {
  usage: [
    'usage: gazette search [query ...] [options]',
    '',
    'query: words (all must match), "a phrase", field:value (title, body, description, site, author,',
    'tag, language, section), OR, -word, wild*. Quote it for the shell: gazette search \'"central bank" -rates\'',
    'Text that is not valid syntax (AC/DC, wind!, [draft) is searched as plain words.',
    '',
    '  --site HOST           only these sites (repeatable or comma-separated)',
    '  --language TAG        only these languages',
    '  --author NAME         only these authors',
    '  --tag TAG             only these tags',
    '  --since DATE          published at or after',
    '  --until DATE          published at or before',
    '  --sort relevance|date order (default relevance; by date without a query)',
    '  --size N              results per page (1-100, default 10)',
    '  --after CURSOR        the next page: the cursor the previous page printed',
    '  --duplicates          list each result’s copies (near-duplicates)',
    '  --all-copies          show copies as results of their own instead of collapsing them',
    ...ES_USAGE,
  ].join('\n'),
  async run(argv) {
    const args = parseOptions(
      argv,
      ['site', 'language', 'author', 'tag', 'since', 'until', 'sort', 'size', 'after', 'index'],
      ['duplicates', 'all-copies', 'json'],
    );
    const q = args.positional.join(' ').trim();
    const sort = args.values.get('sort')?.at(-1);
    if (sort !== undefined && sort !== 'relevance' && sort !== 'date') {
      throw new UsageError('--sort is relevance or date');
    }
    const site = listOption(args, 'site');
    const language = listOption(args, 'language');
    const author = listOption(args, 'author');
    const tag = listOption(args, 'tag');
    const { since, until } = dateRange(args);
    const after = args.values.get('after')?.at(-1);
    if (!q && !site && !language && !author && !tag && !since && !until) {
      throw new UsageError('a query (or at least one filter) is required');
    }
    const options: SearchOptions = {
      q,
      size: intOption(args, 'size', 1, 100) ?? 10,
      ...(site ? { site } : {}),
      ...(language ? { language } : {}),
      ...(author ? { author } : {}),
      ...(tag ? { tag } : {}),
      ...(since ? { since } : {}),
      ...(until ? { until } : {}),
      ...(sort ? { sort: sort as 'relevance' | 'date' } : {}),
      ...(after ? { after } : {}),
      duplicates: args.flags.has('duplicates'),
      includeDuplicates: args.flags.has('all-copies'),
    };
    const { client, index } = searchTarget(args);
    try {
      const result = await searchArticles(client, index, options);
      if (args.flags.has('json')) {
        console.log(JSON.stringify(result, null, 2));
        return 0;
      }
      if (result.readAs === 'words') console.log('(not valid query syntax: searched as plain words)');
      console.log(`${result.total}${result.totalRelation === 'gte' ? '+' : ''} articles match`);
      for (const [i, hit] of result.hits.entries()) {
        console.log(
          `${String(i + 1).padStart(3)}. ${plain(hit.highlight?.title?.[0] ?? hit.title)}  (${hit.site}, ${day(hit.publishedAt)})`,
        );
        console.log(`     ${hit.id}  ${hit.canonicalUrl}`);
        for (const fragment of hit.highlight?.body ?? []) console.log(`     … ${plain(fragment)} …`);
        for (const c of hit.duplicates ?? []) console.log(`     = ${day(c.publishedAt)}  ${c.site}  ${c.title}`);
      }
      if (result.next) console.log(`next page: --after ${result.next}`);
      return 0;
    } catch (error) {
      if (error instanceof SearchQueryError) throw new UsageError(error.message);
      throw error;
    } finally {
      await client.close();
    }
  },
};
