/**
 * News changes after publication, on a genuine WordPress (infra/wordpress/wp.sh): the site is crawled
 * as a source, then edited through WordPress's own API (two corrected posts, one deleted, one
 * unpublished, one trashed, one given a new slug, two new posts: infra/wordpress/update.php), and the
 * same source is run again through the four services. The index shows the corrected text with a
 * modification date and keeps both versions; the removed posts leave search and related articles but
 * stay findable as gone records; the new posts are found; the unchanged posts cost a conditional GET
 * answered 304 and no parse.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Queue } from 'bullmq';
import { main as cli } from '@gazette/cli';
import { catalog } from '@gazette/jobs';
import {
  openWordPressCrawl,
  setTheme,
  startWordPress,
  stopWordPress,
  tokenF1,
  untexturize,
  updateWordPress,
  type CrawlResult,
  type IndexedDoc,
  type WordPressCrawl,
  type WordPressSite,
  type WordPressUpdates,
} from '../support/wordpress.ts';

const redisUrl = process.env.REDIS_URL!;
const esUrl = process.env.ELASTICSEARCH_URL!;

let site: WordPressSite;
let session: WordPressCrawl;
let first: CrawlResult;
let second: CrawlResult;
let updates: WordPressUpdates;
let secondStarted: number;
const byUrl = (docs: IndexedDoc[], url: string) => docs.filter((d) => d.canonicalUrl === url);
/** Articles that listed a removed post among their related articles before it went: [article, removed]. */
const relatedPairs: Array<[string, string]> = [];

async function api<T>(path: string): Promise<{ status: number; body: T }> {
  const res = await fetch(`${session.api}${path}`);
  return { status: res.status, body: (await res.json()) as T };
}

beforeAll(async () => {
  site = await startWordPress();
  await setTheme('twentytwentythree');
  session = await openWordPressCrawl({ site, redisUrl, esUrl, name: 'updates' });
  first = await session.run();
  // Before the changes: every indexed article's related articles.
  const relatedBefore = new Map<string, string[]>();
  for (const doc of first.docs) {
    const related = await api<{ related: Array<{ id: string }> }>(`/articles/${doc.id}/related?k=5`);
    relatedBefore.set(
      doc.id,
      related.body.related.map((r) => r.id),
    );
  }
  updates = await updateWordPress(site);
  // Fetch and removal times are kept to the second (WARC-Date, HTTP dates): compare from the second it began.
  secondStarted = Math.floor(Date.now() / 1000) * 1000;
  second = await session.run({ inspect: updates.unchanged });
  for (const post of [...updates.deleted, ...updates.unpublished, ...updates.trashed]) {
    const gone = byUrl(first.docs, post.url)[0]?.id;
    for (const [article, related] of relatedBefore) {
      if (
        gone &&
        related.includes(gone) &&
        byUrl(second.docs, first.docs.find((d) => d.id === article)!.canonicalUrl).length
      )
        relatedPairs.push([article, gone]);
    }
  }
}, 900_000);

afterAll(async () => {
  await session?.close();
  // The next start fills the site again (wp.sh keeps a marker while the posts differ from the ground truth).
  await stopWordPress();
});

describe('WordPress after its news changed', () => {
  it('indexed every post on the first run', () => {
    for (const post of site.truth.posts) expect(byUrl(first.docs, post.url), post.url).toHaveLength(1);
    expect(first.failed).toEqual([]);
  });

  it('shows the corrected title and text with a modification date, and keeps both versions', async () => {
    expect(updates.edited.length).toBe(2);
    for (const edit of updates.edited) {
      const [doc] = byUrl(second.docs, edit.url);
      expect(doc, edit.url).toBeDefined();
      expect(untexturize(doc!.title)).toBe(untexturize(edit.title));
      expect(tokenF1(doc!.body, edit.text)).toBeGreaterThanOrEqual(0.97);
      expect(doc!.body).toContain('Correction: an earlier version of this story');
      // WordPress prints no modification time on the page: the server's Last-Modified (the edit) is used.
      expect(doc!.modifiedAt).not.toBeNull();
      expect(Math.abs(Date.parse(doc!.modifiedAt!) - Date.parse(edit.modified))).toBeLessThan(2_000);

      const { status, body } = await api<{
        state: string;
        revisions: Array<{
          version: number;
          title: string;
          fetchedAt: string;
          modifiedAt: string | null;
          archive: string;
        }>;
      }>(`/articles/${doc!.id}/revisions`);
      expect(status).toBe(200);
      expect(body.state).toBe('indexed');
      expect(body.revisions.map((r) => untexturize(r.title))).toEqual([
        untexturize(edit.oldTitle),
        untexturize(edit.title),
      ]);
      expect(body.revisions[0]!.archive).not.toBe(body.revisions[1]!.archive);
      expect(body.revisions[1]!.modifiedAt).toBe(doc!.modifiedAt);
      expect(Date.parse(body.revisions[1]!.fetchedAt)).toBeGreaterThanOrEqual(secondStarted);
    }
  });

  it('lists the versions from the CLI too', async () => {
    const edit = updates.edited[0]!;
    const id = byUrl(second.docs, edit.url)[0]!.id;
    const printed: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void printed.push(line));
    const env = { REDIS_URL: process.env.REDIS_URL, QUEUE_PREFIX: process.env.QUEUE_PREFIX };
    process.env.QUEUE_PREFIX = session.prefix;
    try {
      expect(await cli(['revisions', id, '--json'])).toBe(0);
    } finally {
      log.mockRestore();
      if (env.QUEUE_PREFIX === undefined) delete process.env.QUEUE_PREFIX;
      else process.env.QUEUE_PREFIX = env.QUEUE_PREFIX;
    }
    const out = JSON.parse(printed.join('\n')) as { revisions: Array<{ title: string }> };
    expect(out.revisions.map((r) => untexturize(r.title))).toEqual([
      untexturize(edit.oldTitle),
      untexturize(edit.title),
    ]);
  });

  it('takes deleted, unpublished and trashed posts out of search and related articles, keeping them as gone', async () => {
    const removed = [...updates.deleted, ...updates.unpublished, ...updates.trashed];
    expect(removed.length).toBe(3);
    for (const post of removed) {
      const before = byUrl(first.docs, post.url)[0]!;
      expect(byUrl(second.docs, post.url), post.url).toEqual([]);
      const plain = await api<{ status: number; detail: string }>(`/articles/${before.id}`);
      expect(plain.status).toBe(410);
      expect(plain.body.detail).toContain('http-404');
      const kept = await api<{
        state: string;
        reason: string;
        status: number;
        goneAt: string;
        record: { title: string };
      }>(`/articles/${before.id}?includeGone=true`);
      expect(kept.status).toBe(200);
      expect(kept.body).toMatchObject({ state: 'gone', reason: 'http-404', status: 404 });
      expect(kept.body.record.title).toBe(before.title);
      expect(Date.parse(kept.body.goneAt)).toBeGreaterThanOrEqual(secondStarted);
      const byUrlList = await api<{ gone: Array<{ id: string }> }>(
        `/articles/gone?url=${encodeURIComponent(post.url)}`,
      );
      expect(byUrlList.body.gone.map((g) => g.id)).toEqual([before.id]);
      const search = await api<{ hits: Array<{ id: string }> }>(
        `/search?q=${encodeURIComponent(untexturize(before.title))}&size=20`,
      );
      expect(search.body.hits.map((h) => h.id)).not.toContain(before.id);
    }
    expect(relatedPairs.length, 'articles that listed a removed post as related before').toBeGreaterThan(0);
    for (const [article, gone] of relatedPairs) {
      const related = await api<{ related: Array<{ id: string }> }>(`/articles/${article}/related?k=5`);
      expect(related.status).toBe(200);
      expect(related.body.related.map((r) => r.id)).not.toContain(gone);
    }
    expect(second.outcomes['crawl:gone:http-404']).toBe(3);
    expect(second.failed).toEqual([]);
  });

  it('follows a changed slug to the post: the old article is gone as moved, the new URL indexed', async () => {
    for (const move of updates.moved) {
      const before = byUrl(first.docs, move.url)[0]!;
      expect(byUrl(second.docs, move.url)).toEqual([]);
      expect(byUrl(second.docs, move.to)).toHaveLength(1);
      const kept = await api<{ state: string; reason: string }>(`/articles/${before.id}?includeGone=true`);
      expect(kept.body).toMatchObject({ state: 'gone', reason: 'moved' });
    }
  });

  it('finds the new posts through the feed and the sitemap', () => {
    expect(updates.added.length).toBe(2);
    for (const post of updates.added) {
      const [doc] = byUrl(second.docs, post.url);
      expect(doc, post.url).toBeDefined();
      expect(untexturize(doc!.title)).toBe(untexturize(post.title));
      expect(doc!.authors).toEqual([post.author]);
    }
    const expected = site.truth.posts.length - 4 + updates.moved.length + updates.added.length;
    expect(second.docs.length).toBe(expected);
  });

  it('costs an unchanged post one conditional GET answered 304, and no parse', async () => {
    expect(updates.unchanged.length).toBeGreaterThan(50);
    for (const url of updates.unchanged) {
      expect(second.pages.get(url)?.state, url).toBe('not-modified');
    }
    expect(second.outcomes['crawl:not-modified:http-304']).toBeGreaterThanOrEqual(updates.unchanged.length);
    const parse = new Queue(catalog.parse.name, { connection: session.redis, prefix: session.prefix });
    const parsed = (await parse.getCompleted(0, -1))
      .filter((j) => (j.finishedOn ?? 0) >= secondStarted)
      .map((j) => String((j.data as { url: string }).url));
    await parse.close();
    const unchanged = new Set(updates.unchanged);
    expect(parsed.filter((u) => unchanged.has(u))).toEqual([]);
    expect(parsed.length).toBeGreaterThanOrEqual(updates.edited.length + updates.added.length);
  });
});
