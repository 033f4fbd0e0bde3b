import { describe, expect, it } from 'vitest';
import { articleRecordSchema, simhash, type ArticleRecord } from '@gazette/article';
import { extract, ExtractionError, type ExtractInput } from './index.ts';
import { encodeLegacy, fixture } from './test-support.ts';

const FETCHED_AT = '2025-07-26T12:00:00Z';

function article(input: Partial<ExtractInput> & { body: ExtractInput['body'] }): ArticleRecord {
  const result = extract({ url: 'https://news.example/a/story', fetchedAt: FETCHED_AT, ...input });
  if (result.kind !== 'article') throw new Error(`not an article: ${result.reason} ${result.detail}`);
  articleRecordSchema.parse(result.record);
  return result.record;
}

function pick(
  r: ArticleRecord,
): Pick<ArticleRecord, 'title' | 'authors' | 'publishedAt' | 'language' | 'canonicalUrl'> {
  return {
    title: r.title,
    authors: r.authors,
    publishedAt: r.publishedAt,
    language: r.language,
    canonicalUrl: r.canonicalUrl,
  };
}

describe('diplomatic-insight style page (Newspaper theme)', () => {
  const r = article({
    body: fixture('diplomatic-insight.html'),
    url: 'https://diplomatic-insight.example/pakistan-sees-progress-as-kabul-acknowledges-ttp-issue/?utm_source=feed',
  });

  it('keeps every article paragraph and nothing else', () => {
    expect(r.body.startsWith('Islamabad (TDI): Pakistan on Thursday said the Afghan Taliban')).toBe(true);
    expect(r.body).toContain('tactical thaw');
    expect(r.body).toContain('Another diplomatic step was taken last weekend');
    expect(r.body.endsWith('Further details are available in the official transcript.')).toBe(true);
    expect(r.body.split('\n\n')).toHaveLength(10);
    for (const boiler of [
      '35.5',
      'Islamabad\n',
      'Saturday, July 26, 2025',
      'Read More',
      'Advertisement',
      'Associate Editor',
      'Trending Now',
      'Latest News',
      'Related News',
      'File photo',
      'Facebook',
      'TAGS',
      'All rights reserved',
    ]) {
      expect(r.body, boiler).not.toContain(boiler);
    }
  });

  it('moves the inline Read More links to relatedLinks', () => {
    expect(r.relatedLinks).toEqual([
      {
        url: 'https://diplomatic-insight.example/pakistan-afghanistan-reduce-tariffs-on-eight-agricultural-products/',
        text: 'Pakistan, Afghanistan Reduce Tariffs on Eight Agricultural Products',
      },
      {
        url: 'https://diplomatic-insight.example/pakistan-afghanistan-pledge-joint-action-on-terrorism/',
        text: 'Pakistan, Afghanistan Pledge Joint Action on Terrorism and Border Security',
      },
    ]);
    expect(r.outLinks).toContain('https://mofa.example.gov.pk/press-briefing');
    expect(r.outLinks.some((u) => u.includes('/category/'))).toBe(false);
  });

  it('reads the metadata, not the header date widget', () => {
    expect(pick(r)).toEqual({
      title: 'Pakistan Sees Progress as Kabul Acknowledges TTP Issue',
      authors: ['Farkhund Yousafzai'],
      publishedAt: '2025-07-24T16:10:33Z',
      language: 'en-US',
      canonicalUrl: 'https://diplomatic-insight.example/pakistan-sees-progress-as-kabul-acknowledges-ttp-issue/',
    });
    expect(r.modifiedAt).toBe('2025-07-25T04:02:11Z');
    expect(r.siteName).toBe('The Diplomatic Insight');
    expect(r.section).toBe('Pakistan');
    expect(r.site).toBe('diplomatic-insight.example');
    expect(r.leadImage).toBe('https://diplomatic-insight.example/wp-content/uploads/2025/07/fo-briefing.jpg');
    expect(r.fetchedAt).toBe(FETCHED_AT);
  });
});

describe('metadata on publisher-style pages', () => {
  it('WordPress with a Yoast JSON-LD graph and two authors by reference', () => {
    const r = article({ body: fixture('wordpress-yoast.html') });
    expect(pick(r)).toEqual({
      title: 'Council Approves New Cycle Lanes Along the Riverside',
      authors: ['Priya Raman', "Tom O'Neill"],
      publishedAt: '2025-03-14T09:15:00Z',
      language: 'en-GB',
      canonicalUrl: 'https://harbourtown-gazette.example/2025/03/14/council-approves-new-cycle-lanes/',
    });
    expect(r.tags).toEqual(['cycling', 'transport', 'council']);
    expect(r.section).toBe('Local News');
    expect(r.body).toContain('What changes for drivers');
    expect(r.body).toContain('Two new pedestrian crossings will be added near the ferry terminal.');
    expect(r.body).not.toContain('Share this');
    expect(r.body).not.toContain('Bus lane cameras');
    expect(r.body).not.toContain('About time too');
    expect(r.body).not.toContain('Recent Posts');
  });

  it('a JSON-LD-only page', () => {
    const r = article({ body: fixture('jsonld-only.html'), url: 'https://valley-ledger.example/news/storm?ref=home' });
    expect(pick(r)).toEqual({
      title: 'Storm Leaves Thousands Without Power Across the Valley',
      authors: ['Marcus Webb', 'Dana Okafor'],
      publishedAt: '2025-01-08T22:45:00Z',
      language: 'en-US',
      canonicalUrl: 'https://valley-ledger.example/news/storm-power-outages-4471',
    });
    expect(r.siteName).toBe('The Valley Ledger');
    expect(r.leadImage).toBe('https://cdn.valley-ledger.example/img/storm-1200.jpg');
    expect(r.body).not.toContain('Most read');
  });

  it('a page with only meta tags', () => {
    const r = article({ body: fixture('meta-only.html'), url: 'http://www.northfield-post.example/business/bakery' });
    expect(pick(r)).toEqual({
      title: 'Local Bakery Wins National Award',
      authors: ['Jane Doe'],
      publishedAt: '2024-11-02T13:00:00Z',
      language: 'en',
      canonicalUrl: 'http://www.northfield-post.example/business/2024/11/02/local-bakery-wins-national-award',
    });
    expect(r.site).toBe('northfield-post.example');
    expect(r.leadImage).toBe('http://static.northfield-post.example/photos/bakery.jpg');
    expect(r.body).not.toContain('More Business');
  });

  it('a multi-author byline with a localised date and zone', () => {
    const r = article({ body: fixture('multi-author-byline.html') });
    expect(pick(r)).toEqual({
      title: 'Reef survey finds coral recovery slowing',
      authors: ['Alice Smith', 'Bob Jones', 'Carol White'],
      publishedAt: '2025-07-26T05:45:00Z',
      language: 'en-AU',
      canonicalUrl: 'https://coastal-times.example/environment/reef-survey-coral-recovery',
    });
    expect(r.body).not.toContain('environment reporter');
  });

  it('a French windows-1252 page declared by http-equiv', () => {
    const r = article({ body: encodeLegacy(fixture('french-windows-1252.html'), 'windows-1252') });
    expect(pick(r)).toEqual({
      title: 'Grève : la circulation des trains perturbée jeudi en Île-de-France',
      authors: ['Élodie Martin'],
      publishedAt: '2025-02-06T06:30:00Z',
      language: 'fr-FR',
      canonicalUrl: 'https://quotidien-du-val.example/societe/greve-trains-jeudi-ile-de-france',
    });
    expect(r.body).toContain('« Nous demandons l’ouverture de véritables négociations »');
  });

  it('a German ISO-8859-1 page whose charset is only in the header', () => {
    const r = article({
      body: encodeLegacy(fixture('german-latin1.html'), 'iso-8859-1'),
      contentType: 'text/html; charset=ISO-8859-1',
    });
    expect(pick(r)).toEqual({
      title: 'Stadtrat beschließt neues Radverkehrskonzept',
      authors: ['Jürgen Müller', 'Anna Schäfer'],
      publishedAt: '2025-07-26T12:30:00Z',
      language: 'de',
      canonicalUrl: 'https://rheinblick.example/lokales/stadtrat-radverkehrskonzept-12345.html',
    });
    expect(r.body).toContain('Fördermitteln');
  });

  it('a Japanese Shift_JIS page with no declared charset or language', () => {
    const r = article({ body: encodeLegacy(fixture('japanese-shift-jis.html'), 'shift_jis') });
    expect(pick(r)).toEqual({
      title: '市内の図書館、開館時間を延長へ',
      authors: ['山田 太郎'],
      publishedAt: '2025-07-26T06:30:00Z',
      language: 'ja',
      canonicalUrl: 'https://minato-shimbun.example/articles/20250726/library-hours',
    });
    expect(r.body).toContain('仕事帰りの利用者が増えている');
  });

  it('resolves "3 hours ago" against the fetch time', () => {
    const r = article({ body: fixture('relative-date.html'), fetchedAt: '2025-07-26T12:00:00Z' });
    expect(pick(r)).toEqual({
      title: 'Firefighters contain blaze at recycling plant',
      authors: ['Sam Lee'],
      publishedAt: '2025-07-26T09:00:00Z',
      language: 'en',
      canonicalUrl: 'https://metro-wire.example/news/recycling-plant-fire',
    });
    expect(r.body).not.toContain('Share on');
  });

  it('uses feed hints only as fallbacks', () => {
    const html = `<html><body><div><p>${'Plain words in a paragraph that keeps going for a while. '.repeat(12)}</p></div></body></html>`;
    const r = article({ body: html, hints: { title: 'Hinted title', publishedAt: '2025-07-01T08:00:00+02:00' } });
    expect(r.title).toBe('Hinted title');
    expect(r.publishedAt).toBe('2025-07-01T06:00:00Z');
  });
});

describe('record invariants', () => {
  it('fingerprints the body it returns', () => {
    const r = article({ body: fixture('wordpress-yoast.html') });
    expect(r.simhash).toBe(simhash(r.body));
  });

  it('gives the same result for UTF-8 bytes (parsed from the bytes) as for their decoded text', () => {
    const pages = ['diplomatic-insight.html', 'wordpress-yoast.html', 'multi-author-byline.html', 'relative-date.html'];
    for (const name of pages) {
      const text = fixture(name);
      expect(Buffer.from(text).length, `${name} has non-ASCII text`).toBeGreaterThan(text.length);
      const input = {
        url: 'https://news.example/a/story',
        fetchedAt: FETCHED_AT,
        contentType: 'text/html; charset=utf-8',
      };
      expect(extract({ ...input, body: Buffer.from(text, 'utf8') }), name).toEqual(extract({ ...input, body: text }));
    }
  });

  it('gives text in composed form, whichever form the page wrote it in', () => {
    // A page written with "e" + combining accent (as some systems type it) reads like any other.
    const page = fixture('wordpress-yoast.html').replace(
      'shops on the quay',
      'shops in Café São Paulo, Zürich and 서울',
    );
    const decomposed = page.normalize('NFD');
    expect(decomposed).not.toBe(page);
    const input = {
      url: 'https://news.example/a/story',
      fetchedAt: FETCHED_AT,
      contentType: 'text/html; charset=utf-8',
    };
    const fromComposed = article({ ...input, body: Buffer.from(page, 'utf8') });
    const fromDecomposed = article({ ...input, body: Buffer.from(decomposed, 'utf8') });
    expect(fromDecomposed.body).toContain('shops in Café São Paulo, Zürich and 서울');
    expect(fromDecomposed).toEqual(fromComposed);
  });
});

describe('pages that are not articles', () => {
  it('a listing page', () => {
    const items = Array.from(
      { length: 30 },
      (_, i) => `<li><a href="/story-${i}">Headline number ${i} about the news</a></li>`,
    ).join('');
    const r = extract({
      body: `<html><head><title>Latest</title></head><body><ul>${items}</ul></body></html>`,
      url: 'https://n.example/latest',
      fetchedAt: FETCHED_AT,
    });
    expect(r.kind).toBe('not-article');
  });

  it('a script-only page', () => {
    const r = extract({
      body: '<html><head><script>window.app = {}</script></head><body><div id="root"></div><script src="/app.js"></script></body></html>',
      url: 'https://n.example/app',
      fetchedAt: FETCHED_AT,
    });
    expect(r).toMatchObject({ kind: 'not-article', reason: 'empty' });
  });
});

describe('bad input', () => {
  const run = (body: ExtractInput['body'], contentType?: string) =>
    extract({ body, url: 'https://n.example/x', fetchedAt: FETCHED_AT, contentType });

  const reasonOf = (fn: () => unknown): string => {
    try {
      fn();
    } catch (error) {
      expect(error).toBeInstanceOf(ExtractionError);
      expect((error as Error).message.length).toBeGreaterThan(5);
      return (error as ExtractionError).reason;
    }
    return 'no error';
  };

  it('an empty body', () => {
    expect(reasonOf(() => run(new Uint8Array()))).toBe('empty');
    expect(reasonOf(() => run('   \n '))).toBe('empty');
  });

  it('binary content', () => {
    expect(reasonOf(() => run(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])))).toBe(
      'binary',
    );
    const noise = new Uint8Array(5000).map((_, i) => (i * 7919) % 256);
    expect(reasonOf(() => run(noise))).toBe('binary');
  });

  it('non-HTML content types and text without markup', () => {
    expect(reasonOf(() => run('{"a":1}', 'application/json'))).toBe('not-html');
    expect(reasonOf(() => run('just some words, no markup at all'))).toBe('not-html');
  });

  it('a 20 MB page is capped, not refused', () => {
    const para = `<p>${'A sentence of the article, with commas, that repeats. '.repeat(20)}</p>`;
    const big = `<html><body><article>${para.repeat(Math.ceil((20 * 1024 * 1024) / para.length))}</article></body></html>`;
    const r = run(new TextEncoder().encode(big));
    expect(r.kind).toBe('article');
  }, 120_000);

  it('10,000-deep nesting', () => {
    const deep = `<html><body>${'<div>'.repeat(10_000)}<p>${'Deep text in the middle of nowhere, still readable. '.repeat(20)}</p>${'</div>'.repeat(10_000)}</body></html>`;
    const r = run(deep);
    expect(['article', 'not-article']).toContain(r.kind);
  });

  it('unclosed tags', () => {
    const html = `<html><body><div class="story"><p>${'Words without a closing tag, one after another. '.repeat(15)}<p>${'More words in a second unclosed paragraph here. '.repeat(10)}<div><span><b>`;
    const r = run(html);
    expect(r.kind).toBe('article');
  });

  it('a wrong declared charset', () => {
    const html = `<html><head><meta charset="utf-8"></head><body><p>${'Fußgänger überqueren die Straße, schön langsam. '.repeat(10)}</p></body></html>`;
    const r = run(encodeLegacy(html, 'windows-1252'), 'text/html; charset=utf-8');
    expect(r.kind).toBe('article');
    if (r.kind === 'article') expect(r.record.body).toContain('Fußgänger überqueren die Straße');
  });

  it('a bad URL or fetch time', () => {
    expect(reasonOf(() => extract({ body: '<p>x</p>', url: 'not a url', fetchedAt: FETCHED_AT }))).toBe('bad-url');
    expect(reasonOf(() => extract({ body: '<p>x</p>', url: 'https://n.example/', fetchedAt: 'yesterday' }))).toBe(
      'bad-fetched-at',
    );
  });
});
