import { z } from 'zod';
import { fetchEnvShape } from '@gazette/fetch';
import { archiveEnvShape, commonEnvShape, parseEnv } from '@gazette/runtime';

const list = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    );

const flag = z
  .enum(['true', 'false', '1', '0'])
  .default('false')
  .transform((v) => v === 'true' || v === '1');

/**
 * The render worker's settings. The crawler's network, robots and politeness
 * settings (`CRAWLER_*`) apply to the browser's requests too, with the same
 * defaults, so one environment configures both.
 */
export const rendererConfigSchema = z.object({
  ...commonEnvShape,
  ...archiveEnvShape,
  /** Pages rendered at once: one browser context each. */
  RENDERER_CONCURRENCY: z.coerce.number().int().positive().max(64).default(2),
  /** Whole render of one page: load, scrolling, settling, DOM snapshot. */
  RENDERER_PAGE_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
  /** The network counts as settled after this long without a request in flight. */
  RENDERER_SETTLE_MS: z.coerce.number().int().positive().default(500),
  /** Scrolls to the bottom (lazy-loaded content) at most this many times per page. */
  RENDERER_MAX_SCROLLS: z.coerce.number().int().nonnegative().default(10),
  /** V8 heap ceiling of each page's renderer process, MB; a page past it crashes alone. */
  RENDERER_MAX_HEAP_MB: z.coerce.number().int().min(16).default(256),
  /** Resource types refused (Playwright names: image, media, font, stylesheet, ...). */
  RENDERER_BLOCK_TYPES: list('image,media,font'),
  /** Let pages load from other sites (CDNs, ads, analytics); same site only by default. */
  RENDERER_ALLOW_THIRD_PARTY: flag,
  /** A browser context is replaced after this many pages. */
  RENDERER_PAGES_PER_CONTEXT: z.coerce.number().int().positive().default(50),
  RENDERER_METRICS_PORT: z.coerce.number().int().nonnegative().default(9104),
  /** Chromium executable (Debian's chromium package; `bash infra/chromium.sh` installs it). */
  CHROMIUM_PATH: z.string().default('/usr/bin/chromium'),
  ...fetchEnvShape,
});

export type RendererConfig = z.infer<typeof rendererConfigSchema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): RendererConfig {
  return parseEnv(rendererConfigSchema, env);
}
