import { z } from 'zod';
import { commonEnvShape, elasticsearchEnvShape, parseEnv } from '@gazette/runtime';

export const indexerConfigSchema = z.object({
  ...commonEnvShape,
  ...elasticsearchEnvShape,
  /** Jobs held at once; also the largest bulk request. */
  INDEXER_CONCURRENCY: z.coerce.number().int().positive().default(100),
  INDEXER_BULK_SIZE: z.coerce.number().int().positive().default(100),
  INDEXER_FLUSH_MS: z.coerce.number().int().positive().default(200),
  INDEXER_METRICS_PORT: z.coerce.number().int().nonnegative().default(9103),
});

export type IndexerConfig = z.infer<typeof indexerConfigSchema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): IndexerConfig {
  return parseEnv(indexerConfigSchema, env);
}
