import { openArchive } from '@gazette/archive';
import { PARSER_VERSION } from '@gazette/extract';
import { Producer } from '@gazette/jobs';
import { reparse } from '@gazette/batch';
import { PageLedger } from '@gazette/pipeline';
import { UsageError, type Command } from '../command.ts';
import { parseFlags, parseInstant } from '../support/args.ts';
import { cliEnv, interruptSignal, withRedis } from '../support/env.ts';
import { ProgressBar } from '../support/progress.ts';

/** `gazette reparse`: parse archived pages again with the current parser. */
export const reparseCommand: Command = {
  usage: [
    'usage: gazette reparse [--site HOST] [--since WHEN] [--until WHEN]',
    '',
    '  --site HOST   only pages of this host (www. ignored)',
    '  --since WHEN  only pages fetched since then: ISO 8601, or a duration ago (6h, 7d)',
    '  --until WHEN  only pages fetched before then',
    '',
    'Reads the WARC archive in ARCHIVE_DIR and queues parse jobs; parser and indexer services do the rest.',
    'Ctrl-C stops after the current batch; running the same command again resumes, and running it once',
    'more after it finished queues nothing new.',
  ].join('\n'),
  async run(argv) {
    const { flags, positionals } = parseFlags(argv, { site: 'string', since: 'string', until: 'string' });
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);
    const since = flags.since ? parseInstant(String(flags.since), '--since') : undefined;
    const until = flags.until ? parseInstant(String(flags.until), '--until') : undefined;
    if (since && until && since > until) {
      throw new UsageError(`--since (${since.toISOString()}) is after --until (${until.toISOString()})`);
    }
    const env = cliEnv();
    const archive = openArchive(env.archive);
    const bar = new ProgressBar('re-parse');
    const { signal, dispose } = interruptSignal();
    try {
      return await withRedis(async (connection, prefix) => {
        const parse = new Producer('parse', { connection, prefix });
        try {
          const result = await reparse({
            archive,
            parse,
            redis: connection,
            prefix,
            ledger: new PageLedger(connection, prefix),
            parserVersion: PARSER_VERSION,
            ...(flags.site ? { site: String(flags.site) } : {}),
            ...(since ? { since } : {}),
            ...(until ? { until } : {}),
            signal,
            onProgress: (p) => bar.update(p.done, p.total, p.phase),
          });
          bar.done();
          console.log(
            `${result.interrupted ? 'interrupted: ' : ''}scanned ${result.scanned} archived responses, queued ${result.queued} ` +
              `parse jobs for parser ${PARSER_VERSION}, skipped ${result.skipped}` +
              (result.resumedFrom ? ` (resumed after ${result.resumedFrom} queued before)` : '') +
              (result.damaged.ranges
                ? `; passed over ${result.damaged.ranges} damaged range(s) of the archive (${result.damaged.bytes} bytes, ` +
                  `e.g. ${result.damaged.first
                    .map((r) => `${r.file}:${r.offset}+${r.length}`)
                    .slice(0, 3)
                    .join(', ')})`
                : '') +
              (result.interrupted ? '; run the same command to resume' : ''),
          );
          return result.interrupted ? 130 : 0;
        } finally {
          await parse.close();
        }
      });
    } finally {
      dispose();
      await archive.close();
    }
  },
};
