import { describe, expect, it } from 'vitest';
import { decodeHtml, detectCharset, readHtml } from './decode.ts';
import { encodeLegacy } from './test-support.ts';

const page = (head: string, body: string): string =>
  `<!doctype html><html><head>${head}<title>t</title></head><body><p>${body}</p></body></html>`;

describe('decodeHtml', () => {
  it('honours a UTF-8 byte-order mark over everything else', () => {
    const bytes = new Uint8Array([
      0xef,
      0xbb,
      0xbf,
      ...new TextEncoder().encode(page('<meta charset="windows-1252">', 'café')),
    ]);
    const r = decodeHtml(bytes, 'text/html; charset=iso-8859-1');
    expect(r).toMatchObject({ charset: 'utf-8', source: 'bom' });
    expect(r.text).toContain('café');
  });

  it('decodes UTF-16 with a BOM', () => {
    const text = page('', 'naïve');
    const bytes = new Uint8Array(2 + text.length * 2);
    bytes[0] = 0xff;
    bytes[1] = 0xfe;
    for (let i = 0; i < text.length; i++) bytes[2 + i * 2] = text.charCodeAt(i);
    expect(decodeHtml(bytes)).toMatchObject({ charset: 'utf-16le', source: 'bom' });
    expect(decodeHtml(bytes).text).toContain('naïve');
  });

  it('prefers the Content-Type header over <meta charset>', () => {
    const bytes = encodeLegacy(page('<meta charset="shift_jis">', 'Größe'), 'iso-8859-1');
    const r = decodeHtml(bytes, 'text/html; charset=ISO-8859-1');
    expect(r.source).toBe('header');
    expect(r.text).toContain('Größe');
  });

  it('reads <meta charset> and <meta http-equiv>', () => {
    const a = decodeHtml(encodeLegacy(page('<meta charset="windows-1252">', 'déjà vu – “quoted”'), 'windows-1252'));
    expect(a).toMatchObject({ charset: 'windows-1252', source: 'meta' });
    expect(a.text).toContain('déjà vu – “quoted”');
    const b = decodeHtml(
      encodeLegacy(
        page('<meta http-equiv="Content-Type" content="text/html; charset=koi8-r">', 'Привет, мир'),
        'koi8-r',
      ),
    );
    expect(b).toMatchObject({ charset: 'koi8-r', source: 'meta' });
    expect(b.text).toContain('Привет, мир');
  });

  it('ignores an unknown declared label and looks further', () => {
    const r = decodeHtml(
      new TextEncoder().encode(page('<meta charset="utf-8">', 'ok')),
      'text/html; charset=x-nonsense',
    );
    expect(r).toMatchObject({ charset: 'utf-8', source: 'meta' });
  });

  it('detects the encoding when none is declared', () => {
    const cases: Array<[string, string]> = [
      ['shift_jis', '市内の図書館は来月から開館時間を延長すると発表した。利用者からは喜びの声が上がっている。'],
      ['euc-kr', '서울시는 다음 달부터 도서관 운영 시간을 연장한다고 밝혔다. 시민들의 반응은 긍정적이다.'],
      ['gb18030', '市政府宣布从下个月开始延长图书馆的开放时间，市民对此表示欢迎。这是一项重要的便民措施。'],
      ['koi8-r', 'Городской совет принял новый план развития велосипедных дорожек в центре города.'],
      ['windows-1251', 'Городской совет принял новый план развития велосипедных дорожек в центре города.'],
      ['windows-1252', 'Le conseil municipal a approuvé un nouveau plan pour les pistes cyclables à côté du marché.'],
    ];
    for (const [charset, text] of cases) {
      const r = decodeHtml(encodeLegacy(page('', text), charset));
      expect(r.source).toBe('detected');
      expect(r.text, charset).toContain(text);
      expect(detectCharset(encodeLegacy(text, charset))).toBe(charset);
    }
  });

  it('detects ISO-8859-2 text', () => {
    const text =
      'Rada miasta przyjęła nowy plan ścieżek rowerowych. Źródła podają, że budowa ruszy wiosną, łącznie z mostem.';
    expect(detectCharset(encodeLegacy(text, 'iso-8859-2'))).toBe('iso-8859-2');
  });

  it('recovers from a wrong UTF-8 declaration', () => {
    const bytes = encodeLegacy(page('<meta charset="utf-8">', 'Straße über die Brücke, schön'), 'windows-1252');
    const r = decodeHtml(bytes, 'text/html; charset=utf-8');
    expect(r.source).toBe('detected');
    expect(r.text).toContain('Straße über die Brücke, schön');
  });

  it('treats a legacy declaration on valid multi-byte UTF-8 as UTF-8', () => {
    const bytes = new TextEncoder().encode(page('<meta charset="iso-8859-1">', 'Café “crème”'));
    const r = decodeHtml(bytes);
    expect(r).toMatchObject({ charset: 'utf-8', source: 'detected' });
    expect(r.text).toContain('Café “crème”');
  });

  it('defaults to UTF-8 for pure ASCII', () => {
    expect(decodeHtml(new TextEncoder().encode(page('', 'plain')))).toMatchObject({
      charset: 'utf-8',
      source: 'default',
    });
  });
});

describe('readHtml', () => {
  const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
  const cases: Array<[string, Uint8Array, string | undefined, boolean]> = [
    ['declared UTF-8 in the header', utf8(page('', 'Café “crème”')), 'text/html; charset=utf-8', true],
    ['declared UTF-8 in a meta', utf8(page('<meta charset="utf-8">', 'Café')), undefined, true],
    ['pure ASCII, undeclared', utf8(page('', 'plain')), undefined, true],
    ['a legacy declaration on valid UTF-8', utf8(page('<meta charset="iso-8859-1">', 'Café “crème”')), undefined, true],
    ['undeclared valid UTF-8', utf8(page('', 'Café “crème”')), undefined, true],
    ['a UTF-8 byte-order mark', new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(page('', 'café'))]), undefined, false],
    [
      'a byte that is not UTF-8 after valid text',
      new Uint8Array([...utf8(page('', 'Café')), 0xff]),
      'text/html; charset=utf-8',
      false,
    ],
    ['windows-1252', encodeLegacy(page('<meta charset="windows-1252">', 'déjà vu'), 'windows-1252'), undefined, false],
    ['Shift_JIS', encodeLegacy(page('<meta charset="shift_jis">', '日本語の記事'), 'shift_jis'), undefined, false],
  ];
  it.each(cases)(
    'says whether the text is the bytes read whole as valid UTF-8: %s',
    (_name, bytes, contentType, whole) => {
      const reading = readHtml(bytes, contentType);
      expect(reading.wholeValidUtf8).toBe(whole);
      expect({ text: reading.text(), charset: reading.charset, source: reading.source }).toEqual(
        decodeHtml(bytes, contentType),
      );
      if (whole) expect(reading.text()).toBe(Buffer.from(bytes).toString('utf8'));
    },
  );
});
