import { primaryLanguage } from './mappings.ts';

/** A `language` value that lifts the language restriction of a related lookup. */
export const ANY_LANGUAGE = ['any', '*'] as const;

/**
 * The language filter of a related lookup: the languages asked for; none asked, the source
 * article's own language (its primary subtag, so `pt-BR` also finds `pt-PT`); `any` (or `*`) asked,
 * no restriction. An article with no language is not restricted.
 */
export function relatedLanguages(
  requested: string | string[] | undefined,
  sourceLanguage: string | null | undefined,
): string[] | undefined {
  const asked = requested === undefined ? [] : (Array.isArray(requested) ? requested : [requested]).filter(Boolean);
  if (asked.some((l) => (ANY_LANGUAGE as readonly string[]).includes(l.trim().toLowerCase()))) return undefined;
  if (asked.length) return asked;
  const own = primaryLanguage(sourceLanguage);
  return own ? [own] : undefined;
}
