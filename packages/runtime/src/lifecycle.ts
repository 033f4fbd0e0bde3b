import type { Logger } from '@gazette/logger';

export interface ShutdownOptions {
  logger: Logger;
  /** Longest time the stop callbacks get before the process exits anyway. */
  graceMs: number;
  /** Called in order on SIGTERM / SIGINT: stop taking work, finish what is in flight, close connections. */
  stop: () => Promise<void>;
}

/**
 * SIGTERM and SIGINT drain the process: `stop` runs once; if it has not
 * finished within the grace time the process exits with code 1.
 */
export function handleShutdown(options: ShutdownOptions): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    options.logger.info({ signal, graceMs: options.graceMs }, 'draining');
    const timer = setTimeout(() => {
      options.logger.error({ graceMs: options.graceMs }, 'grace time exceeded, exiting');
      process.exit(1);
    }, options.graceMs);
    timer.unref();
    options
      .stop()
      .then(() => {
        options.logger.info('stopped cleanly');
        process.exit(0);
      })
      .catch((error: unknown) => {
        options.logger.error({ err: error }, 'error while stopping');
        process.exit(1);
      });
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}
