/**
 * `npm run bench:related [-- options]`: related-article quality and latency on labelled real news.
 *
 * Dataset mode (default): every article of ../shared/datasets/ecbplus-events/articles.jsonl is
 * rendered as an HTML news page (title, paragraphs; the dataset carries no dates, so none is
 * invented), run through the parser's `extract()` and written with the indexer's BulkWriter into a
 * fresh index, with the article-extraction-benchmark pages (extracted the same way) added as
 * unrelated distractors. Then, for every article: precision at 5 for "same event" (divided by
 * min(5, event size - 1)) and the share of top-5 slots taken by the same topic's other event; and
 * the latency of 1,000 related lookups.
 *
 * Synthetic mode (`--synthetic 100000`): that many articles synthesised from the dataset's
 * vocabulary (events of 1-12 articles, dates spread over a year), bulk indexed the same way, then
 * 1,000 related lookups.
 *
 * Options: --synthetic N, --lookups N (1000), --k N (10, latency lookups), --dataset DIR,
 * --distractors DIR, --index NAME (reuse an existing index, keep it), --keep (do not delete),
 * --tune key=value (override a RelatedTuning field; repeatable). The last line is JSON.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { performance } from 'node:perf_hooks';
import { ARTICLE_SCHEMA_VERSION, articleIdFor, contentHashOf, countWords, type ArticleRecord } from '@gazette/article';
import { extract } from '@gazette/extract';
import {
  BulkWriter,
  DEFAULT_RELATED_TUNING,
  createArticleIndex,
  createSearchClient,
  detectAnalysis,
  relatedArticles,
  type RelatedTuning,
} from '../src/index.ts';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../../..');

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const args = (name: string): string[] => process.argv.flatMap((a, i) => (a === name ? [process.argv[i + 1]!] : []));

const esUrl = process.env['ELASTICSEARCH_URL'] ?? 'http://127.0.0.1:9200';
const datasetDir = resolve(repoRoot, arg('--dataset') ?? '../shared/datasets/ecbplus-events');
const distractorDir = resolve(repoRoot, arg('--distractors') ?? '../shared/datasets/article-extraction-benchmark');
const synthetic = arg('--synthetic') ? Number(arg('--synthetic')) : 0;
const lookups = Number(arg('--lookups') ?? 1000);
const latencyK = Number(arg('--k') ?? 10);
const reuseIndex = arg('--index');
const keep = process.argv.includes('--keep') || !!reuseIndex;
const tuning: Partial<RelatedTuning> = {};
for (const kv of args('--tune')) {
  const [key, value] = kv.split('=') as [keyof RelatedTuning, string];
  if (!(key in DEFAULT_RELATED_TUNING)) throw new Error(`--tune: unknown key ${key}`);
  (tuning as Record<string, unknown>)[key] = typeof DEFAULT_RELATED_TUNING[key] === 'number' ? Number(value) : value;
}

interface Labelled {
  id: string;
  topic: number;
  event: string;
  title: string;
  body: string;
}

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const hex = (s: string, n: number) => createHash('sha256').update(s).digest('hex').slice(0, n);

/** A news page as a site would serve it; the URL is derived from a hash so it says nothing about the label. */
function renderPage(a: Labelled): { url: string; html: string } {
  const h = hex(a.id, 12);
  const url = `https://news${parseInt(h.slice(0, 2), 16) % 16}.example.org/articles/${h}.html`;
  const paragraphs = a.body
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => `      <p>${escapeHtml(l)}</p>`)
    .join('\n');
  const html = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>${escapeHtml(a.title)}</title>
  <link rel="canonical" href="${url}">
  <meta property="og:type" content="article">
  <meta property="og:title" content="${escapeHtml(a.title)}">
</head>
<body>
  <header><nav><a href="/">Home</a> <a href="/world">World</a></nav></header>
  <main>
    <article>
      <h1>${escapeHtml(a.title)}</h1>
${paragraphs}
    </article>
  </main>
  <footer>© News</footer>
</body>
</html>`;
  return { url, html };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;

async function main(): Promise<void> {
  const client = createSearchClient({ url: esUrl, requestTimeoutMs: 120_000 });
  const support = await detectAnalysis(client);
  const index = reuseIndex ?? `bench-related-${randomBytes(4).toString('hex')}`;
  const fetchedAt = new Date().toISOString();
  const labelled = readFileSync(join(datasetDir, 'articles.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Labelled);
  console.log(
    `elasticsearch ${esUrl}; analyzer: ${support.english ? 'english' : 'gazette_text (no analysis-common: standard + lowercase + English stop words)'}`,
  );
  if (!reuseIndex) await createArticleIndex(client, index, { support });
  const writer = new BulkWriter({ client, index, maxBatch: 500, flushIntervalMs: 50 });
  try {
    if (synthetic > 0) await runSynthetic(client, writer, index, labelled, support.english);
    else await runDataset(client, writer, index, labelled, fetchedAt);
  } finally {
    await writer.close();
    if (!keep) await client.indices.delete({ index, ignore_unavailable: true });
    else console.log(`kept index ${index}`);
    await client.close();
  }
}

async function measureLatency(
  client: ReturnType<typeof createSearchClient>,
  index: string,
  ids: string[],
  seed: number,
): Promise<{ p50: number; p95: number; p99: number; mean: number }> {
  let state = seed;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
  const pick = () => ids[Math.floor(next() * ids.length)]!;
  if (lookups === 0) return { p50: NaN, p95: NaN, p99: NaN, mean: NaN };
  for (let i = 0; i < 100; i++) await relatedArticles(client, index, pick(), { k: latencyK, tuning });
  const times: number[] = [];
  for (let i = 0; i < lookups; i++) {
    const id = pick();
    const t0 = performance.now();
    await relatedArticles(client, index, id, { k: latencyK, tuning });
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return {
    p50: round(percentile(times, 50), 1),
    p95: round(percentile(times, 95), 1),
    p99: round(percentile(times, 99), 1),
    mean: round(times.reduce((a, b) => a + b, 0) / times.length, 1),
  };
}

async function runDataset(
  client: ReturnType<typeof createSearchClient>,
  writer: BulkWriter,
  index: string,
  labelled: Labelled[],
  fetchedAt: string,
): Promise<void> {
  const labelOf = new Map<string, Labelled>();
  let notArticles = 0;
  let distractors = 0;
  if (!reuseIndex) {
    const writes: Promise<void>[] = [];
    for (const a of labelled) {
      const page = renderPage(a);
      const result = extract({ body: page.html, url: page.url, contentType: 'text/html; charset=utf-8', fetchedAt });
      if (result.kind !== 'article') {
        notArticles++;
        continue;
      }
      labelOf.set(result.record.id, a);
      writes.push(writer.write(result.record));
    }
    const truth = JSON.parse(readFileSync(join(distractorDir, 'ground-truth.json'), 'utf8')) as Record<
      string,
      { url: string }
    >;
    const htmlDir = join(distractorDir, 'html');
    for (const name of existsSync(htmlDir) ? readdirSync(htmlDir).sort() : []) {
      const key = name.replace(/\.html(\.gz)?$/, '');
      const raw = readFileSync(join(htmlDir, name));
      const html = name.endsWith('.gz') ? gunzipSync(raw) : raw;
      const url = truth[key]?.url ?? `https://distractor.example.org/${key}`;
      try {
        const result = extract({ body: html, url, contentType: 'text/html', fetchedAt });
        if (result.kind === 'article') {
          writes.push(writer.write(result.record));
          distractors++;
        }
      } catch {
        // a page the parser refuses is simply not a distractor
      }
    }
    await writer.close();
    await Promise.all(writes);
    await client.indices.refresh({ index });
  } else {
    for (const a of labelled) {
      const page = renderPage(a);
      const result = extract({ body: page.html, url: page.url, contentType: 'text/html; charset=utf-8', fetchedAt });
      if (result.kind === 'article') labelOf.set(result.record.id, a);
    }
  }
  const count = (await client.count({ index })).count;
  console.log(
    `import: ${labelOf.size} of ${labelled.length} articles rendered as HTML pages and run through extract() + BulkWriter` +
      ` (${notArticles} judged not-article), ${distractors || count - labelOf.size} distractor pages; ${count} documents`,
  );

  const eventSize = new Map<string, number>();
  for (const a of labelOf.values()) eventSize.set(a.event, (eventSize.get(a.event) ?? 0) + 1);
  let precision = 0;
  let otherEvent = 0;
  let judged = 0;
  const times: number[] = [];
  for (const [id, a] of labelOf) {
    const size = eventSize.get(a.event)!;
    if (size < 2) continue;
    const t0 = performance.now();
    const related = (await relatedArticles(client, index, id, { k: 5, tuning })) ?? [];
    times.push(performance.now() - t0);
    const labels = related.map((r) => labelOf.get(r.id));
    const same = labels.filter((l) => l?.event === a.event).length;
    const other = labels.filter((l) => l && l.topic === a.topic && l.event !== a.event).length;
    precision += same / Math.min(5, size - 1);
    otherEvent += other / 5;
    judged++;
  }
  const p5 = round(precision / judged);
  const otherShare = round(otherEvent / judged);
  console.log(`same-event precision at 5: ${p5} over ${judged} articles (TF-IDF cosine reference: 0.958)`);
  console.log(`share of top-5 slots taken by the same topic's other event: ${otherShare}`);
  const latency = await measureLatency(client, index, [...labelOf.keys()], 7);
  console.log(
    `related lookup latency over ${lookups} lookups (k=${latencyK}, ${count} documents): p50 ${latency.p50} ms, p95 ${latency.p95} ms, p99 ${latency.p99} ms`,
  );
  console.log(
    JSON.stringify({
      mode: 'dataset',
      import: 'html-page → extract() → BulkWriter',
      documents: count,
      articles: labelOf.size,
      judged,
      precisionAt5: p5,
      otherEventShare: otherShare,
      latencyMs: latency,
      tuning: { ...DEFAULT_RELATED_TUNING, ...tuning },
    }),
  );
}

/** Deterministic pseudo-random numbers. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function runSynthetic(
  client: ReturnType<typeof createSearchClient>,
  writer: BulkWriter,
  index: string,
  labelled: Labelled[],
  _english: boolean,
): Promise<void> {
  const random = rng(42);
  // Vocabulary from the dataset: ordinary words by frequency, capitalised words as names.
  const counts = new Map<string, number>();
  const names = new Map<string, number>();
  for (const a of labelled) {
    for (const w of `${a.title} ${a.body}`.match(/[\p{L}][\p{L}'-]*/gu) ?? []) {
      if (/^\p{Lu}/u.test(w)) names.set(w, (names.get(w) ?? 0) + 1);
      else counts.set(w, (counts.get(w) ?? 0) + 1);
    }
  }
  const words = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([w]) => w);
  const nameList = [...names.keys()].filter((n) => n.length > 2);
  const zipf = (list: string[]) => list[Math.min(list.length - 1, Math.floor(list.length ** random()) - 1)]!;
  const uniform = (list: string[]) => list[Math.floor(random() * list.length)]!;
  const yearStart = Date.parse('2024-01-01T00:00:00Z');
  const sites = Array.from({ length: 40 }, (_, i) => `site${i}.example.org`);

  const t0 = performance.now();
  const writes: Promise<void>[] = [];
  const ids: string[] = [];
  let made = 0;
  let event = 0;
  while (made < synthetic) {
    event++;
    const size = 1 + Math.floor(random() * 12);
    const eventWords = Array.from({ length: 25 }, () => words[50 + Math.floor(random() * (words.length - 50))]!);
    const eventNames = Array.from({ length: 6 }, () => uniform(nameList));
    const eventAt = yearStart + random() * 365 * 86_400_000;
    for (let j = 0; j < size && made < synthetic; j++, made++) {
      const sentence = () => {
        const n = 12 + Math.floor(random() * 14);
        const out: string[] = [];
        for (let w = 0; w < n; w++) {
          const r = random();
          out.push(r < 0.2 ? uniform(eventWords) : r < 0.27 ? uniform(eventNames) : zipf(words));
        }
        out[0] = out[0]!.charAt(0).toUpperCase() + out[0]!.slice(1);
        return `${out.join(' ')}.`;
      };
      const body = Array.from({ length: 8 + Math.floor(random() * 12) }, () =>
        Array.from({ length: 2 + Math.floor(random() * 3) }, sentence).join(' '),
      ).join('\n\n');
      const site = uniform(sites);
      const url = `https://${site}/news/${event}-${j}-${hex(`${event}-${j}`, 8)}`;
      const publishedAt = new Date(eventAt + Math.abs(random() + random() - 1) * 3 * 86_400_000)
        .toISOString()
        .replace(/\.\d+Z$/, 'Z');
      const title = sentence().slice(0, 90);
      const id = articleIdFor(url);
      const record: ArticleRecord = {
        schemaVersion: ARTICLE_SCHEMA_VERSION,
        id,
        url,
        canonicalUrl: url,
        site,
        siteName: site,
        title,
        description: null,
        authors: [uniform(nameList)],
        publishedAt,
        modifiedAt: null,
        language: 'en',
        section: null,
        tags: [],
        leadImage: null,
        body,
        wordCount: countWords(body),
        relatedLinks: [],
        outLinks: [],
        contentHash: contentHashOf(body),
        // A random fingerprint: SimHashing 100,000 synthetic bodies adds nothing to a latency benchmark.
        simhash: randomBytes(8).toString('hex'),
        fetchedAt: publishedAt,
        parserVersion: 'bench',
      };
      ids.push(id);
      if (!reuseIndex) writes.push(writer.write(record));
      if (writes.length >= 2000) await Promise.all(writes.splice(0, writes.length));
    }
  }
  await writer.close();
  await Promise.all(writes);
  await client.indices.refresh({ index });
  const count = (await client.count({ index })).count;
  console.log(
    `synthetic: ${count} articles in ${event} events indexed in ${round((performance.now() - t0) / 1000, 1)} s`,
  );
  const latency = await measureLatency(client, index, ids, 11);
  console.log(
    `related lookup latency over ${lookups} lookups (k=${latencyK}, ${count} documents): p50 ${latency.p50} ms, p95 ${latency.p95} ms, p99 ${latency.p99} ms`,
  );
  console.log(
    JSON.stringify({ mode: 'synthetic', import: 'records → BulkWriter', documents: count, latencyMs: latency }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
