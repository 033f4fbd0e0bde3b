/**
 * A genuine WordPress site (infra/wordpress/wp.sh: Debian's package, MariaDB, PHP's built-in server)
 * crawled the way an operator would: a source with the home page, `/feed/` and `/wp-sitemap.xml`,
 * link depth 2, run through the crawler, parser, indexer and api as processes, then scored against
 * the ground truth the site was filled with.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Queue } from 'bullmq';
import {
  REPO_ROOT,
  deleteKeysWithPrefix,
  isIdle,
  queueCounts,
  startService,
  waitFor,
  type ServiceProcess,
} from '@gazette/devstack';
import { normalizeUrl } from '@gazette/frontier';
import { catalog, createRedis } from '@gazette/jobs';
import { PageLedger, type PageEntry } from '@gazette/pipeline';
import { createSearchClient, dropArticleIndices } from '@gazette/search';

const run = promisify(execFile);

export const WP_THEMES = ['twentytwentythree', 'twentytwentyone'] as const;
export type WpTheme = (typeof WP_THEMES)[number];

export interface TruthPost {
  id: number;
  url: string;
  path: string;
  title: string;
  author: string;
  date: string;
  categories: string[];
  tags: string[];
  text: string;
  readMore: string[];
  sticky: boolean;
  comments: number;
}

export interface Truth {
  site: string;
  posts: TruthPost[];
  pages: Array<{ id: number; url: string; path: string; title: string }>;
}

export interface WordPressSite {
  url: string;
  truth: Truth;
}

const script = resolve(REPO_ROOT, 'infra/wordpress/wp.sh');
const dataDir = () => resolve(REPO_ROOT, process.env.GAZETTE_DATA_DIR ?? '.data');

async function wp(...args: string[]): Promise<string> {
  const { stdout } = await run('bash', [script, ...args], {
    env: process.env,
    timeout: 15 * 60_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout;
}

/** Starts (installing and filling on first use) the WordPress site and reads its ground truth. */
export async function startWordPress(): Promise<WordPressSite> {
  await wp('start');
  const port = process.env.WP_PORT ?? '8091';
  const url = `http://127.0.0.1:${port}`;
  const truth = JSON.parse(await readFile(join(dataDir(), 'wordpress/ground-truth.json'), 'utf8')) as Truth;
  // The permalinks in the ground truth carry the port the site was filled on.
  const rebase = (u: string) => `${url}${new URL(u).pathname}`;
  for (const p of truth.posts) {
    p.url = rebase(p.url);
    p.readMore = p.readMore.map(rebase);
  }
  for (const p of truth.pages) p.url = rebase(p.url);
  return { url, truth };
}

export interface WordPressUpdates {
  edited: Array<{
    id: number;
    url: string;
    title: string;
    text: string;
    oldTitle: string;
    oldText: string;
    modified: string;
  }>;
  deleted: Array<{ id: number; url: string; title: string }>;
  unpublished: Array<{ id: number; url: string; title: string }>;
  trashed: Array<{ id: number; url: string; title: string }>;
  /** Posts whose slug changed: the old URL redirects (301) to `to`. */
  moved: Array<{ id: number; url: string; to: string; title: string; text: string }>;
  added: Array<{ id: number; url: string; title: string; author: string; date: string; text: string }>;
  /** Posts left as they were. */
  unchanged: string[];
}

/**
 * Changes the site's news through WordPress's API (`wp.sh update`: corrections, a deletion, an
 * unpublished and a trashed post, a new slug, new posts) and reads what was done. The next
 * {@link startWordPress} fills the site again from scratch.
 */
export async function updateWordPress(site: WordPressSite): Promise<WordPressUpdates> {
  await wp('update');
  const u = JSON.parse(await readFile(join(dataDir(), 'wordpress/updates.json'), 'utf8')) as WordPressUpdates;
  const rebase = (url: string) => `${site.url}${new URL(url).pathname}`;
  for (const list of [u.edited, u.deleted, u.unpublished, u.trashed, u.added])
    for (const p of list) p.url = rebase(p.url);
  for (const m of u.moved) {
    m.url = rebase(m.url);
    m.to = rebase(m.to);
  }
  u.unchanged = u.unchanged.map(rebase);
  return u;
}

export async function setTheme(theme: WpTheme): Promise<void> {
  await wp('theme', theme);
}

export async function stopWordPress(): Promise<void> {
  await wp('stop');
}

export interface IndexedDoc {
  id: string;
  url: string;
  canonicalUrl: string;
  title: string;
  authors: string[];
  publishedAt: string | null;
  modifiedAt: string | null;
  section: string | null;
  tags: string[];
  body: string;
  relatedLinks: Array<{ url: string; text: string }>;
}

export interface CrawlResult {
  docs: IndexedDoc[];
  /** Every URL a crawl job was run for (completed or failed). */
  fetched: string[];
  failed: Array<{ url: string; reason: string }>;
  /** Page states of the URLs asked for (`inspect`), null when never crawled. */
  pages: Map<string, PageEntry | null>;
  /** Outcomes counted in `queues stats` (e.g. `crawl:gone:http-404`). */
  outcomes: Record<string, number>;
  ms: number;
}

/** The four services running against one queue prefix, index and archive, with the site as a source. */
export interface WordPressCrawl {
  api: string;
  prefix: string;
  index: string;
  redis: ReturnType<typeof createRedis>;
  es: ReturnType<typeof createSearchClient>;
  /** Runs the source once more (POST /sources/wordpress/run) and waits until the pipeline drained. */
  run(options?: { inspect?: string[] }): Promise<CrawlResult>;
  close(): Promise<void>;
}

/** Starts the crawler, parser, indexer and api with their own queue prefix, index and archive, and adds the site as a source. */
export async function openWordPressCrawl(options: {
  site: WordPressSite;
  redisUrl: string;
  esUrl: string;
  name: string;
}): Promise<WordPressCrawl> {
  const id = randomBytes(4).toString('hex');
  const prefix = `wp-${options.name}-${id}`;
  const index = `wp-${options.name}-${id}`;
  const archiveDir = await mkdtemp(join(tmpdir(), `gazette-wp-${options.name}-`));
  const redis = createRedis(options.redisUrl);
  const es = createSearchClient({ url: options.esUrl, requestTimeoutMs: 30_000 });
  const env = {
    REDIS_URL: options.redisUrl,
    ELASTICSEARCH_URL: options.esUrl,
    QUEUE_PREFIX: prefix,
    ES_INDEX: index,
    ARCHIVE_DIR: archiveDir,
    CRAWLER_ALLOW_HOSTS: '127.0.0.1',
    CRAWLER_POLITENESS_MS: '0',
    CRAWLER_HOST_CONCURRENCY: '4',
    LOG_LEVEL: 'info',
    API_PORT: '0',
    CRAWLER_METRICS_PORT: '0',
    PARSER_METRICS_PORT: '0',
    INDEXER_METRICS_PORT: '0',
  };
  const services: ServiceProcess[] = [];
  const close = async () => {
    await Promise.all(services.map((s) => s.stop()));
    await dropArticleIndices(es, index).catch(() => undefined);
    await deleteKeysWithPrefix(redis, `${prefix}:`).catch(() => 0);
    await redis.quit();
    await es.close();
    await rm(archiveDir, { recursive: true, force: true });
  };
  try {
    services.push(
      ...(await Promise.all(
        (['crawler', 'parser', 'indexer', 'api'] as const).map((name) =>
          // Four processes starting at once on a busy machine: give them time.
          startService(name, { env, timeoutMs: 180_000 }),
        ),
      )),
    );
    const api = String(services[3]!.startedLine.address);
    const base = options.site.url;
    const created = await fetch(`${api}/sources`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        source: {
          id: 'wordpress',
          name: 'WordPress',
          seeds: [`${base}/`],
          feeds: [`${base}/feed/`],
          sitemaps: [`${base}/wp-sitemap.xml`],
          maxDepth: 2,
        },
        schedule: null,
      }),
    });
    if (created.status !== 201) throw new Error(`POST /sources: ${created.status} ${await created.text()}`);
    let runs = 0;
    const run = async (runOptions: { inspect?: string[] } = {}): Promise<CrawlResult> => {
      const started = Date.now();
      const outcomesBefore = await new PageLedger(redis, prefix).outcomes();
      const ran = await fetch(`${api}/sources/wordpress/run`, { method: 'POST' });
      if (ran.status !== 202) throw new Error(`POST /sources/wordpress/run: ${ran.status} ${await ran.text()}`);
      runs++;
      await waitFor(
        async () => {
          const c = await queueCounts(redis, prefix);
          return (
            c.schedule.completed + c.schedule.failed >= runs && c.crawl.completed + c.crawl.failed > 0 && isIdle(c)
          );
        },
        { timeoutMs: 600_000, intervalMs: 250, what: 'the crawl of the WordPress site to drain' },
      );
      const ms = Date.now() - started;

      const crawl = new Queue(catalog.crawl.name, { connection: redis, prefix });
      const mine = (j: { finishedOn?: number }) => (j.finishedOn ?? 0) >= started;
      const completed = (await crawl.getCompleted(0, -1)).filter(mine);
      const failedJobs = (await crawl.getFailed(0, -1)).filter(mine);
      await crawl.close();
      const fetched = [...completed, ...failedJobs].map((j) => String((j.data as { url: string }).url));
      const failed = failedJobs.map((j) => ({ url: String((j.data as { url: string }).url), reason: j.failedReason }));

      let docs: IndexedDoc[] = [];
      if (await es.indices.exists({ index })) {
        await es.indices.refresh({ index });
        const res = await es.search<IndexedDoc>({ index, size: 1000, query: { match_all: {} } });
        docs = res.hits.hits.map((h) => ({ ...h._source!, id: h._id! }));
      }
      const ledger = new PageLedger(redis, prefix);
      const pages = new Map<string, PageEntry | null>();
      for (const url of runOptions.inspect ?? []) pages.set(url, await ledger.get(normalizeUrl(url)));
      const after = await ledger.outcomes();
      const outcomes = Object.fromEntries(
        Object.entries(after)
          .map(([k, v]) => [k, v - (outcomesBefore[k] ?? 0)] as const)
          .filter(([, v]) => v > 0),
      );
      return { docs, fetched, failed, pages, outcomes, ms };
    };
    return { api, prefix, index, redis, es, run, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Runs one crawl of the site through the four services, with its own queue prefix, index and archive. */
export async function crawlWordPress(options: {
  site: WordPressSite;
  redisUrl: string;
  esUrl: string;
  name: string;
  /** URLs whose page states to report. */
  inspect?: string[];
}): Promise<CrawlResult> {
  const session = await openWordPressCrawl(options);
  try {
    return await session.run(options.inspect ? { inspect: options.inspect } : {});
  } finally {
    await session.close();
  }
}

/** WordPress prints curly quotes, dashes and ellipses for the plain ones typed in (wptexturize). */
export function untexturize(s: string): string {
  return s
    .replace(/[\u2018\u2019\u201a\u2032]/g, "'")
    .replace(/[\u201c\u201d\u201e\u2033]/g, '"')
    .replace(/[\u2013\u2014]/g, '-')
    .replace(/\u2026/g, '...')
    .replace(/\u00a0/g, ' ')
    .replace(/\u00d7/g, 'x')
    .replace(/\s+/g, ' ')
    .trim();
}

const tokens = (s: string): string[] =>
  untexturize(s)
    .toLowerCase()
    .match(/[\p{L}\p{N}]+/gu) ?? [];

/** Token F1 of two texts (multiset overlap). */
export function tokenF1(got: string, want: string): number {
  const a = tokens(got);
  const b = tokens(want);
  if (a.length === 0 || b.length === 0) return a.length === b.length ? 1 : 0;
  const counts = new Map<string, number>();
  for (const t of b) counts.set(t, (counts.get(t) ?? 0) + 1);
  let overlap = 0;
  for (const t of a) {
    const n = counts.get(t) ?? 0;
    if (n > 0) {
      overlap++;
      counts.set(t, n - 1);
    }
  }
  if (overlap === 0) return 0;
  const p = overlap / a.length;
  const r = overlap / b.length;
  return (2 * p * r) / (p + r);
}

export interface SiteScore {
  posts: number;
  /** Posts with exactly one indexed document. */
  indexedOnce: number;
  /** Indexed documents that are not posts (home, archives, static pages, feeds...). */
  nonArticles: string[];
  bodyF1: number;
  titles: number;
  authors: number;
  dates: number;
  sections: number;
  tags: number;
  readMore: number;
  /** Crawl jobs run, and those for comment-reply links. */
  fetches: number;
  replyFetches: number;
  failed: number;
  seconds: number;
}

const share = (n: number, d: number) => (d === 0 ? 1 : n / d);
const minute = (iso: string | null) => (iso ? new Date(iso).toISOString().slice(0, 16) : null);

export function scoreCrawl(truth: Truth, crawl: CrawlResult): SiteScore {
  const byUrl = new Map<string, IndexedDoc[]>();
  for (const d of crawl.docs) byUrl.set(d.canonicalUrl, [...(byUrl.get(d.canonicalUrl) ?? []), d]);
  const postUrls = new Set(truth.posts.map((p) => p.url));
  let f1 = 0;
  let titles = 0;
  let authors = 0;
  let dates = 0;
  let sections = 0;
  let tags = 0;
  let readMoreHit = 0;
  let readMoreAll = 0;
  let once = 0;
  for (const post of truth.posts) {
    const found = byUrl.get(post.url) ?? [];
    if (found.length === 1) once++;
    readMoreAll += post.readMore.length;
    const doc = found[0];
    if (!doc) continue;
    f1 += tokenF1(doc.body, post.text);
    if (untexturize(doc.title) === untexturize(post.title)) titles++;
    if (doc.authors.length === 1 && doc.authors[0] === post.author) authors++;
    if (minute(doc.publishedAt) === minute(post.date)) dates++;
    if (doc.section === post.categories[0]) sections++;
    const want = post.tags.map((t) => t.toLowerCase()).sort();
    const got = [...new Set(doc.tags.map((t) => t.toLowerCase()))].sort();
    if (JSON.stringify(want) === JSON.stringify(got)) tags++;
    const links = new Set(doc.relatedLinks.map((l) => l.url));
    readMoreHit += post.readMore.filter((u) => links.has(u)).length;
  }
  const n = truth.posts.length;
  return {
    posts: n,
    indexedOnce: once,
    nonArticles: crawl.docs.filter((d) => !postUrls.has(d.canonicalUrl)).map((d) => d.canonicalUrl),
    bodyF1: f1 / n,
    titles: share(titles, n),
    authors: share(authors, n),
    dates: share(dates, n),
    sections: share(sections, n),
    tags: share(tags, n),
    readMore: share(readMoreHit, readMoreAll),
    fetches: crawl.fetched.length,
    replyFetches: crawl.fetched.filter((u) => /[?&]replytocom=/.test(u)).length,
    failed: crawl.failed.length,
    seconds: crawl.ms / 1000,
  };
}

export interface UpdateScore {
  /** Edited posts indexed with the corrected title and text (F1 ≥ 0.97) and a modification date. */
  edited: number;
  editedOf: number;
  /** Edited posts whose versions (api) are the old one and the corrected one. */
  revisions: number;
  /** Removed posts (deleted, unpublished, trashed, old URL of a changed slug) out of the index and kept as gone. */
  gone: number;
  goneOf: number;
  /** New posts indexed. */
  added: number;
  addedOf: number;
  /** Unchanged posts answered 304 on the second run. */
  unchanged304: number;
  unchangedOf: number;
  /** Conditional GETs answered 304, and pages whose bytes were those of the last fetch. */
  http304: number;
  sameBytes: number;
  /** Parses avoided (304 + same bytes), and parse jobs the second run did. */
  reparsesAvoided: number;
  parsed: number;
  fetches: number;
  seconds: number;
}

/** How the index followed the site's changes between two runs of the source. */
export async function scoreUpdates(
  session: WordPressCrawl,
  updates: WordPressUpdates,
  first: CrawlResult,
  second: CrawlResult,
): Promise<UpdateScore> {
  const at = (docs: IndexedDoc[], url: string) => docs.filter((d) => d.canonicalUrl === url);
  let edited = 0;
  let revisions = 0;
  for (const e of updates.edited) {
    const [doc] = at(second.docs, e.url);
    if (!doc) continue;
    if (untexturize(doc.title) === untexturize(e.title) && tokenF1(doc.body, e.text) >= 0.97 && doc.modifiedAt)
      edited++;
    const res = await fetch(`${session.api}/articles/${doc.id}/revisions`);
    const body = (await res.json()) as { revisions?: Array<{ title: string }> };
    const titles = (body.revisions ?? []).map((r) => untexturize(r.title));
    if (JSON.stringify(titles) === JSON.stringify([untexturize(e.oldTitle), untexturize(e.title)])) revisions++;
  }
  const removed = [...updates.deleted, ...updates.unpublished, ...updates.trashed, ...updates.moved];
  let gone = 0;
  for (const r of removed) {
    const before = at(first.docs, r.url)[0];
    if (!before || at(second.docs, r.url).length > 0) continue;
    const res = await fetch(`${session.api}/articles/${before.id}?includeGone=true`);
    if (res.status === 200 && ((await res.json()) as { state?: string }).state === 'gone') gone++;
  }
  const added = updates.added.filter((p) => at(second.docs, p.url).length === 1).length;
  const unchanged304 = updates.unchanged.filter((u) => second.pages.get(u)?.state === 'not-modified').length;
  const http304 = second.outcomes['crawl:not-modified:http-304'] ?? 0;
  const sameBytes = second.outcomes['crawl:not-modified:same-bytes'] ?? 0;
  const parseQueue = new Queue(catalog.parse.name, { connection: session.redis, prefix: session.prefix });
  const since = Date.now() - second.ms;
  const parsed = (await parseQueue.getCompleted(0, -1)).filter((j) => (j.finishedOn ?? 0) >= since).length;
  await parseQueue.close();
  return {
    edited,
    editedOf: updates.edited.length,
    revisions,
    gone,
    goneOf: removed.length,
    added,
    addedOf: updates.added.length,
    unchanged304,
    unchangedOf: updates.unchanged.length,
    http304,
    sameBytes,
    reparsesAvoided: http304 + sameBytes,
    parsed,
    fetches: second.fetched.length,
    seconds: second.ms / 1000,
  };
}
