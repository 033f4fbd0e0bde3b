/** Filters shared by related lookup and search. */
export interface ArticleFilters {
  /** Only these sites (host names as in the record's `site`). */
  site?: string | string[];
  /** Only these languages (BCP 47; `en` also matches `en-GB`). */
  language?: string | string[];
  /** Published at or after (ISO 8601 date or time). */
  since?: string;
  /** Published before or at (ISO 8601 date or time). */
  until?: string;
}

export const list = (v: string | string[] | undefined): string[] =>
  v === undefined ? [] : (Array.isArray(v) ? v : [v]).map((s) => s.trim()).filter(Boolean);

function languageClause(languages: string[]) {
  const exact = languages.flatMap((l) => [l, l.toLowerCase()]);
  return {
    bool: {
      should: [
        { terms: { language: [...new Set(exact)] } },
        ...languages.map((l) => ({ prefix: { language: { value: `${l}-`, case_insensitive: true } } })),
      ],
      minimum_should_match: 1,
    },
  };
}

export function filterClauses(f: ArticleFilters & { author?: string | string[]; tag?: string | string[] }) {
  const clauses: object[] = [];
  const sites = list(f.site);
  if (sites.length) clauses.push({ terms: { site: sites } });
  const languages = list(f.language);
  if (languages.length) clauses.push(languageClause(languages));
  const authors = list(f.author);
  if (authors.length) clauses.push({ terms: { authors } });
  const tags = list(f.tag);
  if (tags.length) clauses.push({ terms: { tags } });
  if (f.since || f.until) {
    clauses.push({
      range: { publishedAt: { ...(f.since ? { gte: f.since } : {}), ...(f.until ? { lte: f.until } : {}) } },
    });
  }
  return clauses;
}
