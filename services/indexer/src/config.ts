import { z } from 'zod';
import { commonEnvShape, elasticsearchEnvShape, parseEnv } from '@gazette/runtime';

export const indexerConfigSchema = z.object({
  ...commonEnvShape,
  ...elasticsearchEnvShape,
  /**
   * Jobs held at once. A job is held until its document is acknowledged, so several times the bulk
   * size keeps a few bulk requests in flight while the next ones fill (measured with bench:pipeline).
   */
  INDEXER_CONCURRENCY: z.coerce.number().int().positive().default(600),
  INDEXER_BULK_SIZE: z.coerce.number().int().positive().default(150),
  INDEXER_FLUSH_MS: z.coerce.number().int().positive().default(300),
  INDEXER_METRICS_PORT: z.coerce.number().int().nonnegative().default(9103),
});

export type IndexerConfig = z.infer<typeof indexerConfigSchema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): IndexerConfig {
  return parseEnv(indexerConfigSchema, env);
}
