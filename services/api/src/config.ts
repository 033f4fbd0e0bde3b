import { z } from 'zod';
import { commonEnvShape, elasticsearchEnvShape, parseEnv } from '@gazette/runtime';

export const apiConfigSchema = z.object({
  ...commonEnvShape,
  ...elasticsearchEnvShape,
  API_HOST: z.string().default('127.0.0.1'),
  API_PORT: z.coerce.number().int().nonnegative().default(8080),
});

export type ApiConfig = z.infer<typeof apiConfigSchema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  return parseEnv(apiConfigSchema, env);
}
