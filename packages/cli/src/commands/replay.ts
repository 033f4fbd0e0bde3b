import { queueNames, type QueueName } from '@gazette/jobs';
import { replayFailed } from '@gazette/jobs';
import { RunAccounting } from '@gazette/pipeline';
import { UsageError, type Command } from '../command.ts';
import { parseFlags, parseInstant, positiveInt } from '../support/args.ts';
import { withRedis } from '../support/env.ts';
import { ProgressBar } from '../support/progress.ts';

/** `gazette replay failed`: re-run dead letters. */
export const replayCommand: Command = {
  usage: [
    'usage: gazette replay failed --queue QUEUE [--since WHEN] [--reason CODE] [--limit N] [--dry-run]',
    '',
    `  --queue QUEUE   one of ${queueNames.join(', ')}`,
    '  --since WHEN    only jobs that failed since then: ISO 8601, or a duration ago (30m, 6h, 7d)',
    '  --reason CODE   only jobs with this reason code (http-503), or a prefix with * (http-*)',
    '  --limit N       at most N jobs, most recent failures first',
    '  --dry-run       say what would be replayed',
    '',
    'A replayed job leaves the failed set, so running the same replay twice replays it once. A replayed',
    'job of a source run is open in its run again: its failure is no longer counted, its new outcome is.',
  ].join('\n'),
  async run(argv) {
    const [action, ...rest] = argv;
    if (action !== 'failed')
      throw new UsageError(action ? `unknown action ${action}` : 'usage: gazette replay failed ...');
    const { flags, positionals } = parseFlags(rest, {
      queue: 'string',
      since: 'string',
      reason: 'string',
      limit: 'string',
      'dry-run': 'boolean',
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);
    const queue = flags.queue as string | undefined;
    if (!queue || !queueNames.includes(queue as QueueName)) {
      throw new UsageError(`--queue is required, one of ${queueNames.join(', ')}`);
    }
    const limit = positiveInt(flags.limit as string | undefined, '--limit');
    const since = flags.since ? parseInstant(String(flags.since), '--since') : undefined;
    const bar = new ProgressBar('replaying');
    return withRedis(async (connection, prefix) => {
      const result = await replayFailed({ connection, prefix }, queue as QueueName, {
        ...(since ? { since } : {}),
        ...(flags.reason ? { reason: String(flags.reason) } : {}),
        ...(limit ? { limit } : {}),
        ...(flags['dry-run'] ? { dryRun: true } : {}),
        onProgress: (done) => bar.update(done),
        // A replayed job of a source run is open in its run again.
        beforeReplay: new RunAccounting(connection, prefix).beforeReplay,
      });
      bar.done();
      console.log(
        flags['dry-run']
          ? `${result.matched} failed ${queue} jobs match; nothing replayed (dry run)`
          : `replayed ${result.replayed} of ${result.matched} matching failed ${queue} jobs`,
      );
      return 0;
    });
  },
};
