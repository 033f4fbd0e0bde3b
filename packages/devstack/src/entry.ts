import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Node arguments that run one Gazette entry point, given by its source path
 * relative to `root` (such as `services/api/src/main.ts`): the compiled
 * `dist/…/*.js` beside it when the build has produced it, otherwise the
 * TypeScript source through tsx with the `@gazette/source` condition (so the
 * Gazette packages it imports load from source too).
 */
export function entryArgs(root: string, source: string): string[] {
  const compiled = compiledPath(source);
  if (compiled && existsSync(join(root, compiled))) return [join(root, compiled)];
  return ['--conditions=@gazette/source', '--import', 'tsx', join(root, source)];
}

/** `<workspace>/src/<path>.ts` -> `<workspace>/dist/<path>.js`; null for anything outside a `src/` folder. */
export function compiledPath(source: string): string | null {
  const match = /^(.*?)\/src\/(.+)\.ts$/.exec(source.replaceAll('\\', '/'));
  return match ? `${match[1]}/dist/${match[2]}.js` : null;
}
