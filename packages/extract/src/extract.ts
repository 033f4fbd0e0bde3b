import { gunzipSync } from 'node:zlib';
import type { ArticleRecord, NotArticleReason } from '@gazette/article';
import { ARTICLE_SCHEMA_VERSION, articleIdFor, contentHashOf, countWords, simhash } from '@gazette/article/core';
import { extractBody } from './body.ts';
import { articleEvidence, judgeShort } from './brief.ts';
import { readHtml } from './decode.ts';
import { DocIndex } from './doc-index.ts';
import { isText, parseHtml, releaseTree, walk, type AnyNode, type Document } from './dom.ts';
import { sanitize } from './body.ts';
import { ExtractionError } from './errors.ts';
import { resolveLanguage } from './language.ts';
import { absolutise, extractMetadata } from './metadata.ts';
import { classifyPageType } from './page-type.ts';
import { reconcileWithStructuredBody } from './reconcile.ts';

/**
 * Bump whenever the output for the same input changes (1.1.0: SimHash over a non-cryptographic
 * shingle hash; 1.1.1: a date naming a day its month does not have is no date; 1.1.2: text in
 * Unicode's composed form).
 */
export const PARSER_VERSION = '1.1.2';

export interface ExtractInput {
  /** Raw bytes as fetched (or already-decoded text). */
  body: Uint8Array | string;
  /** Final URL of the page. */
  url: string;
  /** Content-Type header value, if any. */
  contentType?: string;
  /** ISO 8601 UTC; relative dates resolve against it. */
  fetchedAt: string;
  /** From feeds/sitemaps; used only as fallbacks. */
  hints?: { title?: string; publishedAt?: string };
}

export type ExtractResult =
  | { kind: 'article'; record: ArticleRecord }
  | {
      kind: 'not-article';
      reason: NotArticleReason;
      detail: string;
      title: string | null;
      canonicalUrl: string | null;
    };

/**
 * Milliseconds spent in each stage of {@link extract}, added to when passed (benchmarks read it):
 * decoding bytes to text, parsing the DOM, metadata, page type and article evidence, the body
 * (sanitising, scoring containers, serialising), language identification, and the record (hashes).
 */
export interface ExtractTimings {
  decode: number;
  parse: number;
  metadata: number;
  pageType: number;
  body: number;
  language: number;
  record: number;
}

export function emptyTimings(): ExtractTimings {
  return { decode: 0, parse: 0, metadata: 0, pageType: 0, body: 0, language: 0, record: 0 };
}

/** A stopwatch that charges the time since its last call to a stage; a no-op without timings. */
function stopwatch(timings: ExtractTimings | undefined): (stage: keyof ExtractTimings) => void {
  if (!timings) return () => {};
  let last = performance.now();
  return (stage) => {
    const now = performance.now();
    timings[stage] += now - last;
    last = now;
  };
}

/** Inputs larger than this are refused outright. */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;
/** Only this much decoded HTML is parsed; the rest is cut (at a tag boundary). */
export const MAX_HTML_CHARS = 5 * 1024 * 1024;
/** An article body keeps at most this many characters (the longest real articles are a tenth of it). */
export const MAX_BODY_CHARS = 500_000;
/** An article body has at least this many words. */
export const MIN_BODY_WORDS = 40;

const BINARY_MAGIC: Array<[number[], string]> = [
  [[0x25, 0x50, 0x44, 0x46], 'PDF'],
  [[0x89, 0x50, 0x4e, 0x47], 'PNG'],
  [[0x47, 0x49, 0x46, 0x38], 'GIF'],
  [[0xff, 0xd8, 0xff], 'JPEG'],
  [[0x50, 0x4b, 0x03, 0x04], 'ZIP'],
  [[0x52, 0x49, 0x46, 0x46], 'RIFF (WebP/WAV/AVI)'],
  [[0x77, 0x4f, 0x46, 0x46], 'WOFF'],
  [[0x77, 0x4f, 0x46, 0x32], 'WOFF2'],
  [[0x4f, 0x67, 0x67, 0x53], 'Ogg'],
  [[0x49, 0x44, 0x33], 'MP3'],
  [[0x42, 0x5a, 0x68], 'bzip2'],
  [[0x37, 0x7a, 0xbc, 0xaf], '7z'],
  [[0x00, 0x00, 0x01, 0x00], 'ICO'],
  [[0x7f, 0x45, 0x4c, 0x46], 'ELF'],
];

const HTML_TYPES =
  /^(text\/html|application\/xhtml\+xml|application\/xml|text\/xml|text\/plain|application\/octet-stream|application\/x-httpd-php|\*\/\*)$/;

function startsWith(bytes: Uint8Array, magic: number[], at = 0): boolean {
  return magic.every((b, i) => bytes[at + i] === b);
}

function sniffBinary(bytes: Uint8Array): string | null {
  // UTF-16 text with its byte-order mark is text, whatever its NUL bytes say (decodeHtml reads the BOM).
  if (startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff])) return null;
  for (const [magic, name] of BINARY_MAGIC) if (startsWith(bytes, magic)) return name;
  if (startsWith(bytes, [0x66, 0x74, 0x79, 0x70], 4)) return 'MP4/ISO media';
  // UTF-16 without a BOM has NULs in every other byte; anything else with many control bytes is binary.
  const n = Math.min(bytes.length, 4096);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i]!;
    if (b === 0 || (b < 9 && b !== 0) || (b > 13 && b < 32 && b !== 27)) control++;
  }
  return n > 0 && control / n > 0.1 ? 'unknown binary' : null;
}

/**
 * The page as text for the parser. For valid UTF-8 bytes (read whole, no NUL, under the text cap,
 * with markup near the start), the text is the bytes read one character each (Latin-1) and `bytes`
 * holds them: the tree builder then decodes only the runs that hold non-ASCII bytes, which is
 * cheaper than decoding the whole page and gives the same tree (see `parseBounded`).
 */
interface PageText {
  html: string;
  bytes: Buffer | null;
}

const MARKUP = /<[a-zA-Z!?/]/;
/** How far into the page markup must start (characters, or bytes when read from bytes). */
const MARKUP_WITHIN = 65536;

function toText(input: ExtractInput): PageText {
  const mime = input.contentType?.split(';')[0]?.trim().toLowerCase();
  if (mime && !HTML_TYPES.test(mime)) {
    throw new ExtractionError('not-html', `content type ${mime} is not HTML`);
  }
  if (typeof input.body === 'string') {
    if (input.body.length > MAX_INPUT_BYTES) {
      throw new ExtractionError('too-large', `page is ${input.body.length} characters, over ${MAX_INPUT_BYTES}`);
    }
    return { html: withoutNul(input.body), bytes: null };
  }
  let bytes = input.body;
  if (bytes.length > MAX_INPUT_BYTES) {
    throw new ExtractionError('too-large', `page is ${bytes.length} bytes, over ${MAX_INPUT_BYTES}`);
  }
  if (startsWith(bytes, [0x1f, 0x8b])) {
    try {
      bytes = gunzipSync(bytes, { maxOutputLength: MAX_INPUT_BYTES });
    } catch (error) {
      throw new ExtractionError('binary', `gzip body could not be inflated: ${(error as Error).message}`);
    }
  }
  const binary = sniffBinary(bytes);
  if (binary) throw new ExtractionError('binary', `body is binary (${binary}), not HTML`);
  // Decode no more than a little over the text cap: UTF-8 needs at most 4 bytes a character.
  const slice = bytes.length > MAX_HTML_CHARS * 2 ? bytes.subarray(0, MAX_HTML_CHARS * 2) : bytes;
  const page = readHtml(slice, input.contentType);
  // No decoder makes U+0000 out of anything but zero bytes, and searching bytes is far cheaper than
  // searching the decoded (usually two-byte) string.
  const nul = slice.indexOf(0) !== -1;
  if (page.wholeValidUtf8 && !nul && slice.length <= MAX_HTML_CHARS) {
    const buffer = Buffer.from(slice.buffer, slice.byteOffset, slice.byteLength);
    const latin1 = buffer.toString('latin1');
    // Markup found this early in the bytes is at least as early in the characters: the checks in
    // `extract` pass on either reading. Without it, the page is decoded and checked as text.
    if (MARKUP.test(latin1.slice(0, MARKUP_WITHIN))) return { html: latin1, bytes: buffer };
  }
  const text = page.text();
  return { html: nul ? withoutNul(text) : text, bytes: null };
}

/** NUL characters are dropped, as an HTML parser does in text: they never reach a title or body. */
function withoutNul(text: string): string {
  return text.includes('\0') ? text.replaceAll('\0', '') : text;
}

/**
 * Characters whose presence means the text may not be in Unicode's composed form (NFC): the
 * combining accents of Latin, Greek and Cyrillic letters, Hangul conjoining jamo, and the
 * singletons with another canonical form (Ohm, Kelvin and Ångström signs, CJK compatibility
 * ideographs). Marks that belong to a script's own spelling (Devanagari, Arabic, Thai, ...) are
 * left to the page: scanning for every mark costs several times as much on every page.
 */
const MAY_DECOMPOSE = /[\u0300-\u036f\u1100-\u11ff\u2126\u212a\u212b\uf900-\ufaff]/;

/**
 * Text in Unicode's composed form, as nearly every page already is: a page typed on a system that
 * writes "é" as "e" + a combining accent reads like any other in search, near-duplicate grouping and
 * the content hash.
 */
function composed(text: string): string {
  return MAY_DECOMPOSE.test(text) ? text.normalize('NFC') : text;
}

/** Paragraphs up to {@link MAX_BODY_CHARS}: whole ones, then the start of the next one, cut at a space. */
function capParagraphs(paragraphs: string[]): string[] {
  let size = 0;
  for (let i = 0; i < paragraphs.length; i++) {
    const p = paragraphs[i]!;
    if (size + p.length <= MAX_BODY_CHARS) {
      size += p.length + 2;
      continue;
    }
    const room = MAX_BODY_CHARS - size;
    const cut = p.lastIndexOf(' ', room);
    const head = room > 0 ? p.slice(0, cut > room * 0.8 ? cut : room) : '';
    return [...paragraphs.slice(0, i), ...(head ? [head] : [])];
  }
  return paragraphs;
}

function capText(html: string): string {
  if (html.length <= MAX_HTML_CHARS) return html;
  const cut = html.lastIndexOf('<', MAX_HTML_CHARS);
  return html.slice(0, cut > MAX_HTML_CHARS * 0.9 ? cut : MAX_HTML_CHARS);
}

function dedupeUrls(urls: Array<string | null>): string[] {
  return [...new Set(urls.filter((u): u is string => !!u))];
}

/** Turns a fetched page into an article record, or says why it is not one. Synchronous and pure. */
export function extract(input: ExtractInput, timings?: ExtractTimings): ExtractResult {
  const lap = stopwatch(timings);
  let pageUrl: URL;
  try {
    pageUrl = new URL(input.url);
  } catch {
    throw new ExtractionError('bad-url', `url ${JSON.stringify(input.url)} is not an absolute URL`);
  }
  if (pageUrl.protocol !== 'http:' && pageUrl.protocol !== 'https:') {
    throw new ExtractionError('bad-url', `url ${input.url} is not http(s)`);
  }
  const now = Date.parse(input.fetchedAt);
  if (!Number.isFinite(now)) throw new ExtractionError('bad-fetched-at', `fetchedAt ${input.fetchedAt} is not a date`);
  const fetchedAt = new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z');

  const { html: raw, bytes } = toText(input);
  if (!raw.trim()) throw new ExtractionError('empty', 'body is empty');
  const html = capText(raw);
  if (!MARKUP.test(html.slice(0, MARKUP_WITHIN))) {
    throw new ExtractionError('not-html', 'body has no markup: not an HTML page');
  }

  lap('decode');
  const doc = parseHtml(html, bytes);
  lap('parse');
  try {
    return fromDocument(doc, { input, pageUrl, now, fetchedAt, lap });
  } finally {
    releaseTree(doc);
  }
}

interface PageContext {
  input: ExtractInput;
  pageUrl: URL;
  /** `fetchedAt` in milliseconds, the clock relative dates resolve against. */
  now: number;
  /** `fetchedAt` normalised to whole seconds. */
  fetchedAt: string;
  lap: (stage: keyof ExtractTimings) => void;
}

/** `extract()` once the page is parsed. */
function fromDocument(doc: Document, { input, pageUrl, now, fetchedAt, lap }: PageContext): ExtractResult {
  // One walk indexes the untouched document for metadata, page type and article evidence.
  const index = new DocIndex(doc);
  const meta = extractMetadata(index, { url: pageUrl.href, now, hints: input.hints });
  const canonicalUrl = meta.canonicalUrl ?? pageUrl.href;
  lap('metadata');
  // Listings, static pages and error pages are told apart by their structure and metadata, whatever
  // their word count: an archive's last page may hold one long excerpt, an About page real prose.
  const pageType = classifyPageType(index, canonicalUrl);
  if (pageType) {
    const reason: NotArticleReason = pageType.type === 'listing' ? 'listing-page' : pageType.type;
    return {
      kind: 'not-article',
      reason,
      detail: `page type ${pageType.type} (${pageType.reason})`,
      title: meta.title,
      canonicalUrl,
    };
  }
  const evidence = articleEvidence(index, meta);
  lap('pageType');
  sanitize(doc);
  const dom = extractBody(doc, meta.title, meta.authors);
  const chosen = reconcileWithStructuredBody(dom.paragraphs, meta.articleBody);
  let paragraphs = capParagraphs(chosen.paragraphs).map(composed);
  let body = paragraphs.join('\n\n');
  let words = countWords(body);
  // Chinese and Japanese are written without spaces: count two characters as a word.
  const cjk = body.match(/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/gu)?.length ?? 0;
  const size = words + cjk / 2;
  // Short news is news: a brief or a flash on a page that presents itself as an article.
  const short =
    size < MIN_BODY_WORDS ? judgeShort(evidence, paragraphs, chosen.fromStructured ? 0 : dom.linkDensity) : null;
  if (short?.accept) {
    paragraphs = short.body.map(composed);
    body = paragraphs.join('\n\n');
    words = countWords(body);
  }

  if (size >= MIN_BODY_WORDS && dom.linkDensity > 0.5 && !chosen.fromStructured) {
    return {
      kind: 'not-article',
      reason: 'listing-page',
      detail: `the best candidate is mostly links (${Math.round(dom.linkDensity * 100)}% of its text)`,
      title: meta.title,
      canonicalUrl,
    };
  }
  if (short && !short.accept) {
    const reason: NotArticleReason = !hasVisibleText(doc) ? 'empty' : words === 0 ? 'no-article-body' : 'too-short';
    const detail =
      reason === 'empty'
        ? 'the page has no visible text'
        : reason === 'no-article-body'
          ? 'no block of the page reads as an article body'
          : `the best article candidate has ${words} words, fewer than ${MIN_BODY_WORDS}, and is not a brief: ${short.why}`;
    return { kind: 'not-article', reason, detail, title: meta.title, canonicalUrl };
  }

  lap('body');
  const language = resolveLanguage(meta.language, body);
  lap('language');
  const title = composed(meta.title || input.hints?.title?.trim() || body.slice(0, 120).split(/(?<=[.!?])\s/)[0]!);
  const site = new URL(canonicalUrl).hostname.replace(/^www\./, '');
  const relatedLinks = chosen.fromStructured ? [] : dom.relatedLinks;
  const record: ArticleRecord = {
    schemaVersion: ARTICLE_SCHEMA_VERSION,
    id: articleIdFor(canonicalUrl),
    url: pageUrl.href,
    canonicalUrl,
    site,
    siteName: meta.siteName && composed(meta.siteName),
    title,
    description: meta.description && composed(meta.description),
    authors: meta.authors.map(composed),
    publishedAt: meta.publishedAt,
    modifiedAt: meta.modifiedAt,
    language,
    section: meta.section && composed(meta.section),
    tags: meta.tags.map(composed),
    leadImage: meta.leadImage,
    body,
    wordCount: words,
    relatedLinks: dedupeRelated(relatedLinks, pageUrl.href),
    outLinks: dedupeUrls(dom.links.map((h) => absolutise(h, pageUrl.href))),
    contentHash: contentHashOf(body),
    simhash: simhash(body),
    fetchedAt,
    parserVersion: PARSER_VERSION,
  };
  lap('record');
  return { kind: 'article', record };
}

/** Whether any text node holds more than whitespace (without building the page's whole text). */
function hasVisibleText(root: AnyNode): boolean {
  let found = false;
  walk(root, (n) => {
    if (found) return false;
    if (isText(n) && VISIBLE.test(n.data)) found = true;
  });
  return found;
}

const VISIBLE = /[^\s\u200b\ufeff]/;

function dedupeRelated(links: Array<{ href: string; text: string }>, base: string): ArticleRecord['relatedLinks'] {
  const seen = new Set<string>();
  const out: ArticleRecord['relatedLinks'] = [];
  for (const l of links) {
    const url = absolutise(l.href, base);
    if (!url || seen.has(url)) continue;
    seen.add(url);
    out.push({ url, text: l.text });
  }
  return out;
}
