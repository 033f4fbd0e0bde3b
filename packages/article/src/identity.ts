import { createHash } from 'node:crypto';

/** Deterministic document id for a canonical URL: 32 hex digits of its sha256. */
export function articleIdFor(canonicalUrl: string): string {
  return createHash('sha256').update(canonicalUrl).digest('hex').slice(0, 32);
}

/** sha256 of the body text, hex. */
export function contentHashOf(body: string): string {
  return createHash('sha256').update(body).digest('hex');
}

/** Words as a reader counts them: runs of letters or digits. */
export function countWords(text: string): number {
  const matches = text.match(/[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu);
  return matches ? matches.length : 0;
}
