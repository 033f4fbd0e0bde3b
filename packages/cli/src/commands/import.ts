import { Producer } from '@gazette/jobs';
import { importJsonl } from '@gazette/batch';
import { UsageError, type Command } from '../command.ts';
import { parseFlags } from '../support/args.ts';
import { interruptSignal, withRedis } from '../support/env.ts';
import { ProgressBar } from '../support/progress.ts';

/** `gazette import --jsonl FILE`: index records made elsewhere. */
export const importCommand: Command = {
  usage: [
    'usage: gazette import --jsonl FILE',
    '',
    'Each line is one JSON record: {"url", "title", "body"} and any metadata known (canonicalUrl, authors,',
    'publishedAt, language, tags, ...; a full canonical record works too). The id, site, word count,',
    "content hash and SimHash are derived; a line whose id is not its URL's is refused (id-mismatch).",
    'Valid records are queued on the index queue and written by the indexer; refused lines are reported',
    'with their line number and reason (not-json, invalid-record, id-mismatch).',
    'Ctrl-C stops after the current batch; running it again resumes; importing a file twice indexes nothing twice.',
  ].join('\n'),
  async run(argv) {
    const { flags, positionals } = parseFlags(argv, { jsonl: 'string' });
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);
    if (!flags.jsonl) throw new UsageError('--jsonl FILE is required');
    const bar = new ProgressBar('import');
    const { signal, dispose } = interruptSignal();
    try {
      return await withRedis(async (connection, prefix) => {
        const index = new Producer('index', { connection, prefix });
        try {
          let result;
          try {
            result = await importJsonl({
              file: String(flags.jsonl),
              index,
              redis: connection,
              prefix,
              signal,
              onProgress: (p) => bar.update(p.done, p.total, p.phase),
            });
          } catch (error) {
            if ((error as NodeJS.ErrnoException).code === 'ENOENT')
              throw new UsageError(`no such file: ${flags.jsonl}`);
            throw error;
          }
          bar.done();
          for (const e of result.errors) console.error(`line ${e.line}: ${e.reason}: ${e.detail}`);
          console.log(
            `${result.interrupted ? 'interrupted: ' : ''}${result.lines} lines: ${result.queued} records queued for indexing, ` +
              `${result.invalid} invalid` +
              (result.resumedFrom ? ` (resumed after line ${result.resumedFrom})` : ''),
          );
          return result.interrupted ? 130 : result.invalid > 0 ? 1 : 0;
        } finally {
          await index.close();
        }
      });
    } finally {
      dispose();
    }
  },
};
