import { z } from 'zod';
import { articleIdFor, contentHashOf, countWords } from './identity.ts';
import { ARTICLE_SCHEMA_VERSION, articleRecordSchema, relatedLinkSchema, type ArticleRecord } from './record.ts';
import { simhash } from './simhash.ts';

const absoluteUrl = z.url({ protocol: /^https?$/, error: 'must be an http or https URL' });
const isoDate = z.iso.datetime({ offset: true }).transform((s) => new Date(s).toISOString());

/**
 * A record made elsewhere, as `gazette import` takes it: the URL, a title and the body text, and
 * any metadata known. Gazette derives the rest: the id (from the canonical URL), the site, the word
 * count, the content hash and the SimHash. An `id` may be given only if it is the one of its URL.
 */
export const importRecordSchema = z
  .object({
    url: absoluteUrl,
    title: z.string().trim().min(1),
    /** Plain text, paragraphs separated by a blank line. */
    body: z.string().trim().min(1),
    canonicalUrl: absoluteUrl.optional(),
    id: z.string().optional(),
    siteName: z.string().nullable().optional(),
    description: z.string().nullable().optional(),
    authors: z.array(z.string().min(1)).optional(),
    publishedAt: isoDate.nullable().optional(),
    modifiedAt: isoDate.nullable().optional(),
    language: z.string().nullable().optional(),
    section: z.string().nullable().optional(),
    tags: z.array(z.string()).optional(),
    leadImage: absoluteUrl.nullable().optional(),
    relatedLinks: z.array(relatedLinkSchema).optional(),
    outLinks: z.array(absoluteUrl).optional(),
    fetchedAt: isoDate.optional(),
    parserVersion: z.string().min(1).optional(),
  })
  // Gazette's own derived fields of a full record are accepted and recomputed.
  .loose();

export type ImportRecord = z.input<typeof importRecordSchema>;

/** Why an imported record was refused: it is not a valid record, or its id is not its URL's. */
export type ImportRefusal = 'invalid-record' | 'id-mismatch';

export class ImportRecordError extends Error {
  override name = 'ImportRecordError';
  readonly permanent = true;
  constructor(
    readonly reason: ImportRefusal,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The canonical record of an imported one: metadata as given (absent fields empty), ids and hashes
 * derived. Throws an {@link ImportRecordError}: `invalid-record` with the faulty fields, or
 * `id-mismatch` when the given id is not the one of the canonical URL.
 */
export function recordFromImport(input: unknown, now: Date = new Date()): ArticleRecord {
  const parsed = importRecordSchema.safeParse(input);
  if (!parsed.success) {
    throw new ImportRecordError(
      'invalid-record',
      parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '),
    );
  }
  const r = parsed.data;
  const canonicalUrl = r.canonicalUrl ?? r.url;
  const id = articleIdFor(canonicalUrl);
  if (r.id !== undefined && r.id !== id) {
    throw new ImportRecordError(
      'id-mismatch',
      `id ${r.id} does not belong to ${canonicalUrl} (its id is ${id}); leave the id out to have it derived`,
    );
  }
  return articleRecordSchema.parse({
    schemaVersion: ARTICLE_SCHEMA_VERSION,
    id,
    url: r.url,
    canonicalUrl,
    site: new URL(canonicalUrl).hostname.replace(/^www\./, ''),
    siteName: r.siteName ?? null,
    title: r.title,
    description: r.description ?? null,
    authors: r.authors ?? [],
    publishedAt: r.publishedAt ?? null,
    modifiedAt: r.modifiedAt ?? null,
    language: r.language ?? null,
    section: r.section ?? null,
    tags: r.tags ?? [],
    leadImage: r.leadImage ?? null,
    body: r.body,
    wordCount: countWords(r.body),
    relatedLinks: r.relatedLinks ?? [],
    outLinks: r.outLinks ?? [],
    contentHash: contentHashOf(r.body),
    simhash: simhash(r.body),
    fetchedAt: r.fetchedAt ?? now.toISOString(),
    parserVersion: r.parserVersion ?? 'import',
  });
}
