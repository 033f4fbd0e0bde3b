import { WarcArchive } from '@gazette/archive';
import { Producer } from '@gazette/jobs';
import { verifyArchive } from '@gazette/batch';
import { UsageError, type Command } from '../command.ts';
import { parseFlags } from '../support/args.ts';
import { cliEnv, withRedis } from '../support/env.ts';
import { ProgressBar } from '../support/progress.ts';

/** `gazette archive verify`: every archive reference in the queues and the page ledger, read back. */
export const archiveCommand: Command = {
  usage: [
    'usage: gazette archive verify [--repair] [--json]',
    '',
    '  --repair  fetch again every page whose archived copy cannot be read, and drop its stale parse job',
    '  --json    print the result as JSON',
    '',
    'Reads each referenced record of ARCHIVE_DIR back (parse jobs waiting, delayed, active or failed, and',
    "each page's last archived copy in the ledger). Exits 1 when a reference is bad and --repair was not given.",
  ].join('\n'),
  async run(argv) {
    const [action, ...rest] = argv;
    if (action !== 'verify')
      throw new UsageError(action ? `unknown action ${action}` : 'usage: gazette archive verify');
    const { flags, positionals } = parseFlags(rest, { repair: 'boolean', json: 'boolean' });
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);
    const archive = new WarcArchive({ dir: cliEnv().archiveDir });
    const bar = new ProgressBar('verify');
    try {
      return await withRedis(async (connection, prefix) => {
        const crawl = new Producer('crawl', { connection, prefix });
        try {
          const result = await verifyArchive({
            archive,
            context: { connection, prefix },
            crawl,
            repair: Boolean(flags.repair),
            onProgress: (p) => bar.update(p.done),
          });
          bar.done();
          if (flags.json) console.log(JSON.stringify(result, null, 2));
          else {
            console.log(
              `checked ${result.checked} archive references: ${result.ok} read back, ${result.bad.length} bad`,
            );
            for (const bad of result.bad.slice(0, 20))
              console.log(
                `  ${bad.reason}  ${bad.where}  ${bad.ref.file}:${bad.ref.offset}+${bad.ref.length}  ${bad.url}`,
              );
            if (flags.repair)
              console.log(`queued ${result.refetched} fresh fetches, removed ${result.removedJobs} stale parse jobs`);
          }
          return result.bad.length > 0 && !flags.repair ? 1 : 0;
        } finally {
          await crawl.close();
        }
      });
    } finally {
      await archive.close();
    }
  },
};
