import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { articleIdFor } from '@gazette/article';
import { createSearchClient, relatedArticles } from '../src/index.ts';

const index = process.argv[2]!;
const client = createSearchClient({ url: 'http://127.0.0.1:9200', requestTimeoutMs: 120_000 });
const hex = (s: string, n: number) => createHash('sha256').update(s).digest('hex').slice(0, n);
const labelled = readFileSync('../shared/datasets/ecbplus-events/articles.jsonl', 'utf8')
  .split('\n').filter(Boolean).map((l) => JSON.parse(l) as { id: string; topic: number; event: string; title: string; body: string });
const label: Record<string, { topic: number; event: string; lid: string }> = {};
for (const a of labelled) {
  const h = hex(a.id, 12);
  const url = `https://news${parseInt(h.slice(0, 2), 16) % 16}.example.org/articles/${h}.html`;
  label[articleIdFor(url)] = { topic: a.topic, event: a.event, lid: a.id };
}
const all = await client.search<Record<string, unknown>>({ index, size: 1000, query: { match_all: {} } });
const docs: Record<string, unknown> = {};
for (const h of all.hits.hits) docs[h._id!] = h._source;
const ids = Object.keys(docs);
const tv = await client.mtermvectors({ index, ids, fields: ['title', 'body'], term_statistics: true, field_statistics: true, positions: false, offsets: false });
const vectors: Record<string, unknown> = {};
for (const d of tv.docs) vectors[d._id!] = (d as { term_vectors?: unknown }).term_vectors;
const cands: Record<string, Array<{ id: string; score: number }>> = {};
for (const id of ids) {
  if (!label[id]) continue;
  const r = (await relatedArticles(client, index, id, { k: 100 })) ?? [];
  cands[id] = r.map((x) => ({ id: x.id, score: x.score ?? 0 }));
}
writeFileSync('/tmp/explore.json', JSON.stringify({ label, docs, vectors, cands }));
await client.close();
console.log('ok', ids.length);
