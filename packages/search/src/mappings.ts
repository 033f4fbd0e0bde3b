import type { Client, estypes } from '@elastic/elasticsearch';

/** Bumped when the mapping changes; `gazette reindex` builds a new index of the new version. */
export const INDEX_MAPPING_VERSION = 5;

/**
 * Elasticsearch's built-in language analyzers (all from the analysis-common
 * module), by the primary subtag of a BCP 47 language tag.
 */
export const LANGUAGE_ANALYZERS: Readonly<Record<string, string>> = {
  ar: 'arabic',
  hy: 'armenian',
  eu: 'basque',
  bn: 'bengali',
  bg: 'bulgarian',
  ca: 'catalan',
  zh: 'cjk',
  ja: 'cjk',
  ko: 'cjk',
  cs: 'czech',
  da: 'danish',
  nl: 'dutch',
  et: 'estonian',
  fi: 'finnish',
  fr: 'french',
  gl: 'galician',
  de: 'german',
  el: 'greek',
  hi: 'hindi',
  hu: 'hungarian',
  id: 'indonesian',
  ga: 'irish',
  it: 'italian',
  lv: 'latvian',
  lt: 'lithuanian',
  no: 'norwegian',
  nb: 'norwegian',
  nn: 'norwegian',
  fa: 'persian',
  pt: 'portuguese',
  ro: 'romanian',
  ru: 'russian',
  sr: 'serbian',
  ckb: 'sorani',
  es: 'spanish',
  sv: 'swedish',
  th: 'thai',
  tr: 'turkish',
};

/**
 * Which text analysis the cluster can do. A node started without the
 * analysis-common module has only core analysis (`standard`, `lowercase`,
 * `stop`): no stemming, no language analyzers.
 */
export interface AnalysisSupport {
  /** The `english` analyzer (stemming, possessives, stop words) exists. */
  english: boolean;
  /** Language subtags (other than `en`) whose language analyzer exists, e.g. `['de', 'fr']`. */
  languages?: string[];
  /**
   * The `mapping` character filter, the English `stemmer` filters and `asciifolding` exist
   * (analysis-common), so `english` can be rebuilt from its parts with typeset apostrophes read as
   * `'` and accents folded ("Erdoğan" as "erdogan").
   */
  rebuildsEnglish?: boolean;
}

/**
 * Apostrophes as typeset (`’`, what WordPress and most newsrooms print), as a modifier letter or
 * full width, read as the ASCII one a reader types: "O’Brien" and "O'Brien" are one word. The
 * `mapping` character filter, like the language analyzers, comes with analysis-common.
 */
export const APOSTROPHE_MAPPINGS = ["\u2019=>'", "\u2018=>'", "\u02BC=>'", "\uFF07=>'"];

/** Analyzer probes in flight at once: Elasticsearch's `analyze` pool runs one and queues 16 per node. */
const PROBE_CONCURRENCY = 4;
/** Waits before probing again when Elasticsearch's `analyze` queue is full (429). */
const PROBE_RETRY_MS = [50, 200, 500, 1_000, 2_000];

/**
 * Whether the cluster can run this `_analyze` request. Only Elasticsearch's own answer that it lacks
 * a part ("failed to find …") says no; a full queue (429) is asked again after a pause, and any other
 * failure rejects. Taking a refusal for an absence would build an index without the analyzer for
 * good (an index's analysis cannot change after it is created).
 */
async function canAnalyze(client: Client, request: estypes.IndicesAnalyzeRequest): Promise<boolean> {
  for (let attempt = 0; ; attempt++) {
    try {
      await client.indices.analyze(request);
      return true;
    } catch (error) {
      const e = error as { statusCode?: number; body?: { error?: { type?: string; reason?: string } } };
      const cause = e.body?.error;
      if (
        e.statusCode === 400 &&
        cause?.type === 'illegal_argument_exception' &&
        /failed to find/.test(cause.reason ?? '')
      )
        return false;
      const wait = PROBE_RETRY_MS[attempt];
      if (e.statusCode !== 429 || wait === undefined) throw error;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

/** The parts of {@link articleIndexBody}'s rebuilt English analyzer that only analysis-common has. */
const APOSTROPHES_FILTER: estypes.AnalysisMappingCharFilter = { type: 'mapping', mappings: APOSTROPHE_MAPPINGS };
const POSSESSIVE_STEMMER: estypes.AnalysisStemmerTokenFilter = { type: 'stemmer', language: 'possessive_english' };
const ENGLISH_STEMMER: estypes.AnalysisStemmerTokenFilter = { type: 'stemmer', language: 'english' };

/** Those parts, as one probe. */
const REBUILT_ENGLISH_PROBE: estypes.IndicesAnalyzeRequest = {
  tokenizer: 'standard',
  char_filter: [APOSTROPHES_FILTER],
  filter: [POSSESSIVE_STEMMER, 'asciifolding', ENGLISH_STEMMER],
  text: 'O’Brien’s running in Zürich',
};

/**
 * Probes the cluster with `_analyze` for the English and other language analyzers and the parts of
 * the rebuilt English analyzer, a few at a time. Rejects (with Elasticsearch's error) when the
 * cluster cannot answer, rather than report a part missing.
 */
export async function detectAnalysis(client: Client): Promise<AnalysisSupport> {
  const english = await canAnalyze(client, { analyzer: 'english', text: 'running' });
  if (!english) return { english: false, languages: [] };
  const probes: Array<[string, estypes.IndicesAnalyzeRequest]> = [
    ['', REBUILT_ENGLISH_PROBE],
    ...[...new Set(Object.values(LANGUAGE_ANALYZERS))].map((a): [string, estypes.IndicesAnalyzeRequest] => [
      a,
      { analyzer: a, text: 'running' },
    ]),
  ];
  const present = new Set<string>();
  let next = 0;
  const probe = async (): Promise<void> => {
    for (let p = probes[next++]; p !== undefined; p = probes[next++]) {
      if (await canAnalyze(client, p[1])) present.add(p[0]);
    }
  };
  await Promise.all(Array.from({ length: PROBE_CONCURRENCY }, probe));
  const languages = Object.entries(LANGUAGE_ANALYZERS)
    .filter(([, analyzer]) => present.has(analyzer))
    .map(([code]) => code)
    .sort();
  return { english, languages, rebuildsEnglish: present.has('') };
}

/** Primary subtag of a BCP 47 tag, lower case (`pt-BR` → `pt`), or null. */
export function primaryLanguage(tag: string | null | undefined): string | null {
  if (!tag) return null;
  const primary = tag.trim().toLowerCase().split(/[-_]/)[0];
  return primary && /^[a-z]{2,3}$/.test(primary) ? primary : null;
}

/** What an index was built with, read back from its mapping's `_meta`. */
export interface IndexFeatures {
  version: number;
  /** Language subtags with their own `i18n.<lang>` fields. */
  languages: string[];
  /** The index has the near-duplicate and entity fields (version 2 and later). */
  derivedFields: boolean;
  /** The index has the years, dates and text signature fields used to re-rank related articles (version 3 and later). */
  eventFields?: boolean;
  /** The index has the lede signature the re-ranking compares (version 5 and later). */
  ledeField?: boolean;
}

const keyword = { type: 'keyword' as const };

/**
 * Index settings and mappings of an articles index, for what the cluster supports.
 *
 * - `title`, `description`, `body`: `gazette_english`, Elasticsearch's `english` analyzer
 *   rebuilt from its parts (possessives, lowercase, English stop words, the English stemmer) with
 *   typeset apostrophes read as `'` and accents folded (`asciifolding`); `english` itself on a
 *   cluster with the analyzer but not those parts; without analysis-common, `gazette_text`
 *   (standard tokenizer, lowercase, English stop words) built from core components. `.std`
 *   sub-fields are language-neutral (`gazette_standard`: `standard` with the same apostrophes and
 *   folding, or `standard` itself).
 * - `i18n.<lang>.title|body`: the language's own analyzer, filled only for articles in that
 *   language (excluded from `_source`; derived from the record at index time).
 * - `entities`, `simhashBands`, `dupGroup`, `duplicate`: derived at index time (see document.ts).
 * - `years`, `dates`: the years and calendar days the text mentions; `signature`, `lede`: compact
 *   term lists of the whole text and of the title and lede, kept only in `_source` (not searchable)
 *   for re-ranking related candidates.
 */
export function articleIndexBody(support: AnalysisSupport): {
  settings: estypes.IndicesIndexSettings;
  mappings: estypes.MappingTypeMapping;
} {
  const rebuilt = support.english && support.rebuildsEnglish === true;
  const text = rebuilt ? 'gazette_english' : support.english ? 'english' : 'gazette_text';
  const neutral = rebuilt ? 'gazette_standard' : 'standard';
  const languages = (support.english ? (support.languages ?? []) : []).filter((l) => l !== 'en');
  const i18n: Record<string, estypes.MappingProperty> = {};
  for (const lang of languages) {
    const analyzer = LANGUAGE_ANALYZERS[lang];
    if (!analyzer) continue;
    i18n[lang] = {
      type: 'object',
      properties: {
        title: { type: 'text' as const, analyzer },
        body: { type: 'text' as const, analyzer, term_vector: 'yes' as const },
      },
    };
  }
  const apostrophes = { type: 'custom' as const, tokenizer: 'standard', char_filter: ['gazette_apostrophes'] };
  const analysis: estypes.IndicesIndexSettingsAnalysis = rebuilt
    ? {
        char_filter: { gazette_apostrophes: APOSTROPHES_FILTER },
        filter: {
          gazette_english_stop: { type: 'stop', stopwords: '_english_' },
          gazette_english_possessive: POSSESSIVE_STEMMER,
          gazette_english_stemmer: ENGLISH_STEMMER,
        },
        analyzer: {
          gazette_english: {
            ...apostrophes,
            filter: [
              'gazette_english_possessive',
              'lowercase',
              'asciifolding',
              'gazette_english_stop',
              'gazette_english_stemmer',
            ],
          },
          gazette_standard: { ...apostrophes, filter: ['lowercase', 'asciifolding'] },
        },
      }
    : {
        filter: { gazette_english_stop: { type: 'stop', stopwords: '_english_' } },
        analyzer: {
          gazette_text: { type: 'custom', tokenizer: 'standard', filter: ['lowercase', 'gazette_english_stop'] },
        },
      };
  return {
    settings: {
      number_of_shards: 1,
      // No replica on a single node, one as soon as the cluster has a second node to hold it.
      auto_expand_replicas: '0-1',
      refresh_interval: '1s',
      analysis,
    },
    mappings: {
      dynamic: 'strict' as const,
      _meta: {
        gazetteMappingVersion: INDEX_MAPPING_VERSION,
        textAnalyzer: text,
        languages,
      },
      _source: { excludes: ['i18n'] },
      properties: {
        schemaVersion: { type: 'integer' as const },
        id: keyword,
        url: keyword,
        canonicalUrl: keyword,
        site: keyword,
        siteName: keyword,
        title: {
          type: 'text' as const,
          analyzer: text,
          fields: {
            raw: { type: 'keyword' as const, ignore_above: 512 },
            std: { type: 'text' as const, analyzer: neutral },
          },
        },
        description: { type: 'text' as const, analyzer: text },
        authors: keyword,
        author: { type: 'alias' as const, path: 'authors' },
        publishedAt: { type: 'date' as const },
        modifiedAt: { type: 'date' as const },
        language: keyword,
        section: keyword,
        tags: keyword,
        tag: { type: 'alias' as const, path: 'tags' },
        leadImage: { type: 'keyword' as const, index: false },
        body: {
          type: 'text' as const,
          analyzer: text,
          term_vector: 'with_positions_offsets' as const,
          fields: { std: { type: 'text' as const, analyzer: neutral } },
        },
        wordCount: { type: 'integer' as const },
        relatedLinks: {
          properties: { url: keyword, text: { type: 'text' as const, analyzer: neutral } },
        },
        outLinks: keyword,
        contentHash: keyword,
        simhash: keyword,
        fetchedAt: { type: 'date' as const },
        parserVersion: keyword,
        indexedAt: { type: 'date' as const },
        // Derived at index time.
        entities: keyword,
        years: keyword,
        dates: keyword,
        signature: { type: 'keyword' as const, index: false, doc_values: false },
        lede: { type: 'keyword' as const, index: false, doc_values: false },
        simhashBands: keyword,
        dupGroup: keyword,
        duplicate: { type: 'boolean' as const },
        i18n: { type: 'object', properties: i18n },
      },
    },
  };
}

/** The index template name and pattern for the versioned indices behind `alias`. */
export function articleTemplateFor(alias: string): { name: string; pattern: string } {
  return { name: `${alias}-articles`, pattern: `${alias}-v*` };
}

/**
 * Puts the versioned index template for `alias` (`<alias>-v*`), so any index created under
 * that pattern, also by hand, gets the current mapping. Replaces an older version.
 */
export async function putArticleTemplate(client: Client, alias: string, support?: AnalysisSupport): Promise<void> {
  const { name, pattern } = articleTemplateFor(alias);
  const body = articleIndexBody(support ?? (await detectAnalysis(client)));
  await client.indices.putIndexTemplate({
    name,
    index_patterns: [pattern],
    priority: 200,
    version: INDEX_MAPPING_VERSION,
    _meta: { gazetteMappingVersion: INDEX_MAPPING_VERSION },
    template: { settings: body.settings, mappings: body.mappings },
  });
}

/**
 * Segments per shard an index is force-merged to before it serves (what `gazette reindex` does):
 * every search, related lookups most of all, looks each query term up and scores its postings once
 * per segment.
 */
export const SERVING_SEGMENTS = 1;

/** A fresh index name for `alias` at the current mapping version: `<alias>-v<version>-<stamp>`. */
export function newIndexName(alias: string, now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:T]/g, '').replace(/\..*$/, '').toLowerCase();
  return `${alias}-v${INDEX_MAPPING_VERSION}-${stamp}`;
}

/**
 * Creates the articles index `name` with the current mapping (for what the cluster supports),
 * without any alias. `gazette reindex` fills it and then calls {@link switchAlias}.
 */
export async function createArticleIndex(
  client: Client,
  name: string,
  options: { support?: AnalysisSupport; aliases?: Record<string, { is_write_index?: boolean }> } = {},
): Promise<string> {
  const support = options.support ?? (await detectAnalysis(client));
  await client.indices.create({
    index: name,
    ...articleIndexBody(support),
    ...(options.aliases ? { aliases: options.aliases } : {}),
  });
  return name;
}

/** The indices `alias` points at now (empty when it does not exist). */
export async function aliasTargets(client: Client, alias: string): Promise<string[]> {
  const existing = await client.indices.getAlias({ name: alias }).catch((e: unknown) => {
    if ((e as { statusCode?: number }).statusCode === 404) return undefined;
    throw e;
  });
  return existing ? Object.keys(existing).sort() : [];
}

/**
 * Points `alias` at `newIndex` (as its write index) and away from every other index, in one
 * atomic `_aliases` request. Returns the indices it pointed at before; they are not deleted.
 */
export async function switchAlias(client: Client, alias: string, newIndex: string): Promise<string[]> {
  const previous = await aliasTargets(client, alias);
  await client.indices.updateAliases({
    actions: [
      ...previous
        .filter((index) => index !== newIndex)
        .map((index) => ({ remove: { index, alias, must_exist: false } })),
      { add: { index: newIndex, alias, is_write_index: true } },
    ],
  });
  return previous;
}

/**
 * Makes sure `alias` points at an articles index, creating `<alias>-v<version>` behind it when
 * missing (and the versioned template). Safe to call from several processes at once.
 */
export async function ensureArticleIndex(client: Client, alias: string): Promise<string> {
  const existing = await aliasTargets(client, alias);
  if (existing[0]) return existing[0];
  const support = await detectAnalysis(client);
  await putArticleTemplate(client, alias, support);
  const index = `${alias}-v${INDEX_MAPPING_VERSION}`;
  try {
    await createArticleIndex(client, index, { support, aliases: { [alias]: { is_write_index: true } } });
  } catch (error) {
    const type = (error as { body?: { error?: { type?: string } } }).body?.error?.type;
    if (type !== 'resource_already_exists_exception') throw error;
  }
  return index;
}

/** Reads what an index (or the index behind an alias) was built with. */
export async function indexFeatures(client: Client, index: string): Promise<IndexFeatures> {
  const res = await client.indices.getMapping({ index }).catch((e: unknown) => {
    if ((e as { statusCode?: number }).statusCode === 404) return undefined;
    throw e;
  });
  if (!res) return { version: 0, languages: [], derivedFields: false, eventFields: false };
  const mapping = Object.values(res)[0]?.mappings;
  const meta = (mapping?._meta ?? {}) as { gazetteMappingVersion?: number; languages?: string[] };
  const props = mapping?.properties ?? {};
  return {
    version: meta.gazetteMappingVersion ?? 1,
    languages: Array.isArray(meta.languages) ? meta.languages : [],
    derivedFields: 'dupGroup' in props && 'entities' in props,
    eventFields: 'signature' in props && 'years' in props && 'dates' in props,
    ledeField: 'lede' in props,
  };
}

/**
 * Deletes every versioned index of `alias` (`<alias>-v*`) and its template. The cluster refuses
 * wildcard deletes (action.destructive_requires_name), so indices are listed and deleted by name.
 * For tests, benchmarks and tearing down a deployment.
 */
export async function dropArticleIndices(client: Client, alias: string): Promise<string[]> {
  const { name, pattern } = articleTemplateFor(alias);
  const rows = await client.cat.indices({ index: pattern, format: 'json', h: 'index' });
  const names = rows.map((r) => r.index).filter((n): n is string => typeof n === 'string');
  if (names.length > 0) await client.indices.delete({ index: names, ignore_unavailable: true });
  await client.indices.deleteIndexTemplate({ name }).catch((error: unknown) => {
    if ((error as { statusCode?: number }).statusCode !== 404) throw error;
  });
  return names;
}
