import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { RedisConnection } from '@gazette/jobs';
import { ImportRecordError, recordFromImport, type ArticleRecord } from '@gazette/article';
import { importJobId, runKey, type Producer } from '@gazette/jobs';
import { Cursor, type ProgressListener } from './cursor.ts';

export interface ImportOptions {
  file: string;
  index: Producer<'index'>;
  redis: RedisConnection;
  prefix: string;
  signal?: AbortSignal;
  onProgress?: ProgressListener;
  /** Invalid lines reported at most (all are counted). */
  maxErrors?: number;
}

export interface ImportResult {
  lines: number;
  queued: number;
  invalid: number;
  /** Refused lines: `not-json`, `invalid-record` (the faulty fields) or `id-mismatch`. */
  errors: Array<{ line: number; reason: string; detail: string }>;
  resumedFrom: number;
  interrupted: boolean;
}

/**
 * Imports records made elsewhere, one JSON object per line: the URL, title and
 * body, and any metadata known (a full canonical record works too); ids and
 * hashes are derived ({@link recordFromImport}), and a line whose id is not its
 * URL's is refused (`id-mismatch`). Each record is queued on the index queue, so the
 * indexer writes it exactly as it writes a parsed page. The job id is the
 * parser's (record id, content hash, parser version): importing a file twice
 * does not index anything twice. The line reached is kept in Redis, so an
 * interrupted import resumes after the last queued line.
 */
export async function importJsonl(options: ImportOptions): Promise<ImportResult> {
  const path = resolve(options.file);
  const info = await stat(path);
  const fileKey = runKey(`${path}:${info.size}:${info.mtimeMs}`);
  const cursor = new Cursor<{ line: number }>(options.redis, `${options.prefix}:cursor:import:${fileKey}`);
  const resumeAfter = (await cursor.load())?.line ?? 0;
  const result: ImportResult = {
    lines: 0,
    queued: 0,
    invalid: 0,
    errors: [],
    resumedFrom: resumeAfter,
    interrupted: false,
  };
  const maxErrors = options.maxErrors ?? 100;
  let batch: Array<{ payload: { record: unknown }; options: { jobId: string } }> = [];
  let bytes = 0;

  const flush = async () => {
    if (batch.length > 0) {
      await options.index.addBulk(batch as Parameters<Producer<'index'>['addBulk']>[0]);
      result.queued += batch.length;
      batch = [];
    }
    await cursor.save({ line: result.lines });
    options.onProgress?.({ done: bytes, total: info.size, phase: 'importing' });
  };

  const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  for await (const text of lines) {
    if (options.signal?.aborted) {
      result.interrupted = true;
      break;
    }
    result.lines++;
    bytes += Buffer.byteLength(text) + 1;
    if (result.lines <= resumeAfter || text.trim() === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      result.invalid++;
      if (result.errors.length < maxErrors) {
        result.errors.push({ line: result.lines, reason: 'not-json', detail: `not JSON: ${(error as Error).message}` });
      }
      continue;
    }
    let record: ArticleRecord;
    try {
      record = recordFromImport(json);
    } catch (error) {
      if (!(error instanceof ImportRecordError)) throw error;
      result.invalid++;
      if (result.errors.length < maxErrors) {
        result.errors.push({ line: result.lines, reason: error.reason, detail: error.message });
      }
      continue;
    }
    batch.push({
      payload: { record },
      options: { jobId: importJobId(record) },
    });
    if (batch.length >= 500) await flush();
  }
  lines.close();
  await flush();
  if (!result.interrupted) await cursor.clear();
  return result;
}
