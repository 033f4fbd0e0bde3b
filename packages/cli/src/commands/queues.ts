import { queueStats, failuresByReason } from '@gazette/jobs';
import { PageLedger } from '@gazette/pipeline/records';
import { UsageError, type Command } from '../command.ts';
import { parseFlags } from '../support/args.ts';
import { withRedis } from '../support/env.ts';

/** `gazette queues stats`: depth per state, age of the oldest waiting job, failures by reason. */
export const queuesCommand: Command = {
  usage: ['usage: gazette queues stats [--json]', '', 'Reads the queues under QUEUE_PREFIX in REDIS_URL.'].join('\n'),
  async run(argv) {
    const [action, ...rest] = argv;
    if (action !== 'stats') throw new UsageError(action ? `unknown action ${action}` : 'an action is required: stats');
    const { flags, positionals } = parseFlags(rest, { json: 'boolean' });
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);
    return withRedis(async (connection, prefix) => {
      const context = { connection, prefix };
      const [stats, failures, outcomes] = await Promise.all([
        queueStats(context),
        failuresByReason(context),
        new PageLedger(connection, prefix).outcomes(),
      ]);
      if (flags.json) {
        console.log(JSON.stringify({ queues: stats, failures, outcomes }, null, 2));
        return 0;
      }
      const cols = ['queue', 'waiting', 'active', 'retrying', 'delayed', 'completed', 'failed', 'oldest waiting'];
      const rows = stats.map((s) => [
        s.queue,
        String(s.waiting + s.prioritized),
        String(s.active),
        String(s.retrying),
        String(s.delayed - s.retrying),
        String(s.completed),
        String(s.failed),
        s.oldestWaitingSeconds === null ? '-' : `${Math.round(s.oldestWaitingSeconds)} s`,
      ]);
      const widths = cols.map((c, i) => Math.max(c.length, ...rows.map((r) => r[i]!.length)));
      const line = (r: string[]) => r.map((v, i) => v.padEnd(widths[i]!)).join('  ');
      console.log([line(cols), ...rows.map(line)].join('\n'));
      if (failures.length > 0) {
        console.log('\nfailures by reason');
        for (const f of failures) console.log(`  ${f.queue.padEnd(8)} ${f.reason.padEnd(24)} ${f.count}`);
      }
      const recorded = Object.entries(outcomes).sort(([a], [b]) => a.localeCompare(b));
      if (recorded.length > 0) {
        // Answers, not failures: e.g. links that turned out to be removed pages (404, 410).
        console.log('\nrecorded outcomes');
        for (const [name, count] of recorded) console.log(`  ${name.padEnd(33)} ${count}`);
      }
      return 0;
    });
  },
};
