import { describe, expect, it } from 'vitest';
import { articleIndexBody, INDEX_MAPPING_VERSION, newIndexName, primaryLanguage } from './mappings.ts';

type Field = { analyzer?: string; properties?: Record<string, Field> };

describe('articleIndexBody', () => {
  it('uses the english analyzer and language fields when the cluster has analysis-common', () => {
    const body = articleIndexBody({ english: true, languages: ['de', 'fr', 'en'], rebuildsEnglish: true });
    const props = body.mappings.properties as Record<string, Field & { fields?: Record<string, Field> }>;
    expect(props['title']?.analyzer).toBe('gazette_english');
    expect(props['body']?.analyzer).toBe('gazette_english');
    expect(props['body']?.fields?.['std']?.analyzer).toBe('gazette_standard');
    // Elasticsearch's english analyzer, rebuilt with typeset apostrophes read as the typed one.
    const analysis = body.settings.analysis as {
      analyzer: Record<string, { char_filter?: string[]; filter: string[] }>;
      char_filter: Record<string, { type: string; mappings: string[] }>;
    };
    expect(analysis.analyzer['gazette_english']).toMatchObject({
      tokenizer: 'standard',
      char_filter: ['gazette_apostrophes'],
      filter: [
        'gazette_english_possessive',
        'lowercase',
        'asciifolding',
        'gazette_english_stop',
        'gazette_english_stemmer',
      ],
    });
    expect(analysis.char_filter['gazette_apostrophes']?.mappings).toContain("’=>'");
    expect(Object.keys(props['i18n']?.properties ?? {}).sort()).toEqual(['de', 'fr']);
    expect(props['i18n']?.properties?.['de']?.properties?.['body']?.analyzer).toBe('german');
    expect(body.mappings._meta).toMatchObject({
      gazetteMappingVersion: INDEX_MAPPING_VERSION,
      languages: ['de', 'fr'],
    });
  });

  it('keeps the built-in english analyzer where the cluster lacks the parts to rebuild it', () => {
    const body = articleIndexBody({ english: true, languages: ['de'] });
    const props = body.mappings.properties as Record<string, Field & { fields?: Record<string, Field> }>;
    expect(props['body']?.analyzer).toBe('english');
    expect(props['body']?.fields?.['std']?.analyzer).toBe('standard');
    expect(body.settings.analysis?.char_filter).toBeUndefined();
  });

  it('falls back to a core-only analyzer (standard tokenizer, lowercase, English stop words) without it', () => {
    const body = articleIndexBody({ english: false, languages: ['de'] });
    const props = body.mappings.properties as Record<string, Field>;
    expect(props['title']?.analyzer).toBe('gazette_text');
    expect(props['body']?.analyzer).toBe('gazette_text');
    expect((props['body'] as { fields?: Record<string, Field> }).fields?.['std']?.analyzer).toBe('standard');
    expect(props['i18n']?.properties).toEqual({});
    const analysis = body.settings.analysis as {
      analyzer: Record<string, { tokenizer: string; filter: string[] }>;
      filter: Record<string, { type: string; stopwords: string }>;
    };
    expect(analysis.analyzer['gazette_text']).toEqual({
      type: 'custom',
      tokenizer: 'standard',
      filter: ['lowercase', 'gazette_english_stop'],
    });
    expect(analysis.filter['gazette_english_stop']).toEqual({ type: 'stop', stopwords: '_english_' });
  });

  it('has keyword fields for filters and the derived near-duplicate and re-ranking fields', () => {
    const props = articleIndexBody({ english: false }).mappings.properties as Record<string, { type?: string }>;
    for (const f of [
      'site',
      'authors',
      'tags',
      'language',
      'section',
      'entities',
      'years',
      'dates',
      'simhashBands',
      'dupGroup',
    ]) {
      expect(props[f]?.type, f).toBe('keyword');
    }
    expect(props['signature']).toEqual({ type: 'keyword', index: false, doc_values: false });
    expect(props['publishedAt']?.type).toBe('date');
    expect(props['author']).toEqual({ type: 'alias', path: 'authors' });
  });
});

describe('names and languages', () => {
  it('stamps index names with the mapping version', () => {
    expect(newIndexName('gazette-articles', new Date('2025-07-26T10:11:12.345Z'))).toBe(
      `gazette-articles-v${INDEX_MAPPING_VERSION}-20250726101112`,
    );
  });

  it('reads the primary language subtag', () => {
    expect(primaryLanguage('pt-BR')).toBe('pt');
    expect(primaryLanguage('EN')).toBe('en');
    expect(primaryLanguage(null)).toBeNull();
    expect(primaryLanguage('??')).toBeNull();
  });
});
