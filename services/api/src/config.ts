import { z } from 'zod';
import { allowEntryProblem } from '@gazette/fetch';
import { archiveEnvShape, commonEnvShape, elasticsearchEnvShape, parseEnv } from '@gazette/runtime';

const token = z.string().min(16, 'use a token of at least 16 characters').optional();

export const apiConfigSchema = z
  .object({
    ...commonEnvShape,
    ...elasticsearchEnvShape,
    ...archiveEnvShape,
    API_HOST: z.string().default('127.0.0.1'),
    API_PORT: z.coerce.number().int().nonnegative().default(8080),
    /** Bearer token of the operator routes, the queue dashboard and the console; required in production. */
    API_OPERATOR_TOKEN: token,
    /** Bearer token of the read routes (articles, related, search); unset: they are open. */
    API_READ_TOKEN: token,
    /** The crawler's allow list: URLs the crawler would refuse are refused by POST /crawl and /sources. */
    CRAWLER_ALLOW_HOSTS: z
      .string()
      .default('')
      .transform((s) =>
        s
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean),
      )
      .superRefine((entries, ctx) => {
        for (const entry of entries) {
          const problem = allowEntryProblem(entry);
          if (problem) ctx.addIssue({ code: 'custom', message: problem });
        }
      }),
  })
  .superRefine((config, ctx) => {
    if (config.NODE_ENV === 'production' && !config.API_OPERATOR_TOKEN) {
      ctx.addIssue({
        code: 'custom',
        path: ['API_OPERATOR_TOKEN'],
        message: 'is required when NODE_ENV=production (the operator routes would be open to anyone)',
      });
    }
  });

export type ApiConfig = z.infer<typeof apiConfigSchema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  return parseEnv(apiConfigSchema, env);
}
