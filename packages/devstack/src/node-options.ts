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

/**
 * Whether this Node.js loads an ES module from `require()` only with `--experimental-require-module`:
 * 20.17–20.18 and 22.0–22.11 (it is on by default from 20.19 and 22.12; before 20.17 the flag does
 * not exist, and Gazette needs 20.18 or later anyway). The api's web framework requires packages
 * that now ship as ES modules only (content-disposition 3 from @fastify/static, cookie 2 from
 * light-my-request); without the flag such a Node.js stops the api before it starts.
 */
export function requireModuleNeedsFlag(version: string = process.versions.node): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return (major === 20 && minor >= 17 && minor < 19) || (major === 22 && minor < 12);
}

/** `env` with `--experimental-require-module` added to `NODE_OPTIONS` when this Node.js needs it. */
export function withRequireModule(env: NodeJS.ProcessEnv, version?: string): NodeJS.ProcessEnv {
  const current = env.NODE_OPTIONS?.trim() ?? '';
  if (!requireModuleNeedsFlag(version) || /(^|\s)--experimental-require-module(\s|$)/.test(current)) return env;
  return { ...env, NODE_OPTIONS: `${current} --experimental-require-module`.trim() };
}

/** The environment a Gazette service process starts with: the heap ceiling, and the flag above where needed. */
export function serviceProcessEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return withRequireModule(withHeapCeiling(env));
}
