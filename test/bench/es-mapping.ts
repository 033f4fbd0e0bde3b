/**
 * `npm run bench:es-mapping -- [--docs N] [--rounds R]`: what each mapping choice of the article
 * index costs Elasticsearch. Extracts N generated article pages once (outside the measurement),
 * then for each variant creates an index, writes the N documents through the indexer's BulkWriter
 * (near-duplicate lookups included) one bulk after the other, refreshes, and prints Elasticsearch's
 * CPU ms per document (from /proc, so Elasticsearch must run on this machine under Gazette's
 * scripts), wall time, primary store bytes per document, and related-lookup p50/p95 over 100
 * articles. Variants run alternately R times; the lowest CPU figure of each is kept.
 *
 * Variants: as shipped (bulk 150, refresh 1 s); body term vectors off; body term vectors without
 * positions and offsets; no `.std` sub-fields; refresh every 30 s; bulks of 50 and of 500.
 *
 * Uses ELASTICSEARCH_URL (infra/services.sh starts it when unset); indices of its own, removed at
 * the end. The last line is one JSON object.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { REPO_ROOT, generatedArticle, renderGeneratedArticle } from '@gazette/devstack';
import { extract } from '@gazette/extract';
import {
  BulkWriter,
  articleIndexBody,
  createSearchClient,
  detectAnalysis,
  dropArticleIndices,
  relatedArticles,
} from '@gazette/search';
import type { estypes } from '@elastic/elasticsearch';

const { values: args } = parseArgs({
  options: {
    docs: { type: 'string', default: '3000' },
    rounds: { type: 'string', default: '2' },
  },
});
const N = Number(args.docs);
const ROUNDS = Number(args.rounds);
if (!Number.isInteger(N) || N < 100 || !Number.isInteger(ROUNDS) || ROUNDS < 1) {
  throw new Error('usage: bench:es-mapping -- [--docs N (>= 100)] [--rounds R]');
}

if (!process.env.ELASTICSEARCH_URL) {
  execFileSync('bash', [join(REPO_ROOT, 'infra/services.sh'), 'start'], { stdio: 'inherit', env: process.env });
}
const esUrl = process.env.ELASTICSEARCH_URL ?? `http://127.0.0.1:${process.env.ES_PORT ?? '9200'}`;
const esPidFile = resolve(REPO_ROOT, process.env.GAZETTE_DATA_DIR ?? '.data', 'elasticsearch/es.pid');

function esCpuSeconds(): number {
  const pid = Number(readFileSync(esPidFile, 'utf8').trim());
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

type Body = ReturnType<typeof articleIndexBody>;
type Props = Record<string, estypes.MappingProperty>;

interface Variant {
  name: string;
  bulk: number;
  change?: (body: Body) => void;
}

const props = (body: Body) => body.mappings.properties as Props;
const field = (body: Body, name: string) => props(body)[name] as estypes.MappingTextProperty;
const VARIANTS: Variant[] = [
  { name: 'as shipped (bulk 150, refresh 1 s)', bulk: 150 },
  {
    name: 'body term vectors off',
    bulk: 150,
    change: (b) => {
      delete field(b, 'body').term_vector;
    },
  },
  {
    name: 'body term vectors without positions/offsets',
    bulk: 150,
    change: (b) => {
      field(b, 'body').term_vector = 'yes';
    },
  },
  {
    name: 'no .std sub-fields (title, body)',
    bulk: 150,
    change: (b) => {
      delete field(b, 'body').fields;
      const title = field(b, 'title');
      if (title.fields) delete title.fields.std;
    },
  },
  {
    name: 'refresh every 30 s',
    bulk: 150,
    change: (b) => {
      b.settings.refresh_interval = '30s';
    },
  },
  { name: 'bulks of 50', bulk: 50 },
  { name: 'bulks of 500', bulk: 500 },
];

const es = createSearchClient({ url: esUrl });
const support = await detectAnalysis(es);
const base = 'http://news.example';
const fetchedAt = new Date().toISOString();
const records = [];
for (let i = 0; i < N; i++) {
  const r = extract({
    body: Buffer.from(renderGeneratedArticle(base, i)),
    url: `${base}${generatedArticle(i).path}`,
    contentType: 'text/html; charset=UTF-8',
    fetchedAt,
  });
  if (r.kind === 'article') records.push(r.record);
}
console.log(`${records.length} article records from ${N} generated pages`);

interface Figures {
  cpuMsPerDoc: number;
  seconds: number;
  storeBytesPerDoc: number;
  relatedP50Ms: number;
  relatedP95Ms: number;
}
const best = new Map<string, Figures>();
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? 0;
};

const id = randomBytes(4).toString('hex');
const created: string[] = [];
try {
  for (let round = 0; round < ROUNDS; round++) {
    for (const [v, variant] of VARIANTS.entries()) {
      const index = `bench-mapping-${id}-${round}-${v}`;
      const body = structuredClone(articleIndexBody(support));
      variant.change?.(body);
      await es.indices.create({ index, ...body });
      created.push(index);
      await es.cluster.health({ index, wait_for_status: 'yellow', timeout: '60s' });
      const writer = new BulkWriter({ client: es, index, maxBatch: variant.bulk, flushIntervalMs: 50 });
      const cpu0 = esCpuSeconds();
      const t0 = performance.now();
      for (let i = 0; i < records.length; i += variant.bulk) {
        await Promise.all(records.slice(i, i + variant.bulk).map((r) => writer.write(r)));
      }
      await writer.close();
      await es.indices.refresh({ index });
      const seconds = (performance.now() - t0) / 1000;
      const cpuMsPerDoc = ((esCpuSeconds() - cpu0) * 1000) / records.length;
      const stats = await es.indices.stats({ index, metric: ['store'] });
      const storeBytesPerDoc = (stats._all.primaries?.store?.size_in_bytes ?? 0) / records.length;
      const times: number[] = [];
      for (let k = 0; k < 100; k++) {
        const rec = records[Math.floor((k * records.length) / 100)]!;
        const s = performance.now();
        await relatedArticles(es, index, rec.id);
        times.push(performance.now() - s);
      }
      const f: Figures = {
        cpuMsPerDoc: Number(cpuMsPerDoc.toFixed(2)),
        seconds: Number(seconds.toFixed(1)),
        storeBytesPerDoc: Math.round(storeBytesPerDoc),
        relatedP50Ms: Number(pct(times, 50).toFixed(1)),
        relatedP95Ms: Number(pct(times, 95).toFixed(1)),
      };
      console.log(
        `round ${round + 1}  ${variant.name.padEnd(44)} ES CPU ${f.cpuMsPerDoc.toFixed(2)} ms/doc  ${f.seconds} s  ${f.storeBytesPerDoc} B/doc  related p50 ${f.relatedP50Ms} / p95 ${f.relatedP95Ms} ms`,
      );
      const prev = best.get(variant.name);
      if (!prev || f.cpuMsPerDoc < prev.cpuMsPerDoc) best.set(variant.name, f);
      await dropArticleIndices(es, index);
    }
  }
  const shipped = best.get(VARIANTS[0]!.name)!;
  console.log(`\nbest of ${ROUNDS} (${records.length} documents, CPU relative to as shipped)`);
  for (const [name, f] of best) {
    console.log(
      `${name.padEnd(44)} ${f.cpuMsPerDoc.toFixed(2)} ms/doc (${((f.cpuMsPerDoc / shipped.cpuMsPerDoc) * 100).toFixed(0)}%)  ${f.storeBytesPerDoc} B/doc  related p95 ${f.relatedP95Ms} ms`,
    );
  }
  console.log(JSON.stringify({ docs: records.length, rounds: ROUNDS, variants: Object.fromEntries(best) }));
} finally {
  for (const index of created) await dropArticleIndices(es, index).catch(() => undefined);
  await es.close();
}
process.exit(0);
