import { articleIdFor } from '@gazette/article';
import { findArticleByUrl, storyOf } from '@gazette/search';
import { UsageError, type Command } from '../command.ts';
import { ES_USAGE, day, intOption, parseOptions, searchTarget } from './es-options.ts';

/** `gazette story`: the articles of one article's story in time order, as the api's GET /articles/:id/story. */
export const storyCommand: Command = {
  usage: [
    'usage: gazette story <article id | url> [options]',
    '',
    '  --depth N             related candidates considered (1-100, default 30)',
    ...ES_USAGE,
  ].join('\n'),
  async run(argv) {
    const args = parseOptions(argv, ['depth', 'index'], ['json']);
    const [target, ...extra] = args.positional;
    if (!target) throw new UsageError('an article id or URL is required');
    if (extra.length) throw new UsageError(`unexpected argument ${extra[0]}`);
    const isUrl = /^https?:\/\//.test(target);
    if (!isUrl && !/^[0-9a-f]{32}$/.test(target)) throw new UsageError('give an article id (32 hex digits) or its URL');
    const depth = intOption(args, 'depth', 1, 100);
    const { client, index } = searchTarget(args);
    try {
      const id = isUrl ? ((await findArticleByUrl(client, index, target))?.id ?? articleIdFor(target)) : target;
      const story = await storyOf(client, index, id, depth !== undefined ? { depth } : {});
      if (!story) {
        console.error(`no article ${target} in ${index}`);
        return 1;
      }
      if (args.flags.has('json')) {
        console.log(JSON.stringify(story, null, 2));
        return 0;
      }
      console.log(`story of ${id}: ${story.articles.length} article(s)`);
      for (const a of story.articles) {
        const mark = a.first ? 'first' : a.id === id ? 'this ' : '     ';
        console.log(`${mark}  ${day(a.publishedAt)}  ${a.site}  ${a.title}`);
        console.log(`       ${a.id}  ${a.canonicalUrl}`);
        for (const c of a.copies) console.log(`       = ${day(c.publishedAt)}  ${c.site}  ${c.title}`);
      }
      return 0;
    } finally {
      await client.close();
    }
  },
};
