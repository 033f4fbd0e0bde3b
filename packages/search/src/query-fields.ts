/**
 * Which fields a search's query string may name (`title:word`). Query-string syntax can address
 * any field of the index (`_id:*`, `url:*`, `_exists_:signature`); only the fields a reader
 * searches are allowed, everything else is refused with a message naming the field.
 */
export const QUERYABLE_FIELDS: readonly string[] = [
  'title',
  'description',
  'body',
  'site',
  'siteName',
  'author',
  'authors',
  'tag',
  'tags',
  'language',
  'section',
  'publishedAt',
  'modifiedAt',
];

const queryable = new Set(QUERYABLE_FIELDS);

/** Skips a `"phrase"`, `[range]`, `{range}` or `/regex/` starting at `i`; returns the index after it. */
function skipGroup(q: string, i: number, close: string): number {
  let j = i + 1;
  while (j < q.length && q[j] !== close) j += q[j] === '\\' ? 2 : 1;
  return j + 1;
}

const GROUPS: Record<string, string> = { '"': '"', '[': ']', '{': '}', '/': '/' };
const TERM_END = /[\s():"[\]{}]/;

/** The field names a query string addresses (unescaped, as Elasticsearch reads them). */
export function queryStringFields(q: string): string[] {
  const fields: string[] = [];
  let i = 0;
  while (i < q.length) {
    const c = q[i]!;
    const close = GROUPS[c];
    if (close) {
      i = skipGroup(q, i, close);
      continue;
    }
    if (TERM_END.test(c) || c === '+' || c === '-' || c === '!') {
      i++;
      continue;
    }
    let term = '';
    while (i < q.length && !TERM_END.test(q[i]!)) {
      if (q[i] === '\\' && i + 1 < q.length) {
        term += q[i + 1];
        i += 2;
      } else term += q[i++];
    }
    let j = i;
    while (j < q.length && /\s/.test(q[j]!)) j++;
    if (q[j] === ':') {
      fields.push(term);
      i = j + 1;
    }
  }
  return fields;
}

/** Why a query string may not run (a field outside {@link QUERYABLE_FIELDS}), or null. */
export function queryFieldProblem(q: string): string | null {
  const refused = [...new Set(queryStringFields(q).filter((f) => !queryable.has(f)))];
  if (refused.length === 0) return null;
  return `field${refused.length > 1 ? 's' : ''} ${refused.map((f) => JSON.stringify(f)).join(', ')} cannot be searched; use ${QUERYABLE_FIELDS.join(', ')}`;
}
