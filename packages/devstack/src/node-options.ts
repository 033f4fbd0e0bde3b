/**
 * V8 old-space ceiling (MB) each Gazette service runs with unless `NODE_OPTIONS`
 * already sets one. Without a ceiling V8 sizes the heap by how cheap collection
 * has been, and a busy parser can grow past 500 MB of mostly dead pages; with
 * it, workers stay under about 200 MB RSS at full load. A single page of the
 * largest HTML the extractor accepts (5 MB of markup) needs under 192 MB.
 */
export const DEFAULT_MAX_OLD_SPACE_MB = 256;

/** `env` with the heap ceiling added to `NODE_OPTIONS` when it has none. */
export function withHeapCeiling(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const current = env.NODE_OPTIONS?.trim() ?? '';
  if (/(^|\s)--max-old-space-size[=\s]/.test(current)) return env;
  return { ...env, NODE_OPTIONS: `${current} --max-old-space-size=${DEFAULT_MAX_OLD_SPACE_MB}`.trim() };
}
