/**
 * `npm run bench:site`: crawls a genuine WordPress site (infra/wordpress/wp.sh) once per theme the
 * way an operator would (home page, `/feed/`, `/wp-sitemap.xml`, link depth 2) through the crawler,
 * parser, indexer and api, and prints per theme how the index compares with what the site holds:
 * posts indexed exactly once, non-article pages indexed, body token F1, and the share of exact
 * titles, authors, publish dates (to the minute, UTC), sections, tags and Read More links. Then,
 * with the block theme, the news changes (corrections, a deletion, an unpublished and a trashed post,
 * a changed slug, new posts: `wp.sh update`) and the source runs again: edited posts indexed with
 * the corrected text, removed posts kept as gone records, new posts found, 304s and parses avoided.
 * The last line is one JSON object. Uses REDIS_URL and ELASTICSEARCH_URL (started with infra/services.sh when
 * unset); WP_PORT, WP_POSTS and WP_DATASET as for infra/wordpress/wp.sh.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '@gazette/devstack';
import {
  WP_THEMES,
  crawlWordPress,
  openWordPressCrawl,
  scoreCrawl,
  scoreUpdates,
  setTheme,
  startWordPress,
  stopWordPress,
  updateWordPress,
  type SiteScore,
  type UpdateScore,
} from '../support/wordpress.ts';

if (!process.env.REDIS_URL || !process.env.ELASTICSEARCH_URL) {
  execFileSync('bash', [join(REPO_ROOT, 'infra/services.sh'), 'start'], { stdio: 'inherit', env: process.env });
}
const redisUrl = process.env.REDIS_URL ?? `redis://127.0.0.1:${process.env.REDIS_PORT ?? '6379'}`;
const esUrl = process.env.ELASTICSEARCH_URL ?? `http://127.0.0.1:${process.env.ES_PORT ?? '9200'}`;

const TARGETS = { bodyF1: 0.97, titles: 0.98, authors: 0.98, dates: 0.98, sections: 0.95, tags: 0.95, readMore: 0.95 };

const t0 = Date.now();
const site = await startWordPress();
console.log(
  `WordPress up in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${site.url}, ${site.truth.posts.length} posts`,
);
const results: Record<string, SiteScore> = {};
for (const theme of WP_THEMES) {
  await setTheme(theme);
  const crawl = await crawlWordPress({ site, redisUrl, esUrl, name: `bench-${theme}` });
  const s = scoreCrawl(site.truth, crawl);
  results[theme] = s;
  const mark = (k: keyof typeof TARGETS) => `${s[k].toFixed(3)}${s[k] >= TARGETS[k] ? '' : ` (target ${TARGETS[k]})`}`;
  console.log(`\n== ${theme}`);
  console.log(`posts indexed once      ${s.indexedOnce}/${s.posts}`);
  console.log(
    `non-articles indexed    ${s.nonArticles.length}${s.nonArticles.length ? `: ${s.nonArticles.slice(0, 8).join(' ')}` : ''}`,
  );
  console.log(`body token F1           ${mark('bodyF1')}`);
  console.log(`titles exact            ${mark('titles')}`);
  console.log(`authors exact           ${mark('authors')}`);
  console.log(`dates (minute, UTC)     ${mark('dates')}`);
  console.log(`sections                ${mark('sections')}`);
  console.log(`tags                    ${mark('tags')}`);
  console.log(`Read More links         ${mark('readMore')}`);
  console.log(`fetches                 ${s.fetches} (comment-reply links: ${s.replyFetches}, failed: ${s.failed})`);
  console.log(`crawl time              ${s.seconds.toFixed(1)} s`);
}
// News changes after publication: the same source run again after the site changed.
await setTheme('twentytwentythree');
const session = await openWordPressCrawl({ site, redisUrl, esUrl, name: 'bench-updates' });
let updates: UpdateScore;
try {
  const first = await session.run();
  const changes = await updateWordPress(site);
  const second = await session.run({ inspect: changes.unchanged });
  updates = await scoreUpdates(session, changes, first, second);
} finally {
  await session.close();
}
const u = updates;
console.log('\n== updates (twentytwentythree, second run of the source)');
console.log(`edited, corrected text   ${u.edited}/${u.editedOf} (versions listed: ${u.revisions}/${u.editedOf})`);
console.log(`removed, kept as gone    ${u.gone}/${u.goneOf} (deleted, draft, trashed, old slug)`);
console.log(`new posts found          ${u.added}/${u.addedOf}`);
console.log(`unchanged posts 304      ${u.unchanged304}/${u.unchangedOf}`);
console.log(`304s / same bytes        ${u.http304} / ${u.sameBytes}`);
console.log(`re-parses avoided        ${u.reparsesAvoided} (parse jobs run: ${u.parsed}, fetches: ${u.fetches})`);
console.log(`second run time          ${u.seconds.toFixed(1)} s`);
// Stopped with the site changed: the next start fills it again.
await stopWordPress();
console.log(JSON.stringify({ site: site.url, results, updates: u }));
process.exit(0);
