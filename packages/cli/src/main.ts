import { readFileSync } from 'node:fs';
import { UsageError } from './command.ts';
import { commands } from './commands/index.ts';

function help(): string {
  const width = Math.max(...commands.map((c) => c.name.length), 4);
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    'usage: gazette <command> [options]',
    '',
    'commands:',
    ...lines,
    '',
    'gazette <command> --help (or gazette help <command>) shows a command’s options; gazette --version its version.',
  ].join('\n');
}

/** The CLI's own version, from its package.json (one level above both `src/` and `dist/`). */
function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return `gazette ${pkg.version}`;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-V' || name === 'version') {
    console.log(version());
    return 0;
  }
  if (name === 'help' && rest.length > 0) {
    // `gazette help search` is `gazette search --help`.
    const [topic, ...extra] = rest;
    const entry = commands.find((c) => c.name === topic);
    if (!entry || extra.length > 0) {
      console.error(
        `gazette help: ${entry ? `unexpected argument ${extra[0]}` : `unknown command '${topic}'`}\n\n${help()}`,
      );
      return 2;
    }
    console.log((await entry.load()).usage);
    return 0;
  }
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    console.log(help());
    return name ? 0 : 2;
  }
  const entry = commands.find((c) => c.name === name);
  if (!entry) {
    console.error(`gazette: unknown command '${name}'\n\n${help()}`);
    return 2;
  }
  const command = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(command.usage);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`gazette ${name}: ${error.message}\n\n${command.usage}`);
      return 2;
    }
    // Loaded only on this path: `gazette help` and the Redis-only commands stay light.
    const { isIndexMissing } = await import('@gazette/search');
    const message = isIndexMissing(error)
      ? 'the articles index does not exist in Elasticsearch yet: the indexer creates it when it starts (check ES_INDEX or --index)'
      : error instanceof Error
        ? error.message
        : String(error);
    console.error(`gazette ${name}: ${message}`);
    return 1;
  }
}
