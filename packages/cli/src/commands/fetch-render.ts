import { extract, ExtractionError } from '@gazette/extract';
import { createFetcher } from '@gazette/fetch';
import { GazetteError } from '@gazette/jobs';
import { BrowserMissingError, Renderer, type RenderResult } from '@gazette/render';

export interface FetchRenderOptions {
  url: string;
  json: boolean;
  extract: boolean;
  allow: string[];
  chromiumPath?: string;
}

function human(result: RenderResult): string {
  const rows: Array<[string, string]> = [
    ['reason', 'ok'],
    ['status', String(result.document.status)],
    ['final url', result.finalUrl],
    ['rendered', `${Buffer.byteLength(result.html)} bytes of DOM (page ${result.document.body.length} bytes)`],
    ['timing', `render ${result.renderMs} ms, page fetch ${result.document.fetchMs} ms`],
    ['settled', `${result.settled ? 'yes' : 'no (time limit)'}, ${result.scrolls} scrolls`],
    [
      'requests',
      `${result.requests.fetched} fetched, ${result.requests.blocked} refused, ${result.requests.failed} failed`,
    ],
  ];
  for (const b of result.blocked.slice(0, 10)) rows.push(['refused', `${b.reason} ${b.url}`]);
  return rows.map(([k, v]) => `${k.padEnd(13)} ${v}`).join('\n');
}

/**
 * `gazette fetch URL --render`: renders one page in Debian's Chromium the way
 * the render worker does (every request through the fetcher's network guard
 * and CRAWLER_ALLOW_HOSTS), and prints the outcome or, with `--extract`, the
 * record extracted from the rendered DOM.
 */
export async function fetchRendered(opts: FetchRenderOptions): Promise<number> {
  const fetcher = createFetcher({ allow: opts.allow, contentTypes: null });
  const renderer = new Renderer({
    fetcher,
    concurrency: 1,
    ...(opts.chromiumPath ? { executablePath: opts.chromiumPath } : {}),
  });
  const fail = (reason: string, message: string) => {
    if (opts.json) console.log(JSON.stringify({ ok: false, reason, url: opts.url, error: message }, null, 2));
    else console.log(`${'reason'.padEnd(13)} ${reason}\n${'error'.padEnd(13)} ${message}`);
    return 1;
  };
  try {
    let result: RenderResult;
    try {
      result = await renderer.render({ url: opts.url });
    } catch (error) {
      if (error instanceof BrowserMissingError || error instanceof GazetteError)
        return fail(error.reason, error.message);
      throw error;
    }
    const summary = {
      ok: true,
      reason: 'ok',
      url: result.url,
      finalUrl: result.finalUrl,
      status: result.document.status,
      bytes: Buffer.byteLength(result.html),
      settled: result.settled,
      scrolls: result.scrolls,
      requests: result.requests,
      blocked: result.blocked,
      renderMs: result.renderMs,
    };
    if (!opts.extract) {
      console.log(opts.json ? JSON.stringify(summary, null, 2) : human(result));
      return 0;
    }
    let extracted;
    try {
      extracted = extract({
        body: Buffer.from(result.html, 'utf8'),
        url: result.finalUrl,
        contentType: 'text/html; charset=utf-8',
        fetchedAt: new Date().toISOString(),
      });
    } catch (error) {
      if (error instanceof ExtractionError) return fail(`extract-${error.reason}`, error.message);
      throw error;
    }
    if (extracted.kind === 'not-article') {
      if (opts.json)
        console.log(
          JSON.stringify({ ...summary, ok: false, reason: extracted.reason, detail: extracted.detail }, null, 2),
        );
      else console.log(`${human(result)}\n${'article'.padEnd(13)} no: ${extracted.reason} (${extracted.detail})`);
      return 1;
    }
    if (opts.json) console.log(JSON.stringify({ ...summary, record: extracted.record }, null, 2));
    else {
      const r = extracted.record;
      console.log(
        `${human(result)}\n${'title'.padEnd(13)} ${r.title}\n${'authors'.padEnd(13)} ${r.authors.join(', ') || '-'}\n` +
          `${'published'.padEnd(13)} ${r.publishedAt ?? '-'}\n${'words'.padEnd(13)} ${r.wordCount}\n\n${r.body.slice(0, 600)}`,
      );
    }
    return 0;
  } finally {
    await renderer.close();
    await fetcher.close();
  }
}
