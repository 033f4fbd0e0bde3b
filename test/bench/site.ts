/**
 * `npm run bench:site`: crawls a genuine WordPress site (infra/wordpress/wp.sh) once per theme the
 * way an operator would (home page, `/feed/`, `/wp-sitemap.xml`, link depth 2) through the crawler,
 * parser, indexer and api, and prints per theme how the index compares with what the site holds:
 * posts indexed exactly once, non-article pages indexed, body token F1, and the share of exact
 * titles, authors, publish dates (to the minute, UTC), sections, tags and Read More links. The last
 * line is one JSON object. Uses REDIS_URL and ELASTICSEARCH_URL (started with infra/services.sh when
 * unset); WP_PORT, WP_POSTS and WP_DATASET as for infra/wordpress/wp.sh.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '@gazette/devstack';
import {
  WP_THEMES,
  crawlWordPress,
  scoreCrawl,
  setTheme,
  startWordPress,
  stopWordPress,
  type SiteScore,
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
await setTheme('twentytwentythree');
await stopWordPress();
console.log(JSON.stringify({ site: site.url, results }));
process.exit(0);
