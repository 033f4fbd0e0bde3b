import { z } from 'zod';
import { archiveEnvShape, commonEnvShape, parseEnv } from '@gazette/runtime';

export const parserConfigSchema = z.object({
  ...commonEnvShape,
  ...archiveEnvShape,
  /** Parsing is CPU-bound: a couple of jobs per process hide I/O; scale with more processes, one per core. */
  PARSER_CONCURRENCY: z.coerce.number().int().positive().default(6),
  PARSER_METRICS_PORT: z.coerce.number().int().nonnegative().default(9102),
});

export type ParserConfig = z.infer<typeof parserConfigSchema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ParserConfig {
  return parseEnv(parserConfigSchema, env);
}
