import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHostileServer, type HostileServer } from '@gazette/fetch/testing';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const main = new URL('./main.ts', import.meta.url).href;

/** Module hooks that append every module URL the process resolves to the file named by GAZETTE_RECORD_LOADS. */
const RECORDER = `
import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(process.env.GAZETTE_RECORD_LOADS, result.url + '\\n');
  return result;
}`;
const REGISTER = `import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(RECORDER)}`)});`;

let dir: string;
let server: HostileServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gazette-cli-loads-'));
  server = await startHostileServer();
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * Runs the CLI from its sources in a child process (not a blocking one: the test's server answers
 * it); returns its exit code and the modules it resolved.
 */
async function runCli(argv: string[], name: string): Promise<{ status: number; modules: string[] }> {
  const record = join(dir, `${name}.txt`);
  const child = await promisify(execFile)(
    process.execPath,
    [
      '--conditions=@gazette/source',
      '--import',
      'tsx',
      '--import',
      `data:text/javascript,${encodeURIComponent(REGISTER)}`,
      '--input-type=module',
      '-e',
      `const { main } = await import(${JSON.stringify(main)}); process.exitCode = await main(${JSON.stringify(argv)});`,
    ],
    { cwd: repoRoot, env: { ...process.env, GAZETTE_RECORD_LOADS: record, CRAWLER_ALLOW_HOSTS: '127.0.0.1' } },
  ).then(
    () => 0,
    (error: { code?: unknown }) => (typeof error.code === 'number' ? error.code : -1),
  );
  const modules = readFileSync(record, 'utf8').split('\n').filter(Boolean);
  return { status: child, modules };
}

const loads = (modules: string[], part: string) => modules.some((url) => url.includes(part));

describe('what the CLI loads', () => {
  it('`gazette help` loads no command and none of the packages the commands use', async () => {
    const { status, modules } = await runCli(['help'], 'help');
    expect(status).toBe(0);
    expect(loads(modules, '/packages/cli/src/main.ts')).toBe(true);
    for (const part of ['/packages/cli/src/commands/fetch.ts', '/packages/jobs/', '/packages/search/', 'bullmq']) {
      expect(loads(modules, part), part).toBe(false);
    }
  });

  it('`gazette queues` and `gazette revisions` load the Redis records without the extractor, the archive or Elasticsearch', async () => {
    for (const command of ['queues', 'revisions']) {
      // --help loads the command's module and everything it imports, and connects to nothing.
      const { status, modules } = await runCli([command, '--help'], `${command}-help`);
      expect(status).toBe(0);
      expect(loads(modules, '/packages/jobs/')).toBe(true);
      for (const part of ['/packages/extract/', '/packages/archive/', '/packages/search/', '@elastic', '@aws-sdk']) {
        expect(loads(modules, part), `${command}: ${part}`).toBe(false);
      }
    }
  });

  it('`gazette fetch` without --render fetches without loading the browser driver', async () => {
    const { status, modules } = await runCli(['fetch', `${server.origin}/ok`], 'fetch');
    expect(status).toBe(0);
    expect(loads(modules, '/packages/fetch/src/')).toBe(true);
    for (const part of ['/packages/render/', 'playwright-core', 'commands/fetch-render.ts']) {
      expect(loads(modules, part), part).toBe(false);
    }
  });
});
