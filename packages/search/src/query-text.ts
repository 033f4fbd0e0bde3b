import { QUERYABLE_FIELDS } from './query-fields.ts';

/*
 * What a reader types into a search box, made into a query string Elasticsearch reads the way the
 * reader meant it. Gazette's query syntax is words, "phrases", field:value, OR, -exclusion and
 * trailing wildcards; text that only looks like more syntax is kept as text.
 */

const queryable = new Set(QUERYABLE_FIELDS);
const SPACE = /\s/;
/** Characters that end a term before a `:` (whitespace, grouping, the prefix operators). */
const TERM_START = /[\s()+\-!]/;
/** Quotation marks other than `"` that readers use around a phrase. */
const QUOTATION_MARKS = new Set(['\u201c', '\u201d', '\u201e', '\u00ab', '\u00bb']);

/**
 * The query string as Elasticsearch gets it. Outside "phrases":
 * - a `/` is a slash (`24/7`, `AC/DC`), not the start of a regular expression: regular
 *   expressions are not part of Gazette's syntax, and over the body of every article they are the
 *   costliest query a reader could send;
 * - a `:` followed by a space after a word that is not a searchable field (`Brexit: what next`,
 *   headlines pasted whole) is punctuation, and so is the `:` of a URL (`https://...`) and one
 *   after a number (`10:30`, `3:1`).
 *
 * Typographic quotation marks (`“…”`, `„…“`, `«…»`, what a phrase copied from an article or typed on
 * a phone carries) mark a phrase as `"` does.
 *
 * `field:value` with a field outside the searchable ones still reaches the field check
 * ({@link queryFieldProblem}) and is refused there.
 */
export function queryStringOf(q: string): string {
  let out = '';
  let inPhrase = false;
  let termStart = 0;
  for (let i = 0; i < q.length; i++) {
    const c = QUOTATION_MARKS.has(q[i]!) ? '"' : q[i]!;
    if (c === '\\') {
      out += q.slice(i, i + 2);
      i++;
      continue;
    }
    if (c === '"') inPhrase = !inPhrase;
    if (inPhrase) {
      out += c;
      continue;
    }
    if (TERM_START.test(c)) termStart = out.length + 1;
    if (c === '/') out += '\\/';
    else if (c === ':' && isPunctuation(q, i, out.slice(termStart))) out += '\\:';
    else out += c;
  }
  return out;
}

/** Whether the `:` at `at`, after the term `term`, is punctuation rather than field syntax. */
function isPunctuation(q: string, at: number, term: string): boolean {
  const next = q[at + 1];
  // A URL's scheme, and numbers: times (10:30), scores (3:1), verses (3:16); no field is a number.
  if (q.startsWith('//', at + 1) || /^\d+$/.test(term)) return true;
  return (next === undefined || SPACE.test(next)) && !queryable.has(term);
}

/**
 * `q` as plain words, for a query Elasticsearch could not read (`wind!`, `[draft`, a lone `OR`):
 * every character with a meaning in query-string syntax escaped (`<` and `>` cannot be, so they
 * become spaces) and the operators AND, OR and NOT lower-cased into words. The result always parses.
 */
export function plainWords(q: string): string {
  return q
    .replace(/[<>]/g, ' ')
    .replace(/[\\+\-=&|!(){}[\]^"~*?:/]/g, (c) => `\\${c}`)
    .replace(/\b(AND|OR|NOT)\b/g, (word) => word.toLowerCase());
}
