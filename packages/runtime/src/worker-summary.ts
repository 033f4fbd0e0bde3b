import type { Worker } from 'bullmq';
import { parseReason } from '@gazette/errors';
import { createLogger, logFormat, OutcomeSummary, type LogFormatSetting, type Logger } from '@gazette/logger';
import { isFinalFailure } from './worker-metrics.ts';

/** The outcome a completed job counts as: its result's `outcome` field, else `completed`. */
export function defaultOutcome(result: unknown): string {
  const outcome = (result as { outcome?: unknown } | null | undefined)?.outcome;
  return typeof outcome === 'string' && outcome !== '' ? outcome : 'completed';
}

/**
 * A once-a-second info line of a worker's page outcomes (see {@link OutcomeSummary}): completed
 * jobs by `outcomeOf(result)`, attempts that will be retried as `retrying`, final failures as
 * `failed`, each with its reason code. Returns the summary (stop it on shutdown to write the rest).
 */
export function summariseWorker(
  worker: Worker,
  logger: Logger,
  options: { what?: string; outcomeOf?: (result: unknown) => string; intervalMs?: number } = {},
): OutcomeSummary {
  const summary = new OutcomeSummary({
    what: options.what ?? worker.name,
    logger,
    ...(options.intervalMs ? { intervalMs: options.intervalMs } : {}),
  });
  const outcomeOf = options.outcomeOf ?? defaultOutcome;
  worker.on('completed', (_job, result) => summary.record(outcomeOf(result)));
  worker.on('failed', (job, error) =>
    summary.record(isFinalFailure(job, error) ? 'failed' : 'retrying', parseReason(error.message)),
  );
  return summary.start();
}

/** A service's logger from its shared settings: LOG_LEVEL, and LOG_FORMAT for stdout. */
export function serviceLogger(
  name: string,
  config: { LOG_LEVEL: string; LOG_FORMAT: LogFormatSetting; NODE_ENV: string },
): Logger {
  return createLogger({
    name,
    level: config.LOG_LEVEL,
    format: logFormat(config.LOG_FORMAT, { isTTY: process.stdout.isTTY, nodeEnv: config.NODE_ENV }),
  });
}
