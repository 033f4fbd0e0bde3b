import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import {
  SourceExistsError,
  SourceNotFoundError,
  SourceRegistry,
  type RunView,
  type SourceView,
} from '@gazette/sources';
import { UsageError, type Command } from '../command.ts';
import { parseDuration, parseFlags } from '../support/args.ts';
import { withRedis } from '../support/env.ts';

const USAGE = [
  'usage: gazette sources add --id ID --name NAME --seed URL [--seed URL ...] [--feed URL ...] [--sitemap URL ...]',
  '                           [--allow REGEX ...] [--deny REGEX ...] [--max-depth N]',
  '                           [--every 15m | --cron "0 */2 * * *" [--tz Europe/Paris] | --manual] [--paused]',
  '       gazette sources add --file SOURCE.json      (a { "source": {...}, "schedule": {...} } document)',
  '       gazette sources list [--json]',
  '       gazette sources rm|pause|resume ID',
  '       gazette sources run ID [--force]',
  '       gazette sources runs ID [--limit N] [--json]',
  '',
  'Sources and their schedules live in Redis (REDIS_URL, QUEUE_PREFIX). A schedule is an interval (--every)',
  'or a cron expression read in a time zone (--cron, --tz; default UTC); without either a source runs every',
  '15 minutes. `run` queues one run now; crawlers run it (discover seeds, feeds, sitemaps; queue crawls);',
  '--force refetches every URL found, seen or not, without conditional headers. `runs` shows recent runs',
  'with what became of their URLs (fetched, not modified, not article, indexed, failed by reason) and when',
  'the last of their jobs settled.',
].join('\n');

/** One line of a run's totals: `12 discovered, 12 queued, 10 fetched, ... failed http-404 ×1`. */

/** Runs a command on one source: exit 0, or 1 with the message when there is no such source. */
async function exitOneIfNotFound(command: () => Promise<void>): Promise<number> {
  try {
    await command();
    return 0;
  } catch (error) {
    if (error instanceof SourceNotFoundError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }
}
export function describeTotals(run: RunView): string {
  const t = run.totals;
  const parts = [
    `${t.discovered} discovered`,
    `${t.queued} queued`,
    `${t.fetched} fetched`,
    `${t.notModified} not modified`,
    `${t.notArticle} not article`,
    `${t.indexed} indexed`,
  ];
  if (t.gone) parts.push(`${t.gone} gone`);
  const failed = Object.entries(t.failed);
  parts.push(failed.length ? `failed ${failed.map(([r, n]) => `${r} ×${n}`).join(', ')}` : '0 failed');
  if (t.open) parts.push(`${t.open} open`);
  return parts.join(', ');
}

/** A run in a few lines: trigger, state, times, totals. */
export function describeRun(run: RunView): string {
  const head = `${run.runId}  ${run.trigger}  ${run.state}${run.skipped ? ` (${run.skipped})` : ''}`;
  const lines = [head, `  started   ${run.startedAt}`, `  finished  ${run.finishedAt ?? '-'}`];
  if (run.error) lines.push(`  error     ${run.error}`);
  if (!run.skipped) lines.push(`  totals    ${describeTotals(run)}`);
  for (const p of run.problems ?? []) lines.push(`  problem   ${p.url}: ${p.reason}`);
  return lines.join('\n');
}

function describe(view: SourceView): string {
  const s = view.schedule;
  const schedule = !s ? 'manual' : s.cron !== undefined ? `cron "${s.cron}" ${s.tz}` : `every ${s.everyMs! / 1000} s`;
  const run = view.lastRun;
  const last = run
    ? `${run.finishedAt ?? run.startedAt} ${run.state}${
        run.error ? ` error: ${run.error}` : run.skipped ? ` (${run.skipped})` : `: ${describeTotals(run)}`
      }`
    : 'never';
  return [
    `${view.source.id}  ${view.source.name}${view.paused ? '  (paused)' : ''}`,
    `  seeds     ${view.source.seeds.join(', ') || '-'}`,
    `  schedule  ${schedule}`,
    `  next run  ${view.nextRunAt ?? '-'}`,
    `  last run  ${last}`,
  ].join('\n');
}

async function addInput(argv: string[]): Promise<unknown> {
  const { flags, positionals } = parseFlags(argv, {
    file: 'string',
    id: 'string',
    name: 'string',
    seed: 'multi',
    feed: 'multi',
    sitemap: 'multi',
    allow: 'multi',
    deny: 'multi',
    'max-depth': 'string',
    every: 'string',
    cron: 'string',
    tz: 'string',
    manual: 'boolean',
    paused: 'boolean',
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);
  if (flags.file) {
    try {
      return JSON.parse(await readFile(String(flags.file), 'utf8')) as unknown;
    } catch (error) {
      throw new UsageError(`cannot read --file: ${(error as Error).message}`);
    }
  }
  if (!flags.id || !flags.name) throw new UsageError('--id and --name are required (or --file)');
  if ([flags.every, flags.cron, flags.manual].filter(Boolean).length > 1) {
    throw new UsageError('give one of --every, --cron and --manual');
  }
  const maxDepth = flags['max-depth'] === undefined ? undefined : Number(flags['max-depth']);
  const schedule = flags.manual
    ? null
    : flags.cron
      ? { cron: String(flags.cron), ...(flags.tz ? { tz: String(flags.tz) } : {}) }
      : flags.every
        ? { everyMs: parseDuration(String(flags.every), '--every') }
        : undefined;
  return {
    source: {
      id: flags.id,
      name: flags.name,
      seeds: flags.seed ?? [],
      feeds: flags.feed ?? [],
      sitemaps: flags.sitemap ?? [],
      allow: flags.allow ?? [],
      deny: flags.deny ?? [],
      ...(maxDepth === undefined ? {} : { maxDepth }),
    },
    ...(schedule === undefined ? {} : { schedule }),
    ...(flags.paused ? { paused: true } : {}),
  };
}

/** `gazette sources`: add, list, remove, pause, resume and run sources. */
export const sourcesCommand: Command = {
  usage: USAGE,
  async run(argv) {
    const [action, ...rest] = argv;
    if (!action) throw new UsageError('an action is required: add, list, rm, pause, resume, run or runs');
    return withRedis(async (connection, prefix) => {
      const registry = new SourceRegistry({ connection, prefix });
      try {
        switch (action) {
          case 'add': {
            const input = await addInput(rest);
            try {
              const view = await registry.create(input as Parameters<SourceRegistry['create']>[0]);
              console.log(`added\n${describe(view)}`);
              return 0;
            } catch (error) {
              if (error instanceof z.ZodError) {
                throw new UsageError(error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
              }
              if (error instanceof SourceExistsError) {
                console.error(error.message);
                return 1;
              }
              throw error;
            }
          }
          case 'list': {
            const { flags, positionals } = parseFlags(rest, { json: 'boolean' });
            if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);
            const views = await registry.list();
            if (flags.json) console.log(JSON.stringify(views, null, 2));
            else console.log(views.length ? views.map(describe).join('\n\n') : 'no sources');
            return 0;
          }
          case 'runs': {
            const { flags, positionals } = parseFlags(rest, { json: 'boolean', limit: 'string' });
            const [id, extra] = positionals;
            if (!id) throw new UsageError('gazette sources runs needs a source id');
            if (extra) throw new UsageError(`unexpected argument ${extra}`);
            const limit = flags.limit === undefined ? 10 : Number(flags.limit);
            if (!Number.isInteger(limit) || limit < 1 || limit > 50) throw new UsageError('--limit: 1 to 50');
            if (!(await registry.store.get(id))) {
              console.error(`no source with id ${id}`);
              return 1;
            }
            const runs = await registry.runs(id, limit);
            if (flags.json) console.log(JSON.stringify(runs, null, 2));
            else console.log(runs.length ? runs.map(describeRun).join('\n\n') : `no runs of ${id} yet`);
            return 0;
          }
          case 'run': {
            const { flags, positionals } = parseFlags(rest, { force: 'boolean' });
            const [id, extra] = positionals;
            if (!id) throw new UsageError('gazette sources run needs a source id');
            if (extra) throw new UsageError(`unexpected argument ${extra}`);
            return exitOneIfNotFound(async () => {
              const { jobId, runId, alreadyQueued } = await registry.runNow(id, { force: Boolean(flags.force) });
              const kind = flags.force ? 'forced run' : 'run';
              console.log(
                alreadyQueued
                  ? `a ${kind} of ${id} is already queued or discovering: run ${runId}, job ${jobId} (no second one queued)`
                  : `queued a ${kind} of ${id} (run ${runId}, job ${jobId})`,
              );
            });
          }
          case 'rm':
          case 'pause':
          case 'resume': {
            const [id, extra] = rest;
            if (!id) throw new UsageError(`gazette sources ${action} needs a source id`);
            if (extra) throw new UsageError(`unexpected argument ${extra}`);
            return exitOneIfNotFound(async () => {
              if (action === 'rm') {
                if (!(await registry.remove(id))) throw new SourceNotFoundError(`no source with id ${id}`);
                console.log(`removed ${id} and its schedule`);
              } else {
                const view = await registry[action](id);
                console.log(`${action === 'pause' ? 'paused' : 'resumed'}\n${describe(view)}`);
              }
            });
          }
          default:
            throw new UsageError(`unknown action ${action}`);
        }
      } finally {
        await registry.close();
      }
    });
  },
};
