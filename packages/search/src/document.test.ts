import { describe, expect, it } from 'vitest';
import {
  chooseDuplicateGroup,
  DUPLICATE_MAX_DISTANCE,
  duplicateCandidatesQuery,
  extractEntities,
  extractTimeReferences,
  ledeText,
  MAX_SIGNATURE_TERMS,
  parseSignature,
  signatureTerms,
  simhashBands,
  textSignature,
  toIndexDocument,
  typedForm,
} from './document.ts';
import { makeRecord } from './test-records.ts';

describe('extractEntities', () => {
  it('keeps names and multi-word names, drops sentence-initial ordinary words, dates and function words', () => {
    const entities = extractEntities(
      'Sixers Hire Maurice Cheeks as Head Coach',
      'Maurice Cheeks was introduced as head coach of the Philadelphia Sixers on Tuesday.\n' +
        'Well, the team said Jim O’Brien would leave. Cheeks thanked the Sixers. Hey there, coach.',
    );
    expect(entities).toEqual(expect.arrayContaining(['maurice cheeks', 'cheeks', 'sixers', "jim o'brien"]));
    expect(entities).not.toContain('well');
    expect(entities).not.toContain('hey');
    expect(entities).not.toContain('tuesday');
    expect(entities).not.toContain('head coach'); // title case headline words are not names
  });

  it('reads a typeset apostrophe as the typed one: one name however the site prints it', () => {
    const typed = extractEntities("Jim O'Brien fired", "Ohio State fired Jim O'Brien. O'Brien's lawyer spoke.");
    const typeset = extractEntities('Jim O’Brien fired', 'Ohio State fired Jim O’Brien. O’Brien’s lawyer spoke.');
    expect(typeset).toEqual(typed);
    expect(typed).toEqual(expect.arrayContaining(["jim o'brien", "o'brien"]));
  });

  it('reads accented Latin names as typed without accents, other scripts as written', () => {
    expect(typedForm('erdoğan')).toBe('erdogan');
    expect(typedForm('são')).toBe('sao');
    expect(typedForm('łódź')).toBe('lodz');
    expect(typedForm('straße')).toBe('strasse');
    expect(typedForm('nguyễn')).toBe('nguyen');
    expect(typedForm('e\u0301lysée')).toBe('elysee');
    expect(typedForm('москва')).toBe('москва');
    expect(typedForm('o’neill')).toBe("o'neill");
    expect(extractEntities('Erdoğan meets Łukasz', 'Recep Tayyip Erdoğan met Łukasz in Zürich.')).toEqual(
      extractEntities('Erdogan meets Lukasz', 'Recep Tayyip Erdogan met Lukasz in Zurich.'),
    );
  });

  it('caps the list', () => {
    const body = Array.from(
      { length: 60 },
      (_, i) => `Visitors met Person${String.fromCharCode(65 + (i % 26))}x${i} here.`,
    ).join(' ');
    expect(extractEntities('t', body, 10)).toHaveLength(10);
  });

  it('splits sentences as a line-break run or whitespace after .!?:;"” does, on random text', () => {
    // Capitalised words, a lone name, joiners and every kind of break, in random order.
    const pool = ['Anna', 'Berlin', 'of', 'the', 'Mr.', 'U.S.', 'said', 'Said', 'Ökonom', 'de', 'La', 'Paz', '2008'];
    const gaps = [' ', '  ', '. ', '.\n', '\n\n', ' \n', '! ', '”  ', '"\t', ': ', ', ', '; ', '.\u00a0', ' - '];
    let x = 7;
    const next = (n: number) => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0), x % n);
    for (let t = 0; t < 200; t++) {
      let body = '';
      for (let w = 0; w < 40; w++) body += pool[next(pool.length)]! + gaps[next(gaps.length)]!;
      const title = pool.slice(next(5), 8).join(' ');
      expect(extractEntities(title, body), body).toEqual(referenceEntities(title, body));
    }
  });
});

/** extractEntities as first written: a regex split into sentences, then each sentence's words. */
function referenceEntities(title: string, body: string, max = 40): string[] {
  const WORD = /[\p{L}\p{N}][\p{L}\p{N}'’.&-]*/gu;
  // The function words among the pool's words.
  const FUNCTION = new Set(['of', 'the', 'mr']);
  // Then read as typed (`typedForm`, tested on its own above).
  const clean = (w: string) =>
    typedForm(
      w
        .replace(/['’]s$/u, '')
        .replace(/[.'’&-]+$/u, '')
        .toLowerCase(),
    );
  const cap = (w: string) => /^\p{Lu}/u.test(w);
  const sentences = (text: string) => text.split(/\n+|(?<=[.!?:;"”])\s+/u);
  const lower = new Set<string>();
  const mid = new Set<string>();
  for (const sentence of sentences(body)) {
    let first = true;
    for (const m of sentence.matchAll(WORD)) {
      if (!cap(m[0])) lower.add(clean(m[0]));
      else if (!first) mid.add(clean(m[0]));
      first = false;
    }
  }
  const isName = (w: string) => w.length > 1 && !FUNCTION.has(w) && !/^\d/.test(w) && !lower.has(w);
  const counts = new Map<string, number>();
  const add = (e: string, n: number) => counts.set(e, (counts.get(e) ?? 0) + n);
  const scan = (text: string, weight: number, titleCase: boolean) => {
    for (const sentence of sentences(text)) {
      let run: string[] = [];
      let atStart = false;
      const flush = () => {
        while (run.length > 0 && !isName(run[0]!)) {
          run.shift();
          atStart = false;
        }
        while (run.length > 0 && !isName(run[run.length - 1]!)) run.pop();
        if (run.length === 1 && (!atStart || mid.has(run[0]!))) add(run[0]!, weight);
        if (run.length > 1) {
          if (!titleCase) add(run.slice(0, 4).join(' '), weight);
          for (const w of run) if (isName(w) && (!titleCase || mid.has(w))) add(w, weight);
        }
        run = [];
      };
      let position = 0;
      for (const m of sentence.matchAll(WORD)) {
        if (cap(m[0])) {
          if (run.length === 0) atStart = position === 0;
          run.push(clean(m[0]));
        } else if (run.length > 0 && (m[0] === 'of' || m[0] === 'de') && run.length < 3) run.push(m[0]);
        else flush();
        position++;
      }
      flush();
    }
  };
  const words = title.match(WORD) ?? [];
  scan(title, 2, words.filter(cap).length > 0.6 * words.length && words.length > 3);
  scan(body, 1, false);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, max)
    .map(([e]) => e);
}

describe('extractTimeReferences', () => {
  it('finds years and calendar days in order of first mention, not amounts or times', () => {
    const refs = extractTimeReferences(
      'Quake on Dec.14 kills 7',
      'Last updated: Monday, 28 November 2005, 02: 24 GMT.\n' +
        'On July 26th, 2008 and on the 3rd of May 2013 it happened again; it cost $2008, 2008.5 tonnes, 1,999 people.\n' +
        'Rates may 5 rise.',
    );
    expect(refs.years).toEqual(['2005', '2008', '2013']);
    expect(refs.dates).toEqual(['12-14', '11-28', '07-26', '05-03']);
  });

  it('finds nothing in a text without them', () => {
    expect(extractTimeReferences('A title', 'Seven people were hurt in 12 villages.')).toEqual({
      years: [],
      dates: [],
    });
  });
});

describe('textSignature', () => {
  it('counts words (title twice) without stop words, possessives or plurals, most frequent first', () => {
    const signature = textSignature(
      'Sixers hire Cheeks',
      "The Sixers' coaches hired Cheeks. Cheeks's parties and classes.",
    );
    expect(signature).toBe('cheek:4 sixer:3 hire:2 coach hired party class');
    expect(parseSignature(signature)).toEqual(
      new Map([
        ['cheek', 4],
        ['sixer', 3],
        ['hire', 2],
        ['coach', 1],
        ['hired', 1],
        ['party', 1],
        ['class', 1],
      ]),
    );
  });

  it('reads a typeset apostrophe as the typed one', () => {
    expect(textSignature('O’Brien’s exit', 'Coach O’Brien didn’t stay.')).toBe("o'brien:3 exit:2 coach didn't stay");
    expect(textSignature('O’Brien’s exit', 'Coach O’Brien didn’t stay.')).toBe(
      textSignature("O'Brien's exit", "Coach O'Brien didn't stay."),
    );
  });

  it('folds accents as the index does', () => {
    expect(textSignature('São Paulo votes', 'Voters in São Paulo.')).toBe(
      textSignature('Sao Paulo votes', 'Voters in Sao Paulo.'),
    );
  });

  it('keeps other languages’ words as written and caps the terms', () => {
    expect(textSignature('Die Häuser', 'Die Häuser stehen.', 'de')).toBe('die:3 häuser:3 stehen');
    const body = Array.from({ length: 300 }, (_, i) => `word${i}`).join(' ');
    expect(parseSignature(textSignature('t', body)).size).toBe(MAX_SIGNATURE_TERMS);
    expect(parseSignature('')).toEqual(new Map());
  });
});

describe('signatureTerms', () => {
  it('gives the words the signature counts, in text order', () => {
    const body = "The Sixers' coaches hired Cheeks. Cheeks's parties and classes.";
    expect(signatureTerms(body)).toEqual(['sixer', 'coach', 'hired', 'cheek', 'cheek', 'party', 'class']);
    const counts = new Map<string, number>();
    for (const t of signatureTerms(body)) counts.set(t, (counts.get(t) ?? 0) + 1);
    expect(counts).toEqual(parseSignature(textSignature('', body)));
    expect(signatureTerms('Die Häuser stehen', 'de')).toEqual(['die', 'häuser', 'stehen']);
  });
});

describe('SimHash bands and distance', () => {
  it('splits into 16 tagged one-digit bands', () => {
    expect(simhashBands('0123456789abcdef')).toEqual([
      '00',
      '11',
      '22',
      '33',
      '44',
      '55',
      '66',
      '77',
      '88',
      '99',
      'aa',
      'bb',
      'cc',
      'dd',
      'ee',
      'ff',
    ]);
  });

  it('asks for the bands any hash within the distance must share', () => {
    const q = duplicateCandidatesQuery('0123456789abcdef');
    expect(q.bool.should).toHaveLength(16);
    expect(q.bool.minimum_should_match).toBe(16 - DUPLICATE_MAX_DISTANCE);
  });
});

describe('chooseDuplicateGroup', () => {
  const base = 'aaaaaaaaaaaaaaaa';
  const near = 'aaaaaaaaaaaaaaab'; // 2 bits away
  const far = '5555555555555555';

  it('is the article itself without close candidates', () => {
    expect(chooseDuplicateGroup({ id: 'x', simhash: base }, [])).toBe('x');
    expect(
      chooseDuplicateGroup({ id: 'x', simhash: base }, [{ id: 'y', simhash: far, dupGroup: 'y', publishedAt: null }]),
    ).toBe('x');
  });

  it('joins the group of a close copy, the earliest published on ties', () => {
    expect(
      chooseDuplicateGroup({ id: 'x', simhash: base }, [
        { id: 'y', simhash: near, dupGroup: 'g2', publishedAt: '2025-01-02T00:00:00Z' },
        { id: 'z', simhash: near, dupGroup: 'g1', publishedAt: '2025-01-01T00:00:00Z' },
      ]),
    ).toBe('g1');
  });

  it('stays the group id when copies already point at it, and ignores itself', () => {
    expect(
      chooseDuplicateGroup({ id: 'x', simhash: base }, [
        { id: 'x', simhash: base, dupGroup: 'other', publishedAt: null },
        { id: 'y', simhash: near, dupGroup: 'x', publishedAt: null },
      ]),
    ).toBe('x');
  });
});

describe('toIndexDocument', () => {
  const record = makeRecord({
    url: 'https://example.org/a',
    title: 'Berlin opens a new airport',
    body: 'Berlin opened Brandenburg Airport on Saturday after years of delays, officials in Berlin said.',
    language: 'de-DE',
  });

  it('adds the derived fields on a current index, with per-language text when the index has the language', () => {
    const doc = toIndexDocument(record, { version: 2, languages: ['de', 'fr'], derivedFields: true }, 'now');
    expect(doc.dupGroup).toBe(record.id);
    expect(doc.duplicate).toBe(false);
    expect(doc.simhashBands).toHaveLength(16);
    expect(doc.entities).toContain('berlin');
    expect(doc.i18n).toEqual({ de: { title: record.title, body: record.body } });
    expect(doc.indexedAt).toBe('now');
    expect(doc.signature).toBeUndefined();
  });

  it('adds years, dates and the text signature on an index that has them', () => {
    const doc = toIndexDocument(
      { ...record, language: 'en', body: `${record.body} It was planned for June 3, 2011.` },
      { version: 3, languages: [], derivedFields: true, eventFields: true },
      'now',
    );
    expect(doc.years).toEqual(['2011']);
    expect(doc.dates).toEqual(['06-03']);
    expect(doc.signature).toMatch(/^berlin:4 airport:3 /);
  });

  it('writes the plain record into an index of an older mapping', () => {
    const doc = toIndexDocument(record, { version: 1, languages: [], derivedFields: false }, 'now');
    expect(Object.keys(doc).sort()).toEqual([...Object.keys(record), 'indexedAt'].sort());
  });

  it('leaves out per-language text for languages the index lacks', () => {
    const doc = toIndexDocument(record, { version: 2, languages: [], derivedFields: true }, 'now');
    expect(doc.i18n).toBeUndefined();
  });
});

describe('ledeText', () => {
  it('takes the first two sentences, past initials and abbreviations', () => {
    const body =
      'The Philadelphia 76ers fired coach Maurice Cheeks on Saturday. Tony DiLeo, the assistant general manager, ' +
      'takes over. Cheeks was 9-14 this season.';
    expect(ledeText(body)).toBe(
      'The Philadelphia 76ers fired coach Maurice Cheeks on Saturday. Tony DiLeo, the assistant general manager, takes over.',
    );
    expect(ledeText('Mr. Smith of the U.S. Navy met Gen. Lee in L. A. on Monday. He left. Later.', 2)).toBe(
      'Mr. Smith of the U.S. Navy met Gen. Lee in L. A. on Monday. He left.',
    );
  });

  it('ends a sentence at a line break and after a closing quote', () => {
    expect(ledeText('May 2, 2013 | 5:03pm\nThe star fooled a judge. Then she left. Again.')).toBe(
      'May 2, 2013 | 5:03pm\nThe star fooled a judge.',
    );
    expect(ledeText('He said “we won.” She agreed! More follows.')).toBe('He said “we won.” She agreed!');
    expect(ledeText('\n\nOne line only')).toBe('\n\nOne line only');
  });

  it('is stored as a signature of the title and lede where the index has the field', () => {
    const record = makeRecord({
      url: 'https://news.example/sixers',
      title: 'Sixers fire Cheeks',
      body: 'The 76ers fired coach Maurice Cheeks. DiLeo takes over. Volcano ash grounded flights.',
    });
    const features = { version: 5, languages: [], derivedFields: true, eventFields: true, ledeField: true };
    const doc = toIndexDocument(record, features, '2024-01-01T00:00:00Z');
    expect(parseSignature(doc.lede)).toEqual(
      new Map([
        ['sixer', 2],
        ['fire', 2],
        ['cheek', 3],
        ['76ers', 1],
        ['fired', 1],
        ['coach', 1],
        ['maurice', 1],
        ['dileo', 1],
        ['take', 1],
      ]),
    );
    expect(toIndexDocument(record, { ...features, ledeField: false }, '2024-01-01T00:00:00Z').lede).toBeUndefined();
  });
});
