import { ArchiveError, type RawArchive } from '@gazette/archive';
import type { RobotsCache } from '@gazette/fetch';
import { normalizeUrl, type HostPoliteness, type SeenSet } from '@gazette/frontier';
import { GazetteError, PermanentError, RetryableError, type PayloadOf, type Producer } from '@gazette/jobs';
import type { Logger } from '@gazette/logger';
import { admitFetch, routePage, type CrawlOutcome, type PageLedger } from '@gazette/pipeline';
import type { DocumentResponse, RenderResult, Renderer } from './renderer.ts';

export interface RenderStepDeps {
  renderer: Renderer;
  robots: RobotsCache;
  /** Per-host interval and concurrency shared with the crawlers; null switches politeness off. */
  politeness: HostPoliteness | null;
  minIntervalMs: number;
  maxConcurrencyPerHost: number;
  archive: RawArchive;
  seen: SeenSet;
  parse: Producer<'parse'>;
  crawl: Producer<'crawl'>;
  ledger: PageLedger;
  log: Logger;
  /** Puts the job back in the queue until `at` (epoch ms) without holding a worker slot; never returns. */
  delayUntil: (at: number) => Promise<never>;
}

export type RenderOutcome = CrawlOutcome & {
  rendered?: Pick<RenderResult, 'settled' | 'scrolls' | 'requests' | 'renderMs'>;
};

/** Engine name written with every rendered record. */
export const RENDER_ENGINE = 'chromium';

/**
 * render: the page in the browser (robots and politeness as for a plain
 * fetch; the plain response already archived by the crawler is served to the
 * browser instead of fetched again), the page's response archived when the
 * browser fetched it, the rendered DOM archived as its own record next to it,
 * then links and the article go on exactly as for a plain page, the parser
 * reading the rendered record.
 */
export async function renderStep(job: PayloadOf<'render'>, deps: RenderStepDeps): Promise<RenderOutcome> {
  const url = normalizeUrl(job.url);
  let document: DocumentResponse | undefined;
  if (job.original) document = await readOriginal(url, job.original.archive, deps);

  const release = await admitFetch(url, deps, job.scope);
  let result: RenderResult;
  try {
    result = await deps.renderer.render({ url, ...(document ? { document } : {}) });
  } catch (error) {
    const reason = error instanceof GazetteError ? error.reason : 'render-unexpected';
    await deps.ledger.record(url, { state: 'fetch-failed', reason });
    if (error instanceof GazetteError) throw error;
    throw new RetryableError('render-unexpected', `rendering ${url} failed: ${String(error)}`, { cause: error });
  } finally {
    await release?.();
  }

  const fetchedAt = new Date().toISOString();
  const from =
    job.original?.archive ??
    (await deps.archive.append({
      url,
      finalUrl: result.document.finalUrl,
      status: result.document.status,
      headers: result.document.headers,
      body: result.document.body,
      fetchedAt,
      fetchMs: result.document.fetchMs,
      redirects: result.document.redirects,
    }));
  const body = Buffer.from(result.html, 'utf8');
  const ref = await deps.archive.append({
    url,
    finalUrl: result.finalUrl,
    status: result.document.status,
    headers: { 'content-type': 'text/html; charset=utf-8' },
    body,
    fetchedAt,
    fetchMs: result.renderMs,
    redirects: [],
    rendering: { from, engine: RENDER_ENGINE },
  });
  await deps.ledger.record(url, {
    state: 'fetched',
    ...(result.document.headers['etag'] ? { etag: result.document.headers['etag'] } : {}),
    ...(result.document.headers['last-modified'] ? { lastModified: result.document.headers['last-modified'] } : {}),
  });
  deps.log.info(
    { why: job.why, settled: result.settled, scrolls: result.scrolls, requests: result.requests, ms: result.renderMs },
    'page rendered',
  );
  const { original: _original, why: _why, ...crawlJob } = job;
  const routed = await routePage(
    crawlJob,
    {
      url,
      finalUrl: result.finalUrl,
      status: result.document.status,
      bytes: body.length,
      fetchedAt,
      archive: ref,
      html: result.html,
    },
    deps,
  );
  return {
    ...routed,
    rendered: {
      settled: result.settled,
      scrolls: result.scrolls,
      requests: result.requests,
      renderMs: result.renderMs,
    },
  };
}

async function readOriginal(
  url: string,
  ref: NonNullable<PayloadOf<'render'>['original']>['archive'],
  deps: RenderStepDeps,
): Promise<DocumentResponse> {
  try {
    const page = await deps.archive.read(ref);
    return {
      url: page.url,
      finalUrl: page.finalUrl,
      status: page.status,
      headers: page.headers,
      body: Buffer.from(page.body),
      fetchMs: page.fetchMs,
      redirects: page.redirects,
    };
  } catch (error) {
    if (error instanceof ArchiveError && error.reason !== 'io') {
      await deps.ledger.record(url, { state: 'fetch-failed', reason: `archive-${error.reason}` });
      throw new PermanentError(`archive-${error.reason}`, error.message, { cause: error });
    }
    throw new RetryableError('archive-io', `could not read the archive: ${String(error)}`, { cause: error });
  }
}
