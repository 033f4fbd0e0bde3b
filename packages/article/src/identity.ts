import { createHash } from 'node:crypto';
import { countReaderWords } from './words.ts';

/** Deterministic document id for a canonical URL: 32 hex digits of its sha256. */
export function articleIdFor(canonicalUrl: string): string {
  return createHash('sha256').update(canonicalUrl).digest('hex').slice(0, 32);
}

/** sha256 of the body text, hex. */
export function contentHashOf(body: string): string {
  return createHash('sha256').update(body).digest('hex');
}

/** Words as a reader counts them: runs of letters or digits, with their apostrophes ("don't"). */
export function countWords(text: string): number {
  return countReaderWords(text);
}
