import { ReindexRunningError, reindex } from '@gazette/batch';
import { SERVING_SEGMENTS } from '@gazette/search';
import { UsageError, type Command } from '../command.ts';
import { parseFlags, segmentsFlag } from '../support/args.ts';
import { interruptSignal, withRedis, withSearch } from '../support/env.ts';
import { ProgressBar } from '../support/progress.ts';

/** `gazette reindex`: rebuild the articles index behind its alias without downtime. */
export const reindexCommand: Command = {
  usage: [
    'usage: gazette reindex [--delete-old] [--segments N]',
    '',
    '  --delete-old  delete the previous index once the alias points at the new one',
    `  --segments N  force-merge the new index to at most N segments per shard (default ${SERVING_SEGMENTS};`,
    '                0: leave it as the copy left it; a few for shards far over 5 GB that keep changing)',
    '',
    'Copies every record of ES_INDEX into a new index of the current mapping, catches up documents',
    'written meanwhile, force-merges the new index (searches and related-article lookups work once',
    'per segment), then switches the alias atomically. Ctrl-C stops after the current batch;',
    'running it again resumes the same rebuild.',
    '',
    'One reindex per alias at a time: while another runs (here, in the api or on another host) it is',
    'refused with reason reindex-running and exit code 75; try again once that one has finished.',
  ].join('\n'),
  async run(argv) {
    const { flags, positionals } = parseFlags(argv, { 'delete-old': 'boolean', segments: 'string' });
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);
    const segments = segmentsFlag(flags.segments, SERVING_SEGMENTS);
    const bar = new ProgressBar('re-index');
    const { signal, dispose } = interruptSignal();
    try {
      return await withRedis((redis, prefix) =>
        withSearch(async (es, alias) => {
          const result = await reindex({
            es,
            redis,
            prefix,
            alias,
            deleteOld: Boolean(flags['delete-old']),
            mergeSegments: segments,
            signal,
            onProgress: (p) => bar.update(p.done, p.total, p.phase),
          });
          bar.done();
          if (result.interrupted) {
            console.log(`interrupted after ${result.copied} documents into ${result.to}; run again to resume`);
            return 130;
          }
          console.log(
            `${alias} now points at ${result.to}: ${result.copied} documents copied, ${result.caughtUp} caught up` +
              (result.segments !== null ? ` (${result.segments} segments)` : '') +
              (result.resumed ? ' (resumed)' : '') +
              (result.deleted.length
                ? `; deleted ${result.deleted.join(', ')}`
                : `; previous: ${result.from.join(', ')}`),
          );
          return 0;
        }),
      );
    } catch (error) {
      if (!(error instanceof ReindexRunningError)) throw error;
      console.error(`gazette reindex: [${error.reason}] ${error.message}`);
      // EX_TEMPFAIL: nothing is wrong with the request, it may succeed later.
      return 75;
    } finally {
      dispose();
    }
  },
};
