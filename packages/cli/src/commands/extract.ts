import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { extract, ExtractionError } from '@gazette/extract';
import { UsageError, type Command } from '../command.ts';
import { parseFlags } from '../support/args.ts';

interface Options {
  dir: string;
  urls?: string;
  out: string;
}

function parseArgs(argv: string[]): Options {
  const { flags, positionals } = parseFlags(argv, { dir: 'string', urls: 'string', out: 'string' });
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);
  const { dir, urls, out } = flags as Partial<Record<keyof Options, string>>;
  if (!dir) throw new UsageError('--dir is required');
  if (!out) throw new UsageError('--out is required');
  return { dir, out, ...(urls ? { urls } : {}) };
}

type Entry = Record<string, unknown>;

/** `gazette extract`: runs the article extractor over every saved page in a folder. */
export const extractCommand: Command = {
  usage: [
    'usage: gazette extract --dir DIR [--urls FILE] --out FILE',
    '',
    '  --dir DIR    folder of *.html and *.html.gz pages',
    '  --urls FILE  JSON mapping ids to { "url": ... } (e.g. a ground-truth.json); the id is the file name',
    '               without .html/.html.gz',
    '  --out FILE   where to write { "<id>": <record with articleBody> }',
    '',
    'A page that fails gives { "error": { "reason", "message" } } under its id; the run goes on.',
  ].join('\n'),
  async run(argv) {
    const opts = parseArgs(argv);
    const dir = resolve(opts.dir);
    let urls: Record<string, { url?: string }> = {};
    if (opts.urls) {
      try {
        urls = JSON.parse(await readFile(resolve(opts.urls), 'utf8')) as Record<string, { url?: string }>;
      } catch (error) {
        throw new UsageError(`cannot read --urls ${opts.urls}: ${(error as Error).message}`);
      }
    }
    let names: string[];
    try {
      names = (await readdir(dir)).filter((n) => /\.html(\.gz)?$/.test(n)).sort();
    } catch (error) {
      throw new UsageError(`cannot read --dir ${opts.dir}: ${(error as Error).message}`);
    }
    const fetchedAt = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const out: Record<string, Entry> = {};
    let articles = 0;
    let failed = 0;
    for (const name of names) {
      const id = name.replace(/\.html(\.gz)?$/, '');
      try {
        const raw = await readFile(join(dir, name));
        const body = name.endsWith('.gz') ? gunzipSync(raw) : raw;
        const url = urls[id]?.url ?? `https://localhost/${encodeURIComponent(id)}`;
        const result = extract({ body, url, fetchedAt });
        if (result.kind === 'article') {
          out[id] = { ...result.record, articleBody: result.record.body };
          articles++;
        } else {
          out[id] = {
            notArticle: { reason: result.reason, detail: result.detail },
            title: result.title,
            articleBody: '',
          };
        }
      } catch (error) {
        failed++;
        const reason = error instanceof ExtractionError ? error.reason : 'internal';
        out[id] = {
          error: { reason, message: error instanceof Error ? error.message : String(error) },
          articleBody: '',
        };
      }
    }
    await writeFile(resolve(opts.out), `${JSON.stringify(out, null, 2)}\n`);
    console.log(
      `extracted ${names.length} pages: ${articles} articles, ${names.length - articles - failed} not articles, ${failed} errors → ${opts.out}`,
    );
    return 0;
  },
};
