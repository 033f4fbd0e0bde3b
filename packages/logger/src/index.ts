import { pino, type Logger, type LoggerOptions } from 'pino';
import pinoPretty from 'pino-pretty';

export type { Logger } from 'pino';
export { OutcomeSummary, type OutcomeSummaryOptions } from './summary.ts';

/** `auto`: pretty on a terminal in development, JSON otherwise; `pretty` and `json` force one. */
export type LogFormatSetting = 'auto' | 'pretty' | 'json';

/**
 * The format a process logs in: `pretty` (coloured, one readable line per entry) when asked for,
 * or under `auto` when stdout is a terminal and NODE_ENV is `development`; JSON otherwise (files,
 * pipes, containers, log shippers).
 */
export function logFormat(
  setting: LogFormatSetting,
  where: { isTTY: boolean | undefined; nodeEnv: string | undefined },
): 'pretty' | 'json' {
  if (setting !== 'auto') return setting;
  return where.isTTY === true && (where.nodeEnv ?? 'development') === 'development' ? 'pretty' : 'json';
}

export interface CreateLoggerOptions {
  /** Service or tool name, bound to every line as `service`. */
  name: string;
  level?: string;
  /** Where lines go; defaults to stdout. */
  destination?: NodeJS.WritableStream;
  /** `json` (default) or `pretty` (see {@link logFormat}). */
  format?: 'pretty' | 'json';
}

/** Logger for a Gazette process (JSON, or pretty for a terminal). Secrets in well-known fields are redacted. */
export function createLogger(options: CreateLoggerOptions): Logger {
  const config: LoggerOptions = {
    level: options.level ?? 'info',
    base: { service: options.name },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: [
        '*.authorization',
        '*.headers.authorization',
        '*.token',
        '*.password',
        'config.apiToken',
        'config.readToken',
      ],
      censor: '[redacted]',
    },
  };
  if (options.format === 'pretty') {
    // In-process and synchronous (no worker thread): a development terminal, not a hot path.
    const pretty = pinoPretty({
      colorize: options.destination === undefined && process.stdout.isTTY === true,
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: 'pid,hostname,service',
      messageFormat: '{service}: {msg}',
      sync: true,
      ...(options.destination ? { destination: options.destination } : {}),
    });
    return pino(config, pretty);
  }
  return options.destination ? pino(config, options.destination) : pino(config);
}
