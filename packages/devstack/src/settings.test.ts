/**
 * docs/settings.md lists every setting: each variable a service's config
 * schema reads must be in its tables, with the schema's default.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { apiConfigSchema } from '../../../services/api/src/config.ts';
import { crawlerConfigSchema } from '../../../services/crawler/src/config.ts';
import { indexerConfigSchema } from '../../../services/indexer/src/config.ts';
import { parserConfigSchema } from '../../../services/parser/src/config.ts';
import { rendererConfigSchema } from '../../../services/renderer/src/config.ts';
import { REPO_ROOT } from './service-process.ts';

/** `| \`NAME\` | default | meaning |` rows of the settings tables: name -> default cell. */
function documented(): Map<string, string> {
  const text = readFileSync(join(REPO_ROOT, 'docs/settings.md'), 'utf8');
  const rows = new Map<string, string>();
  for (const match of text.matchAll(/^\| `([A-Z][A-Z0-9_]*)` \| ([^|]*) \|/gm)) rows.set(match[1]!, match[2]!.trim());
  return rows;
}

function defaultCell(field: z.ZodType): string {
  const value: unknown = field.parse(undefined);
  const text = value === undefined ? '' : String(value);
  return text === '' ? '(empty)' : `\`${text}\``;
}

const schemas: Record<string, z.ZodObject> = {
  api: apiConfigSchema as unknown as z.ZodObject,
  crawler: crawlerConfigSchema,
  indexer: indexerConfigSchema,
  parser: parserConfigSchema,
  renderer: rendererConfigSchema as unknown as z.ZodObject,
};

describe('docs/settings.md', () => {
  const rows = documented();
  for (const [service, schema] of Object.entries(schemas)) {
    it(`lists every ${service} setting with its default`, () => {
      const shape = schema.shape as Record<string, z.ZodType>;
      for (const [name, field] of Object.entries(shape)) {
        expect(rows.has(name), `${name} (${service}) is not in docs/settings.md`).toBe(true);
        expect(rows.get(name), `default of ${name} (${service})`).toBe(defaultCell(field));
      }
    });
  }
});
