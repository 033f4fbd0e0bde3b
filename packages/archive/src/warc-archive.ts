import { createHash } from 'node:crypto';
import { mkdir, open, readdir, stat, type FileHandle } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { constants as zlib, gunzipSync, gzip } from 'node:zlib';
import { WARCParser, WARCRecord, WARCSerializer } from 'warcio';
import { ArchiveError, type ArchiveRef, type RawPage } from './raw-page.ts';

export interface WarcArchiveOptions {
  /** Folder holding the WARC files; shared storage when crawlers run on several machines. */
  dir: string;
  /** Distinguishes concurrent writers; each writer appends only to its own files. */
  writerId?: string;
  /** Start a new file once the current one exceeds this size. */
  maxFileBytes?: number;
}

export interface ScanFilter {
  /** Only records fetched at or after this instant. */
  since?: Date;
  /** Only records fetched before this instant. */
  until?: Date;
  /** Only records whose final URL's host is this site (a leading `www.` is ignored). */
  site?: string;
}

interface OpenReader {
  handle: Promise<FileHandle>;
  /** Reads using the handle right now. */
  users: number;
  /** No longer kept open: closed when its last read ends. */
  dropped: boolean;
}

function closeReader(reader: OpenReader): void {
  reader.handle.then((h) => h.close()).catch(() => undefined);
}

interface PendingAppend {
  bytes: Uint8Array;
  resolve: (ref: ArchiveRef) => void;
  reject: (error: Error) => void;
}

const DROPPED_HEADERS = new Set(['content-encoding', 'transfer-encoding', 'content-length', 'set-cookie']);
/** Archive files a reader keeps open at once. */
const MAX_OPEN_READERS = 16;
const FILE_PATTERN = /^gazette-[\w.-]+\.warc\.gz$/;

const gzipAsync = promisify(gzip);
/** Fastest deflate level: pages are compressed once, on the crawler's hot path, and read back rarely. */
const GZIP_LEVEL = zlib.Z_BEST_SPEED;

const sha256 = (...parts: Array<string | Uint8Array>): string => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return `sha256:${hash.digest('hex')}`;
};

const stripWww = (host: string): string => host.replace(/^www\./, '');

/**
 * The raw archive: every fetched response as a WARC/1.1 `response` record, one
 * gzip member per record so any record can be read back alone by offset and
 * length. Each process writes its own files; appends are serialised and
 * flushed to disk (fdatasync) before the reference is handed out, so a
 * reference in a queue always points at durable bytes.
 */
export class WarcArchive {
  readonly dir: string;
  private readonly writerId: string;
  private readonly maxFileBytes: number;
  private current: { name: string; handle: FileHandle; size: number } | undefined;
  private sequence = 0;
  private pending: PendingAppend[] = [];
  private flushing: Promise<void> | undefined;
  private ready: Promise<void> | undefined;
  /** Read handles kept open between reads, most recently used last (archive files are append-only). */
  private readonly readers = new Map<string, OpenReader>();

  constructor(options: WarcArchiveOptions) {
    this.dir = options.dir;
    const rawId = options.writerId ?? `${hostname()}-${process.pid}`;
    this.writerId = rawId.replace(/[^\w.-]/g, '_');
    this.maxFileBytes = options.maxFileBytes ?? 512 * 1024 * 1024;
  }

  /**
   * Appends a page and resolves once its bytes are on disk. Appends that
   * arrive while a flush is under way are written together and share one
   * fdatasync (group commit), so concurrent crawl jobs don't queue behind
   * each other's disk syncs.
   */
  async append(page: RawPage): Promise<ArchiveRef> {
    const bytes = await serialize(page);
    return new Promise<ArchiveRef>((resolve, reject) => {
      this.pending.push({ bytes, resolve, reject });
      this.flushing ??= this.flushLoop().finally(() => {
        this.flushing = undefined;
      });
    });
  }

  private async flushLoop(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, this.pending.length);
      try {
        const refs = await this.writeBatch(batch.map((p) => p.bytes));
        batch.forEach((p, i) => p.resolve(refs[i]!));
      } catch (error) {
        const failure =
          error instanceof ArchiveError
            ? error
            : new ArchiveError('io', 'could not write the archive', { cause: error });
        for (const p of batch) p.reject(failure);
      }
    }
  }

  private async writeBatch(records: Uint8Array[]): Promise<ArchiveRef[]> {
    const refs: ArchiveRef[] = [];
    for (const bytes of records) {
      const file = await this.fileFor(bytes.length);
      const offset = file.size;
      try {
        await file.handle.write(bytes, 0, bytes.length, offset);
      } catch (error) {
        throw new ArchiveError('io', `could not write to ${file.name}`, { cause: error });
      }
      file.size += bytes.length;
      refs.push({ file: file.name, offset, length: bytes.length });
    }
    // A file rotated away mid-batch was flushed before it was closed; the current one is flushed here.
    const file = this.current;
    if (file) {
      try {
        await file.handle.datasync();
      } catch (error) {
        throw new ArchiveError('io', `could not flush ${file.name}`, { cause: error });
      }
    }
    return refs;
  }

  private async fileFor(nextBytes: number): Promise<{ name: string; handle: FileHandle; size: number }> {
    this.ready ??= mkdir(this.dir, { recursive: true }).then(() => undefined);
    await this.ready;
    if (this.current && this.current.size + nextBytes > this.maxFileBytes && this.current.size > 0) {
      await this.current.handle.datasync();
      await this.current.handle.close();
      this.current = undefined;
    }
    if (!this.current) {
      const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
      const name = `gazette-${stamp}-${this.writerId}-${String(this.sequence++).padStart(5, '0')}.warc.gz`;
      const handle = await open(join(this.dir, name), 'a+');
      const { size } = await handle.stat();
      this.current = { name, handle, size };
    }
    return this.current;
  }

  /** Reads one record back. */
  async read(ref: ArchiveRef): Promise<RawPage> {
    if (!FILE_PATTERN.test(ref.file)) throw new ArchiveError('not-found', `not an archive file name: ${ref.file}`);
    const reader = this.reader(ref.file);
    reader.users++;
    let buffer: Buffer;
    try {
      let handle: FileHandle;
      try {
        handle = await reader.handle;
      } catch (error) {
        this.dropReader(ref.file, reader);
        throw new ArchiveError('not-found', `archive file ${ref.file} is missing`, { cause: error });
      }
      buffer = Buffer.alloc(ref.length);
      let bytesRead: number;
      try {
        ({ bytesRead } = await handle.read(buffer, 0, ref.length, ref.offset));
      } catch (error) {
        this.dropReader(ref.file, reader);
        throw new ArchiveError('io', `could not read ${ref.file}`, { cause: error });
      }
      if (bytesRead !== ref.length) throw new ArchiveError('corrupt', `short read in ${ref.file} at ${ref.offset}`);
    } finally {
      reader.users--;
      if (reader.dropped && reader.users === 0) closeReader(reader);
    }
    let raw: Buffer;
    try {
      raw = gunzipSync(buffer);
    } catch (error) {
      throw new ArchiveError('corrupt', `record at ${ref.file}:${ref.offset} is not a gzip member`, { cause: error });
    }
    const record = await WARCParser.parse([raw]);
    if (!record) throw new ArchiveError('corrupt', `no WARC record at ${ref.file}:${ref.offset}`);
    return await toRawPage(record);
  }

  /** The read handle of `file`, from the few kept open (parsers read the same files over and over). */
  private reader(file: string): OpenReader {
    let reader = this.readers.get(file);
    if (reader) {
      this.readers.delete(file);
      this.readers.set(file, reader);
      return reader;
    }
    reader = { handle: open(join(this.dir, file), 'r'), users: 0, dropped: false };
    reader.handle.catch(() => undefined);
    this.readers.set(file, reader);
    for (const [oldest, other] of this.readers) {
      if (this.readers.size <= MAX_OPEN_READERS) break;
      this.dropReader(oldest, other);
    }
    return reader;
  }

  /** Forgets a read handle; it is closed once no read is using it. */
  private dropReader(file: string, reader: OpenReader): void {
    if (this.readers.get(file) === reader) this.readers.delete(file);
    if (reader.dropped) return;
    reader.dropped = true;
    if (reader.users === 0) closeReader(reader);
  }

  /** Every archived response (and rendered DOM) matching the filter, oldest file first. */
  async *scan(filter: ScanFilter = {}): AsyncGenerator<{ ref: ArchiveRef; page: RawPage }> {
    let names: string[];
    try {
      names = (await readdir(this.dir)).filter((n) => FILE_PATTERN.test(n)).sort();
    } catch {
      return;
    }
    const site = filter.site ? stripWww(filter.site.toLowerCase()) : undefined;
    for (const name of names) {
      const path = join(this.dir, name);
      if ((await stat(path)).size === 0) continue;
      const parser = new WARCParser(createReadStream(path));
      for await (const record of parser) {
        // Rendered DOMs come right after the response they were built from: a re-parse needs no browser.
        if (record.warcType !== 'response' && record.warcType !== 'conversion') continue;
        const page = await toRawPage(record);
        const ref = { file: name, offset: parser.offset, length: parser.recordLength };
        const fetched = new Date(page.fetchedAt);
        if (filter.since && fetched < filter.since) continue;
        if (filter.until && fetched >= filter.until) continue;
        if (site && stripWww(new URL(page.finalUrl).hostname) !== site) continue;
        yield { ref, page };
      }
    }
  }

  /** Closes the current file and the read handles; pending appends finish first. */
  async close(): Promise<void> {
    while (this.flushing) await this.flushing;
    for (const [file, reader] of [...this.readers]) this.dropReader(file, reader);
    await this.current?.handle.close();
    this.current = undefined;
  }
}

async function serialize(page: RawPage): Promise<Uint8Array> {
  const httpHeaders: Record<string, string> = {};
  for (const [name, value] of Object.entries(page.headers)) {
    if (!DROPPED_HEADERS.has(name.toLowerCase())) httpHeaders[name] = value;
  }
  const warcHeaders: Record<string, string> = {
    'WARC-Gazette-Requested-URI': page.url,
    'WARC-Gazette-Fetch-Ms': String(Math.round(page.fetchMs)),
  };
  if (page.redirects.length > 0) warcHeaders['WARC-Gazette-Redirects'] = page.redirects.join(' ');
  if (page.rendering) return serializeRendering(page, page.rendering, warcHeaders);
  const record = WARCRecord.create(
    {
      url: page.finalUrl,
      date: page.fetchedAt,
      type: 'response',
      warcVersion: 'WARC/1.1',
      statusline: `HTTP/1.1 ${page.status} ${page.status === 200 ? 'OK' : ''}`.trimEnd(),
      httpHeaders,
      warcHeaders,
    },
    [page.body],
  );
  // Digests as the WARC standard defines them (block = HTTP head + payload), computed natively
  // here so the serializer does not; then one gzip member per record.
  const httpHead = `${record.httpHeaders!.toString()}\r\n`;
  record.warcHeaders.headers.set('WARC-Payload-Digest', sha256(page.body));
  record.warcHeaders.headers.set('WARC-Block-Digest', sha256(httpHead, page.body));
  const raw = await WARCSerializer.serialize(record, { gzip: false });
  return gzipAsync(raw, { level: GZIP_LEVEL });
}

/** A rendered DOM: a `conversion` record (no HTTP head) naming the response record it came from. */
async function serializeRendering(
  page: RawPage,
  rendering: NonNullable<RawPage['rendering']>,
  warcHeaders: Record<string, string>,
): Promise<Uint8Array> {
  const { from } = rendering;
  const record = WARCRecord.create(
    {
      url: page.finalUrl,
      date: page.fetchedAt,
      type: 'conversion',
      warcVersion: 'WARC/1.1',
      warcHeaders: {
        ...warcHeaders,
        'Content-Type': page.headers['content-type'] ?? 'text/html; charset=utf-8',
        'WARC-Gazette-Status': String(page.status),
        'WARC-Gazette-Renderer': rendering.engine,
        'WARC-Gazette-Rendered-From': `${from.file} ${from.offset} ${from.length}`,
      },
    },
    [page.body],
  );
  record.warcHeaders.headers.set('WARC-Payload-Digest', sha256(page.body));
  record.warcHeaders.headers.set('WARC-Block-Digest', sha256(page.body));
  const raw = await WARCSerializer.serialize(record, { gzip: false });
  return gzipAsync(raw, { level: GZIP_LEVEL });
}

function renderingOf(record: WARCRecord): RawPage['rendering'] {
  const [file = '', offset = '', length = ''] = (record.warcHeader('WARC-Gazette-Rendered-From') ?? '').split(' ');
  return {
    from: { file, offset: Number(offset), length: Number(length) },
    engine: record.warcHeader('WARC-Gazette-Renderer') ?? '',
  };
}

async function toRawPage(record: WARCRecord): Promise<RawPage> {
  if (record.warcType === 'conversion') {
    const finalUrl = record.warcTargetURI ?? '';
    return {
      url: record.warcHeader('WARC-Gazette-Requested-URI') ?? finalUrl,
      finalUrl,
      status: Number(record.warcHeader('WARC-Gazette-Status') ?? 200),
      headers: { 'content-type': record.warcContentType ?? 'text/html' },
      body: await record.readFully(false),
      fetchedAt: record.warcDate ?? new Date(0).toISOString(),
      fetchMs: Number(record.warcHeader('WARC-Gazette-Fetch-Ms') ?? 0),
      redirects: [],
      rendering: renderingOf(record),
    };
  }
  const headers: Record<string, string> = {};
  const http = record.httpHeaders;
  if (http) for (const [name, value] of http.headers as Iterable<[string, string]>) headers[name.toLowerCase()] = value;
  const body = await record.readFully(false);
  const redirects = record.warcHeader('WARC-Gazette-Redirects');
  const finalUrl = record.warcTargetURI ?? '';
  return {
    url: record.warcHeader('WARC-Gazette-Requested-URI') ?? finalUrl,
    finalUrl,
    status: Number(http?.statusCode ?? 0),
    headers,
    body,
    fetchedAt: record.warcDate ?? new Date(0).toISOString(),
    fetchMs: Number(record.warcHeader('WARC-Gazette-Fetch-Ms') ?? 0),
    redirects: redirects ? redirects.split(' ') : [],
  };
}
