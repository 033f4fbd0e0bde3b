/**
 * Index design, near-duplicates, related lookup and search on the real Elasticsearch.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArticleRecord } from '@gazette/article';
import { BulkWriter } from './bulk-writer.ts';
import { createSearchClient } from './client.ts';
import { hammingDistance } from '@gazette/article';
import { DUPLICATE_MAX_DISTANCE } from './document.ts';
import {
  aliasTargets,
  articleTemplateFor,
  createArticleIndex,
  detectAnalysis,
  dropArticleIndices,
  ensureArticleIndex,
  indexFeatures,
  newIndexName,
  switchAlias,
} from './mappings.ts';
import {
  duplicatesOf,
  getArticle,
  relatedArticles,
  relatedCandidates,
  searchArticles,
  SearchQueryError,
} from './queries.ts';
import { makeRecord } from './test-records.ts';
import { getStored } from './article-reads.ts';

const es = createSearchClient({ url: process.env.ELASTICSEARCH_URL! });
const alias = `test-search-${randomBytes(4).toString('hex')}`;
let writer: BulkWriter;

const VOLCANO = [
  'A volcano erupted on the Reykjanes peninsula near Grindavik late on Tuesday, sending lava fountains into the night sky. ' +
    'Authorities evacuated Grindavik and closed the Blue Lagoon as a precaution. The Icelandic Meteorological Office said ' +
    'the fissure was about three kilometres long and that seismic activity had been building for weeks. Flights at ' +
    'Keflavik airport were not affected, officials said, and there was no immediate threat to lives.',
  'Lava flowed towards the town of Grindavik on Wednesday after an eruption on the Reykjanes peninsula, Iceland’s ' +
    'Meteorological Office reported. Residents of Grindavik had been evacuated before the fissure opened. Civil ' +
    'protection officials said defensive walls were holding and that Keflavik airport remained open. The eruption was ' +
    'the latest in a series on the peninsula since the volcanic system woke up.',
  'Scientists at the Icelandic Meteorological Office said the Reykjanes eruption near Grindavik was weakening on ' +
    'Thursday, two days after lava first broke through a fissure. The Blue Lagoon stayed closed and Grindavik residents ' +
    'were not allowed home. Volcanologists warned that magma was still accumulating under the peninsula and that new ' +
    'fissures could open with little warning.',
];

const UNRELATED: Array<[string, string]> = [
  [
    'Central bank holds interest rates steady',
    'The central bank kept its main interest rate unchanged on Thursday, saying inflation was easing but wages were ' +
      'still rising quickly. Governors voted six to three to hold rates, and markets now expect a cut in the autumn. ' +
      'The currency weakened slightly after the decision while bond yields fell.',
  ],
  [
    'Pakistan beat England in the second Test',
    'Pakistan beat England by seven wickets in the second Test in Multan, levelling the series. Spinners took eighteen ' +
      'wickets in the match on a dry pitch. The captain praised the bowlers and said the deciding Test in Rawalpindi ' +
      'would be played on a similar surface.',
  ],
  [
    'City council approves new cycling lanes',
    'The city council approved a plan for forty kilometres of protected cycling lanes across the centre, funded by a ' +
      'parking levy. Shop owners objected to the loss of parking spaces, but the mayor said cycling had doubled since ' +
      'the first lanes opened and that the network would make streets safer.',
  ],
];

const LONG_WIRE =
  'Grindavik volcano update. ' +
  Array.from(
    { length: 12 },
    (_, i) =>
      `In update number ${i + 1}, the civil protection agency said the lava front had moved ${i * 40 + 30} metres ` +
      `overnight and that crews were reinforcing barrier section ${String.fromCharCode(65 + i)} near the harbour road.`,
  ).join(' ');

function rec(
  n: number,
  fields: Partial<ArticleRecord> & { title: string; body: string },
  site = `site${n % 3}.example.org`,
) {
  return makeRecord({ url: `https://${site}/news/${n}`, ...fields });
}

const volcano = VOLCANO.map((body, i) =>
  rec(i, {
    title: ['Volcano erupts near Grindavik', 'Lava flows towards Grindavik', 'Reykjanes eruption weakens'][i]!,
    body,
    publishedAt: `2025-03-0${4 + i}T08:00:00Z`,
    authors: [`Reporter ${i}`],
    tags: ['iceland'],
  }),
);
const unrelated = UNRELATED.map(([title, body], i) =>
  rec(10 + i, { title, body, publishedAt: `2025-03-0${4 + i}T09:00:00Z`, tags: ['other'] }),
);
const wireOriginal = rec(
  20,
  { title: 'Lava barriers hold in Grindavik', body: LONG_WIRE, publishedAt: '2025-03-05T12:00:00Z' },
  'wire.example.org',
);
const wireCopy = rec(
  21,
  {
    title: 'Lava barriers hold in Grindavik',
    body: `REYKJAVIK (Wire) - ${LONG_WIRE} Reporting by the Wire desk.`,
    publishedAt: '2025-03-05T13:00:00Z',
  },
  'copy.example.org',
);
const wireCopy2 = rec(
  22,
  {
    title: 'Grindavik: lava barriers hold',
    body: `${LONG_WIRE} Copyright Wire.`,
    publishedAt: '2025-03-05T14:00:00Z',
    authors: ['Ann Wirefield'],
  },
  'copy2.example.org',
);

// Filler for deep pagination: many with the same date, so ordering relies on the tiebreaker.
const filler = Array.from({ length: 45 }, (_, i) =>
  rec(100 + i, {
    title: `Harbour notice number ${i}`,
    body: `Harbour notice number ${i}: the harbour master announced routine maintenance of pier ${i % 7} and buoy ${i}.`,
    publishedAt: `2025-02-${String(10 + (i % 3)).padStart(2, '0')}T00:00:00Z`,
    section: 'notices',
  }),
);

beforeAll(async () => {
  await ensureArticleIndex(es, alias);
  writer = new BulkWriter({ client: es, index: alias, maxBatch: 500, flushIntervalMs: 10 });
  await Promise.all([...volcano, ...unrelated, wireOriginal, ...filler].map((r) => writer.write(r)));
  await writer.flush();
  await es.indices.refresh({ index: alias });
  // The copies arrive later, in one batch: one is found in the index, the other also in the batch.
  await Promise.all([wireCopy, wireCopy2].map((r) => writer.write(r)));
  await writer.close();
  await es.indices.refresh({ index: alias });
});

/** Deletes the indices whose names start with `prefix` (by name: the cluster refuses wildcard deletes). */
async function deleteIndices(prefix: string): Promise<void> {
  const rows = await es.cat.indices({ index: `${prefix}*`, format: 'json', h: 'index' });
  const names = rows.map((r) => r.index).filter((n): n is string => !!n);
  if (names.length) await es.indices.delete({ index: names });
}

afterAll(async () => {
  await deleteIndices(alias);
  await es.indices.deleteIndexTemplate({ name: articleTemplateFor(alias).name }).catch(() => undefined);
  await es.close();
});

describe('index design', () => {
  it('creates a versioned index behind the alias with the template', async () => {
    const [index] = await aliasTargets(es, alias);
    expect(index).toMatch(new RegExp(`^${alias}-v\\d+$`));
    const features = await indexFeatures(es, alias);
    expect(features.derivedFields).toBe(true);
    const template = await es.indices.getIndexTemplate({ name: articleTemplateFor(alias).name });
    expect(template.index_templates[0]?.index_template.version).toBe(features.version);
  });

  it('builds a working index with the fallback analyzer (no analysis-common) on this cluster', async () => {
    const name = `${alias}-fallback`;
    await createArticleIndex(es, name, { support: { english: false } });
    const res = await es.indices.analyze({ index: name, field: 'body', text: 'The Lavas are Flowing' });
    expect(res.tokens?.map((t) => t.token)).toEqual(['lavas', 'flowing']);
    const w = new BulkWriter({ client: es, index: name, flushIntervalMs: 5 });
    await w.write(volcano[0]!);
    await w.close();
    await es.indices.refresh({ index: name });
    const found = await searchArticles(es, name, { q: 'grindavik lava' });
    expect(found.hits.map((h) => h.id)).toEqual([volcano[0]!.id]);
  });

  it('builds the index with whatever the cluster detects, and its analyzer works', async () => {
    const support = await detectAnalysis(es);
    const name = `${alias}-detected`;
    await createArticleIndex(es, name, { support });
    const res = await es.indices.analyze({ index: name, field: 'body', text: 'The Lavas are Flowing' });
    expect(res.tokens?.map((t) => t.token)).toEqual(support.english ? ['lava', 'flow'] : ['lavas', 'flowing']);
  });

  it('detects the same analyzers when many indexers start at once (a full analyze queue is no missing analyzer)', async () => {
    const alone = await detectAnalysis(es);
    expect(alone.languages?.length).toBeGreaterThan(20);
    expect(alone.rebuildsEnglish).toBe(true);
    // Ten indexers' probes at once overflow the node's analyze queue (one thread, 16 waiting).
    const together = await Promise.all(Array.from({ length: 10 }, () => detectAnalysis(es)));
    for (const support of together) expect(support).toEqual(alone);
    const burst = `${alias}-burst`;
    const indices = await Promise.all(Array.from({ length: 10 }, () => ensureArticleIndex(es, burst)));
    expect(new Set(indices).size).toBe(1);
    const features = await indexFeatures(es, burst);
    expect(features.languages).toEqual(alone.languages);
    await dropArticleIndices(es, burst);
  });

  it('switches the alias atomically to a new index version', async () => {
    const other = `test-switch-${randomBytes(4).toString('hex')}`;
    const first = newIndexName(other, new Date('2025-01-01T00:00:00Z'));
    const second = newIndexName(other, new Date('2025-02-01T00:00:00Z'));
    try {
      await createArticleIndex(es, first, {
        support: { english: false },
        aliases: { [other]: { is_write_index: true } },
      });
      await createArticleIndex(es, second, { support: { english: false } });
      expect(await switchAlias(es, other, second)).toEqual([first]);
      expect(await aliasTargets(es, other)).toEqual([second]);
    } finally {
      await deleteIndices(other);
    }
  });
});

describe('near-duplicates', () => {
  it('groups syndicated copies under the first article', async () => {
    expect(hammingDistance(wireOriginal.simhash, wireCopy.simhash)).toBeLessThanOrEqual(DUPLICATE_MAX_DISTANCE);
    const copies = await duplicatesOf(es, alias, wireOriginal.id);
    expect(copies?.map((c) => c.id).sort()).toEqual([wireCopy.id, wireCopy2.id].sort());
    const record = await getArticle(es, alias, wireCopy.id);
    expect(record).not.toHaveProperty('dupGroup');
    expect(record?.title).toBe(wireCopy.title);
  });

  it('shows one article per group in search, and the others on request', async () => {
    const res = await searchArticles(es, alias, { q: '"lava barriers"' });
    expect(res.hits.map((h) => h.id)).toEqual([wireOriginal.id]);
    const listed = await searchArticles(es, alias, { q: '"lava barriers"', duplicates: true });
    expect(listed.hits[0]?.duplicates?.map((d) => d.id).sort()).toEqual([wireCopy.id, wireCopy2.id].sort());
    const all = await searchArticles(es, alias, { q: '"lava barriers"', includeDuplicates: true });
    expect(all.hits).toHaveLength(3);
  });

  it('applies filters before a group picks its representative', async () => {
    // The group's representative is the original; a filter matching only a copy finds that copy.
    const byAuthor = await searchArticles(es, alias, { author: 'Ann Wirefield' });
    expect(byAuthor.hits.map((h) => h.id)).toEqual([wireCopy2.id]);
    const bySite = await searchArticles(es, alias, { q: '"lava barriers"', site: 'copy.example.org' });
    expect(bySite.hits.map((h) => h.id)).toEqual([wireCopy.id]);
    // Two matching copies of one group: still one result, the earliest copy.
    const both = await searchArticles(es, alias, { site: ['copy.example.org', 'copy2.example.org'] });
    expect(both.hits.map((h) => h.id)).toEqual([wireCopy.id]);
    // When the representative matches, it stands for the group as before.
    const withOriginal = await searchArticles(es, alias, {
      q: '"lava barriers"',
      site: ['wire.example.org', 'copy.example.org'],
    });
    expect(withOriginal.hits.map((h) => h.id)).toEqual([wireOriginal.id]);
  });
});

describe('related articles', () => {
  it('ranks the same story above unrelated articles and excludes the article and its copies', async () => {
    const related = (await relatedArticles(es, alias, volcano[0]!.id, { k: 10 }))!;
    const ids = related.map((r) => r.id);
    expect(ids.slice(0, 2).sort()).toEqual([volcano[1]!.id, volcano[2]!.id].sort());
    expect(ids).not.toContain(volcano[0]!.id);
    for (const u of unrelated) {
      const at = ids.indexOf(u.id);
      if (at !== -1) expect(at).toBeGreaterThan(1);
    }
  });

  it('collapses a group of copies to one result and lists the copies on request', async () => {
    const related = (await relatedArticles(es, alias, volcano[1]!.id, { k: 10, duplicates: true }))!;
    const wire = related.filter((r) => [wireOriginal.id, wireCopy.id, wireCopy2.id].includes(r.id));
    expect(wire).toHaveLength(1);
    expect(wire[0]!.duplicates).toHaveLength(2);
    const fromCopy = (await relatedArticles(es, alias, wireCopy.id, { k: 10 }))!;
    expect(fromCopy.map((r) => r.id)).not.toContain(wireOriginal.id);
    expect(fromCopy.map((r) => r.id)).not.toContain(wireCopy2.id);
  });

  it('filters by site, language and time window', async () => {
    const site = volcano[2]!.site;
    const bySite = (await relatedArticles(es, alias, volcano[0]!.id, { site }))!;
    expect(bySite.length).toBeGreaterThan(0);
    expect(bySite.every((r) => r.site === site)).toBe(true);
    expect(await relatedArticles(es, alias, volcano[0]!.id, { language: 'fr' })).toEqual([]);
    const window = (await relatedArticles(es, alias, volcano[0]!.id, { windowDays: 1.5 }))!;
    expect(window.map((r) => r.id)).toContain(volcano[1]!.id);
    expect(window.map((r) => r.id)).not.toContain(volcano[2]!.id);
    const since = (await relatedArticles(es, alias, volcano[0]!.id, { since: '2025-03-06' }))!;
    expect(since.every((r) => (r.publishedAt ?? '') >= '2025-03-06')).toBe(true);
  });

  it('answers null for an unknown article', async () => {
    expect(await relatedArticles(es, alias, '0'.repeat(32))).toBeNull();
  });

  it('reports where the lookup spent its time, Elasticsearch’s own share included', async () => {
    const timings = { read: -1, search: -1, took: -1, rerank: -1, copies: -1 };
    const related = (await relatedArticles(es, alias, volcano[1]!.id, { k: 10, duplicates: true, timings }))!;
    expect(related.length).toBeGreaterThan(0);
    for (const value of Object.values(timings)) expect(value).toBeGreaterThanOrEqual(0);
    expect(timings.search).toBeGreaterThanOrEqual(timings.took);
  });
});

describe('reading an article', () => {
  it('reads only the fields asked for, through the alias too', async () => {
    const stored = (await getStored(es, alias, volcano[0]!.id, ['id', 'title', 'signature']))!;
    expect(Object.keys(stored.doc).sort()).toEqual(['id', 'signature', 'title']);
    expect(stored.index).not.toBe(alias);
    expect((await getStored(es, alias, volcano[0]!.id))!.doc.body).toBe(volcano[0]!.body);
  });
});

describe('search', () => {
  it('matches phrases and fields', async () => {
    const phrase = await searchArticles(es, alias, { q: '"interest rate unchanged"' });
    expect(phrase.hits.map((h) => h.id)).toEqual([unrelated[0]!.id]);
    const wrongOrder = await searchArticles(es, alias, { q: '"unchanged interest rate"' });
    expect(wrongOrder.hits).toEqual([]);
    // A phrase pasted from an article, in typographic quotation marks, is still a phrase.
    const pasted = await searchArticles(es, alias, { q: '“interest rate unchanged”' });
    expect(pasted.hits.map((h) => h.id)).toEqual([unrelated[0]!.id]);
    expect((await searchArticles(es, alias, { q: '“unchanged interest rate”' })).hits).toEqual([]);
    const title = await searchArticles(es, alias, { q: 'title:grindavik' });
    expect(title.hits.map((h) => h.id).sort()).toEqual([volcano[0]!.id, volcano[1]!.id, wireOriginal.id].sort());
    const author = await searchArticles(es, alias, { q: 'author:"Reporter 2"' });
    expect(author.hits.map((h) => h.id)).toEqual([volcano[2]!.id]);
    const exclusion = await searchArticles(es, alias, { q: 'grindavik -title:lava', includeDuplicates: false });
    expect(exclusion.hits.map((h) => h.id)).not.toContain(volcano[1]!.id);
  });

  it('finds a name however its apostrophe is printed or typed, and with or without its accents', async () => {
    const own = `${alias}-apostrophes`;
    await ensureArticleIndex(es, own);
    // WordPress and most newsrooms print the typeset apostrophe; readers type the ASCII one.
    const typeset = rec(300, { title: 'O’Brien’s last game', body: 'Ohio State fired Jim O’Brien on Monday.' });
    const typed = rec(301, { title: "O'Neill signs", body: "Forward Paddy O'Neill signed a new deal." });
    const accented = rec(302, {
      title: 'Erdoğan visits São Paulo',
      body: 'President Erdoğan met officials in São Paulo.',
    });
    const w = new BulkWriter({ client: es, index: own, flushIntervalMs: 5 });
    await Promise.all([typeset, typed, accented].map((r) => w.write(r)));
    await w.close();
    await es.indices.refresh({ index: own });
    const ids = async (q: string) => (await searchArticles(es, own, { q })).hits.map((h) => h.id);
    expect(await ids("O'Brien")).toEqual([typeset.id]);
    expect(await ids('"jim o\'brien"')).toEqual([typeset.id]);
    expect(await ids("title:o'brien")).toEqual([typeset.id]);
    expect(await ids('O’Neill')).toEqual([typed.id]);
    // Names with accents, found by readers who type without them (and the other way round).
    expect(await ids('erdogan "sao paulo"')).toEqual([accented.id]);
    expect(await ids('title:Erdoğan')).toEqual([accented.id]);
    const stored = await getStored(es, own, typeset.id);
    expect(stored?.doc.entities).toContain("jim o'brien");
    await dropArticleIndices(es, own);
  });

  it('boosts the title over the body', async () => {
    const res = await searchArticles(es, alias, { q: 'weakens OR weakening' });
    expect(res.hits[0]?.id).toBe(volcano[2]!.id);
  });

  it('filters by site, language, author, tag and date range', async () => {
    const site = volcano[0]!.site;
    expect((await searchArticles(es, alias, { q: 'grindavik', site })).hits.every((h) => h.site === site)).toBe(true);
    expect((await searchArticles(es, alias, { q: 'grindavik', language: 'de' })).hits).toEqual([]);
    expect((await searchArticles(es, alias, { q: 'grindavik', language: 'en' })).hits.length).toBeGreaterThan(0);
    expect((await searchArticles(es, alias, { q: 'grindavik', author: 'Reporter 1' })).hits.map((h) => h.id)).toEqual([
      volcano[1]!.id,
    ]);
    expect((await searchArticles(es, alias, { q: 'grindavik', tag: 'iceland' })).total).toBe(3);
    const range = await searchArticles(es, alias, {
      q: 'grindavik',
      since: '2025-03-05',
      until: '2025-03-05T23:59:59Z',
    });
    expect(range.hits.map((h) => h.id).sort()).toEqual([volcano[1]!.id, wireOriginal.id].sort());
  });

  it('sorts by date and highlights matches', async () => {
    const res = await searchArticles(es, alias, { q: 'grindavik', sort: 'date' });
    const dates = res.hits.map((h) => h.publishedAt ?? '');
    expect(dates).toEqual([...dates].sort().reverse());
    const hl = await searchArticles(es, alias, { q: 'fissure' });
    expect(hl.hits[0]?.highlight?.body?.join(' ')).toContain('<em>fissure</em>');
  });

  it('pages deep with search_after without repeating or skipping articles', async () => {
    // Only the filler notices (the wire story mentions a harbour road too).
    const q = { q: 'harbour section:notices', sort: 'date' as const };
    const all = await searchArticles(es, alias, { ...q, size: 100 });
    expect(all.total).toBe(filler.length);
    const seen: string[] = [];
    let after: string | undefined;
    for (let page = 0; page < 20; page++) {
      const res = await searchArticles(es, alias, { ...q, size: 4, ...(after ? { after } : {}) });
      seen.push(...res.hits.map((h) => h.id));
      if (!res.next) break;
      after = res.next;
    }
    expect(seen).toEqual(all.hits.map((h) => h.id));
    expect(new Set(seen).size).toBe(filler.length);

    const relevance: string[] = [];
    after = undefined;
    for (let page = 0; page < 20; page++) {
      const res = await searchArticles(es, alias, { q: 'harbour pier', size: 7, ...(after ? { after } : {}) });
      relevance.push(...res.hits.map((h) => h.id));
      if (!res.next) break;
      after = res.next;
    }
    expect(new Set(relevance).size).toBe(relevance.length);
    expect(relevance.length).toBe((await searchArticles(es, alias, { q: 'harbour pier', size: 100 })).hits.length);
  });

  it('searches text that is not valid syntax as plain words, and says so', async () => {
    const ids = async (q: string) => {
      const res = await searchArticles(es, alias, { q, size: 100 });
      return { ids: res.hits.map((h) => h.id).sort(), readAs: res.readAs };
    };
    const plain = await ids('harbour pier');
    expect(plain.ids.length).toBeGreaterThan(0);
    expect(plain.readAs).toBeUndefined();
    // Read as written: a slash and a headline's colon are punctuation.
    expect(await ids('harbour/pier')).toEqual(plain);
    expect(await ids('Harbour: pier')).toEqual(plain);
    // Not valid syntax: the same words, flagged.
    for (const q of ['harbour pier!', 'harbour [pier', 'harbour pier AND', '~harbour pier']) {
      expect(await ids(q), q).toEqual({ ...plain, readAs: 'words' });
    }
    expect((await searchArticles(es, alias, { q: 'title:(unclosed' })).readAs).toBe('words');
    expect((await searchArticles(es, alias, { q: 'OR' })).readAs).toBe('words');
    // A field readers may not search is still refused, not searched as words.
    await expect(searchArticles(es, alias, { q: 'url:* harbour' })).rejects.toBeInstanceOf(SearchQueryError);
  });
});

describe('related articles: re-ranking by what the reports mention', () => {
  const report = (n: number, title: string, body: string) => rec(200 + n, { title, body }, `quake${n}.example.org`);
  const first = report(
    1,
    'Earthquake hits Qeshm island',
    'An earthquake of magnitude 5.9 hit Qeshm island in the Gulf on November 27, 2005, killing ten people, ' +
      'state television said. Rescue teams reached damaged villages on the island by nightfall and the Red Crescent ' +
      'set up tents for families whose homes had collapsed.',
  );
  const sameQuake = report(
    2,
    'Qeshm quake death toll rises',
    'The death toll from the November 27, 2005 earthquake on Qeshm island rose to thirteen, officials said, as the ' +
      'Red Crescent sent more tents. Villages near the epicentre lost most of their houses in the quake.',
  );
  const laterQuake = report(
    3,
    'Earthquake hits Qeshm island again',
    'An earthquake of magnitude 6.1 hit Qeshm island in the Gulf on September 10, 2008, injuring dozens of people, ' +
      'state television said. Rescue teams reached damaged villages on the island and the Red Crescent set up tents ' +
      'for families.',
  );

  it('stores years, dates and a signature, and puts the report of the same time first', async () => {
    await Promise.all([first, sameQuake, laterQuake].map((r) => writer.write(r)));
    await writer.close();
    await es.indices.refresh({ index: alias });
    expect((await indexFeatures(es, alias)).eventFields).toBe(true);
    const stored = await es.get<{ years?: string[]; dates?: string[]; signature?: string }>({
      index: alias,
      id: first.id,
    });
    expect(stored._source).toMatchObject({ years: ['2005'], dates: ['11-27'] });
    expect(stored._source?.signature).toMatch(/^island:4 earthquake:3 /);
    expect(await getArticle(es, alias, first.id)).not.toHaveProperty('signature');
    const related = (await relatedArticles(es, alias, first.id, { k: 5 }))!;
    expect(related.map((r) => r.id).slice(0, 2)).toEqual([sameQuake.id, laterQuake.id]);
  });

  it('returns the first-stage candidates with the score of their shared names', async () => {
    const found = (await relatedCandidates(es, alias, first.id))!;
    expect(found.source.id).toBe(first.id);
    const byId = new Map(found.candidates.map((c) => [c.id, c]));
    // Both quake reports name Qeshm and the Red Crescent; the score is Elasticsearch's, idf-weighted.
    expect(byId.get(sameQuake.id)?.nameScore).toBeGreaterThan(0);
    expect(byId.get(laterQuake.id)?.signature).toMatch(/earthquake/);
    expect(await relatedCandidates(es, alias, '0'.repeat(32))).toBeNull();
    // The re-ranking reads the same score when its weight is on.
    const weighted = (await relatedArticles(es, alias, first.id, { k: 5, tuning: { rareNameWeight: 1 } }))!;
    expect(weighted.map((r) => r.id).slice(0, 2)).toEqual([sameQuake.id, laterQuake.id]);
  });
});
