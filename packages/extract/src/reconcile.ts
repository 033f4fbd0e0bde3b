/**
 * Structured data against the DOM: JSON-LD `articleBody` wins only when the DOM body is missing
 * most of it (script-rendered pages, a wrong container); otherwise the DOM, which keeps
 * paragraph breaks and is rarely truncated, is used.
 */
import { collapse } from './dom.ts';

const TOKEN = /[\p{L}\p{N}_]+/gu;

function tokens(s: string): string[] {
  return s.match(TOKEN) ?? [];
}

function coverage(of: string[], by: string[]): number {
  if (!of.length) return 1;
  const bag = new Map<string, number>();
  for (const t of by) bag.set(t, (bag.get(t) ?? 0) + 1);
  let hit = 0;
  for (const t of of) {
    const c = bag.get(t) ?? 0;
    if (c > 0) {
      hit++;
      bag.set(t, c - 1);
    }
  }
  return hit / of.length;
}

function structuredParagraphs(articleBody: string): string[] {
  const text = articleBody
    .replace(/<(br|\/p|\/div|\/h\d|\/li)\b[^>]*>/gi, '\n')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');
  return text.split(/\n+/).map(collapse).filter(Boolean);
}

export function reconcileWithStructuredBody(
  dom: string[],
  articleBody: string | null,
): { paragraphs: string[]; fromStructured: boolean } {
  if (!articleBody) return { paragraphs: dom, fromStructured: false };
  const ld = structuredParagraphs(articleBody);
  const ldTokens = tokens(ld.join(' '));
  if (ldTokens.length < 50) return { paragraphs: dom, fromStructured: false };
  const domTokens = tokens(dom.join(' '));
  const ldCoveredByDom = coverage(ldTokens, domTokens);
  if (domTokens.length < ldTokens.length * 0.5 && ldCoveredByDom < 0.8) {
    return { paragraphs: ld, fromStructured: true };
  }
  return { paragraphs: dom, fromStructured: false };
}
