#!/usr/bin/env node
// Keeps the build wiring of every workspace in step with its package.json:
//   - tsconfig.build.json references the Gazette packages it depends on (tsc -b builds them first);
//   - each export maps the "@gazette/source" condition to TypeScript source and the default to dist/;
//   - the root tsconfig.build.json references every workspace.
// `node infra/workspaces.mjs` writes the files; `--check` fails when one is out of step.
import { readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';

const root = fileURLToPath(new URL('..', import.meta.url));
const check = process.argv.includes('--check');
const dirs = ['packages', 'services'].flatMap((group) =>
  readdirSync(join(root, group))
    .map((name) => join(group, name))
    .filter((dir) => existsSync(join(root, dir, 'package.json'))),
);
const byName = new Map(
  dirs.map((dir) => [JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')).name, dir]),
);
const stale = [];

async function write(file, value) {
  const path = join(root, file);
  const options = (await prettier.resolveConfig(path)) ?? {};
  const text = await prettier.format(JSON.stringify(value), { ...options, filepath: path });
  const current = existsSync(path) ? readFileSync(path, 'utf8') : '';
  if (current === text) return;
  if (check) stale.push(file);
  else writeFileSync(path, text);
}

/** "./src/x.ts" -> { "@gazette/source": "./src/x.ts", "types": "./dist/x.d.ts", "default": "./dist/x.js" } */
function conditions(source) {
  const built = source.replace(/^\.\/src\//, './dist/').replace(/\.ts$/, '');
  return { '@gazette/source': source, types: `${built}.d.ts`, default: `${built}.js` };
}

for (const dir of dirs) {
  const manifest = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
  const deps = Object.keys({ ...manifest.dependencies, ...manifest.devDependencies })
    .filter((name) => byName.has(name))
    .sort();
  await write(join(dir, 'tsconfig.build.json'), {
    extends: relative(join(root, dir), join(root, 'tsconfig.build-base.json')),
    compilerOptions: { rootDir: 'src', outDir: 'dist', tsBuildInfoFile: 'dist/.tsbuildinfo' },
    include: ['src'],
    exclude: ['src/**/*.test.ts'],
    references: deps.map((name) => ({
      path: `${relative(join(root, dir), join(root, byName.get(name)))}/tsconfig.build.json`,
    })),
  });
  if (manifest.exports) {
    const exports = {};
    for (const [key, target] of Object.entries(manifest.exports)) {
      const source = typeof target === 'string' ? target : target['@gazette/source'];
      exports[key] = conditions(source);
    }
    manifest.exports = exports;
  }
  manifest.scripts = { ...manifest.scripts, build: 'tsc -b tsconfig.build.json' };
  await write(join(dir, 'package.json'), manifest);
}
await write('tsconfig.build.json', {
  files: [],
  references: dirs.map((dir) => ({ path: `${dir}/tsconfig.build.json` })),
});

if (stale.length > 0) {
  console.error(`out of step with package.json (run node infra/workspaces.mjs):\n  ${stale.join('\n  ')}`);
  process.exit(1);
}
