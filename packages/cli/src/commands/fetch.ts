import { createFetcher, type FetchOutcome } from '@gazette/fetch';
import { UsageError, type Command } from '../command.ts';
import { parseFlags } from '../support/args.ts';

interface Options {
  url: string;
  json: boolean;
  render: boolean;
  extract: boolean;
  etag?: string;
  lastModified?: string;
}

function parseArgs(argv: string[]): Options {
  const { flags, positionals } = parseFlags(argv, {
    json: 'boolean',
    render: 'boolean',
    extract: 'boolean',
    etag: 'string',
    'last-modified': 'string',
  });
  const [url, extra] = positionals;
  if (extra !== undefined) throw new UsageError(`unexpected argument ${extra}`);
  const json = flags.json === true;
  const render = flags.render === true;
  const extractRecord = flags.extract === true;
  const etag = flags.etag as string | undefined;
  const lastModified = flags['last-modified'] as string | undefined;
  if (!url) throw new UsageError('a URL is required');
  if (extractRecord && !render) throw new UsageError('--extract goes with --render');
  if (render && (etag || lastModified)) throw new UsageError('--render does not send conditional headers');
  return {
    url,
    json,
    render,
    extract: extractRecord,
    ...(etag ? { etag } : {}),
    ...(lastModified ? { lastModified } : {}),
  };
}

/**
 * Hosts/CIDRs the network guard lets through: the crawler's own CRAWLER_ALLOW_HOSTS (comma-separated;
 * empty by default). GAZETTE_FETCH_ALLOW, its former name, is read when CRAWLER_ALLOW_HOSTS is unset.
 */
export function allowListFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env['CRAWLER_ALLOW_HOSTS'] || env['GAZETTE_FETCH_ALLOW'] || '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function human(outcome: FetchOutcome): string {
  const rows: Array<[string, string]> = [
    ['reason', outcome.reason],
    ['status', outcome.status === null ? '-' : String(outcome.status)],
    ['final url', outcome.finalUrl],
  ];
  for (const hop of outcome.redirects) rows.push(['redirect', hop]);
  rows.push(['content-type', outcome.headers['content-type'] ?? '-']);
  rows.push(['bytes', `${outcome.bytes} (wire ${outcome.wireBytes})`]);
  rows.push([
    'timing',
    `total ${outcome.timings.totalMs} ms, headers ${outcome.timings.headersMs === null ? '-' : `${outcome.timings.headersMs} ms`}`,
  ]);
  if (outcome.headers['etag']) rows.push(['etag', outcome.headers['etag']]);
  if (outcome.headers['last-modified']) rows.push(['last-modified', outcome.headers['last-modified']]);
  if (outcome.retryAfterMs !== undefined) rows.push(['retry after', `${outcome.retryAfterMs} ms`]);
  if (outcome.error) rows.push(['error', outcome.error]);
  return rows.map(([k, v]) => `${k.padEnd(13)} ${v}`).join('\n');
}

/** `gazette fetch`: fetch one URL the way the crawler does and show what happened. */
export const fetchCommand: Command = {
  usage: [
    'usage: gazette fetch <url> [--json] [--etag VALUE] [--last-modified DATE]',
    '       gazette fetch <url> --render [--extract] [--json]',
    '',
    '  --json                print the outcome as JSON (body omitted)',
    '  --render              render the page in Chromium (CHROMIUM_PATH, default /usr/bin/chromium) as the',
    '                        render worker does: every request through the same guard, images, media, fonts',
    '                        and other sites refused',
    '  --extract             with --render: print the article record extracted from the rendered page',
    '  --etag VALUE          send If-None-Match (a 304 reports not-modified)',
    '  --last-modified DATE  send If-Modified-Since',
    '',
    'Same defaults as the crawler: 10 s connect, 15 s headers, 30 s total timeouts, 5 MB body cap,',
    'non-public addresses refused. CRAWLER_ALLOW_HOSTS=127.0.0.1,localhost (comma-separated hosts,',
    'addresses or CIDRs) lets chosen ones through. Exit 0 on ok or not-modified, 1 otherwise.',
  ].join('\n'),
  async run(argv) {
    const opts = parseArgs(argv);
    if (opts.render) {
      // Loaded only here: the browser driver takes longer to load than a plain fetch takes to run.
      const { fetchRendered } = await import('./fetch-render.ts');
      const chromiumPath = process.env['CHROMIUM_PATH'];
      return fetchRendered({
        url: opts.url,
        json: opts.json,
        extract: opts.extract,
        allow: allowListFromEnv(),
        ...(chromiumPath ? { chromiumPath } : {}),
      });
    }
    const fetcher = createFetcher({ allow: allowListFromEnv() });
    try {
      const outcome = await fetcher.fetch(opts.url, {
        ...(opts.etag ? { etag: opts.etag } : {}),
        ...(opts.lastModified ? { lastModified: opts.lastModified } : {}),
      });
      if (opts.json) {
        const { body: _body, ...rest } = outcome;
        console.log(JSON.stringify(rest, null, 2));
      } else console.log(human(outcome));
      return outcome.ok ? 0 : 1;
    } finally {
      await fetcher.close();
    }
  },
};
