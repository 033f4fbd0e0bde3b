import { createHash } from 'node:crypto';
import { mkdir, open, readdir, stat, statfs, unlink, type FileHandle } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { constants as zlib, gunzipSync, gzip } from 'node:zlib';
import { WARCParser, WARCRecord, WARCSerializer } from 'warcio';
import { ArchiveError, type ArchiveRef, type RawPage } from './raw-page.ts';
import { readMembers, type SkippedRange } from './member-scan.ts';
import { GroupCommit } from './group-commit.ts';

export interface WarcArchiveOptions {
  /** Folder holding the WARC files; shared storage when crawlers run on several machines. */
  dir: string;
  /** Distinguishes concurrent writers; each writer appends only to its own files. */
  writerId?: string;
  /** Start a new file once the current one exceeds this size. */
  maxFileBytes?: number;
  /** Called for every failed write (a full disk, an I/O error), after the torn tail was cut off. */
  onWriteError?: (error: ArchiveError) => void;
}

interface OpenFile {
  name: string;
  handle: FileHandle;
  /** Bytes of whole, written records: where the next record goes. */
  size: number;
}

/** Error codes of a file system with no room left for the writer. */
const NO_SPACE = new Set(['ENOSPC', 'EDQUOT', 'EFBIG']);

function toArchiveError(error: unknown, message: string): ArchiveError {
  if (error instanceof ArchiveError) return error;
  const code = (error as { code?: string }).code;
  const full = code !== undefined && NO_SPACE.has(code);
  return new ArchiveError(full ? 'full' : 'io', `${message}: ${code ?? String(error)}`, { cause: error });
}

export interface ScanFilter {
  /** Only records fetched at or after this instant. */
  since?: Date;
  /** Only records fetched before this instant. */
  until?: Date;
  /** Only records whose final URL's host is this site (a leading `www.` is ignored). */
  site?: string;
  /** Told about every byte range passed over because it holds no whole record. */
  onSkipped?: (skipped: SkippedRange) => void;
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

const DROPPED_HEADERS = new Set(['content-encoding', 'transfer-encoding', 'content-length', 'set-cookie']);
/** Archive files a reader keeps open at once. */
const MAX_OPEN_READERS = 16;
export const FILE_PATTERN = /^gazette-[\w.-]+\.warc\.gz$/;

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
  private current: OpenFile | undefined;
  private sequence = 0;
  private readonly commits = new GroupCommit({
    write: (records) => this.writeBatch(records),
    toError: (error) => toArchiveError(error, 'could not write the archive'),
    onFailure: (error) => this.noteWriteError(error),
  });
  private ready: Promise<void> | undefined;
  /** Read handles kept open between reads, most recently used last (archive files are append-only). */
  private readonly readers = new Map<string, OpenReader>();
  private readonly writeErrors = { full: 0, io: 0 };
  private lastWriteError: { reason: string; message: string; at: string } | undefined;
  private readonly onWriteError: ((error: ArchiveError) => void) | undefined;

  constructor(options: WarcArchiveOptions) {
    this.dir = options.dir;
    const rawId = options.writerId ?? `${hostname()}-${process.pid}`;
    this.writerId = rawId.replace(/[^\w.-]/g, '_');
    this.maxFileBytes = options.maxFileBytes ?? 512 * 1024 * 1024;
    this.onWriteError = options.onWriteError;
  }

  /**
   * Appends a page and resolves once its bytes are on disk. Appends that
   * arrive while a flush is under way are written together and share one
   * fdatasync (group commit), so concurrent crawl jobs don't queue behind
   * each other's disk syncs.
   */
  async append(page: RawPage): Promise<ArchiveRef> {
    return this.commits.append(await serialize(page));
  }

  private noteWriteError(error: ArchiveError): void {
    this.writeErrors[error.reason === 'full' ? 'full' : 'io']++;
    this.lastWriteError = { reason: error.reason, message: error.message, at: new Date().toISOString() };
    this.onWriteError?.(error);
  }

  /**
   * Writes the records in order and flushes them. A reference is handed out only for a record
   * whose every byte was written and flushed: a failed or short write (a full disk) truncates the
   * file back to the end of the last whole record, so the next record starts where its reference
   * says; the records after it in the batch are not attempted. A failed flush fails the whole
   * batch, and the file is given up (what the page cache held is unknown) for a new one.
   */
  private async writeBatch(records: Uint8Array[]): Promise<{ refs: ArchiveRef[]; failure?: ArchiveError }> {
    const refs: ArchiveRef[] = [];
    let failure: ArchiveError | undefined;
    let file: OpenFile | undefined;
    for (const bytes of records) {
      try {
        file = await this.fileFor(bytes.length);
      } catch (error) {
        failure = toArchiveError(error, 'could not open a new archive file');
        break;
      }
      const offset = file.size;
      let written = 0;
      let writeError: unknown;
      try {
        ({ bytesWritten: written } = await file.handle.write(bytes, 0, bytes.length, offset));
      } catch (error) {
        writeError = error;
      }
      if (writeError === undefined && written === bytes.length) {
        file.size += bytes.length;
        refs.push({ file: file.name, offset, length: bytes.length });
        continue;
      }
      failure =
        writeError === undefined
          ? new ArchiveError(
              'full',
              `short write to ${file.name}: ${written} of ${bytes.length} bytes (no space left?)`,
            )
          : toArchiveError(writeError, `could not write to ${file.name}`);
      await this.dropTornTail(file, offset);
      break;
    }
    // A file rotated away mid-batch was flushed before it was closed; the current one is flushed here.
    const current = this.current;
    if (current && refs.length > 0) {
      try {
        await current.handle.datasync();
      } catch (error) {
        const flushFailure = toArchiveError(error, `could not flush ${current.name}`);
        await this.abandon(current, refs.find((r) => r.file === current.name)?.offset ?? current.size);
        return { refs: refs.filter((r) => r.file !== current.name), failure: flushFailure };
      }
    }
    return failure ? { refs, failure } : { refs };
  }

  /** Cuts a record torn by a failed write off the end of the file; a file that cannot be cut is given up. */
  private async dropTornTail(file: OpenFile, end: number): Promise<void> {
    try {
      await file.handle.truncate(end);
      const { size } = await file.handle.stat();
      if (size !== end) throw new Error(`${file.name} is ${size} bytes after truncating to ${end}`);
      file.size = end;
    } catch {
      await this.abandon(file, end);
    }
  }

  /** Stops writing to `file` (the next record opens a new one), cutting it back to `end` if it can. */
  private async abandon(file: OpenFile, end: number): Promise<void> {
    await file.handle.truncate(end).catch(() => undefined);
    await file.handle.close().catch(() => undefined);
    if (this.current === file) this.current = undefined;
  }

  private async fileFor(nextBytes: number): Promise<OpenFile> {
    this.ready ??= mkdir(this.dir, { recursive: true }).then(() => undefined);
    try {
      await this.ready;
    } catch (error) {
      this.ready = undefined;
      throw error;
    }
    if (this.current && this.current.size + nextBytes > this.maxFileBytes && this.current.size > 0) {
      const full = this.current;
      this.current = undefined;
      await full.handle.datasync();
      await full.handle.close();
    }
    while (!this.current) {
      const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
      const name = `gazette-${stamp}-${this.writerId}-${String(this.sequence++).padStart(5, '0')}.warc.gz`;
      // A new file of its own (never appended to: O_APPEND would ignore the offsets written at).
      try {
        const handle = await open(join(this.dir, name), 'wx');
        this.current = { name, handle, size: 0 };
      } catch (error) {
        if ((error as { code?: string }).code !== 'EEXIST') throw error;
      }
    }
    return this.current;
  }

  /** Bytes free for the writer on the archive's file system (undefined when it cannot be asked). */
  async freeBytes(): Promise<number | undefined> {
    try {
      const fs = await statfs(this.dir);
      return fs.bavail * fs.bsize;
    } catch {
      return undefined;
    }
  }

  /**
   * Whether a record can be written now: writes `bytes` to a probe file of this writer, flushes it
   * and removes it. Throws an {@link ArchiveError} (`full` or `io`) when it cannot.
   */
  async checkWritable(bytes = 128 * 1024): Promise<void> {
    const path = join(this.dir, `.probe-${this.writerId}`);
    let handle: FileHandle | undefined;
    try {
      await mkdir(this.dir, { recursive: true });
      handle = await open(path, 'w');
      const { bytesWritten } = await handle.write(Buffer.alloc(bytes), 0, bytes, 0);
      if (bytesWritten !== bytes)
        throw new ArchiveError('full', `short write to the probe file: ${bytesWritten} of ${bytes}`);
      await handle.datasync();
    } catch (error) {
      throw toArchiveError(error, 'the archive cannot be written');
    } finally {
      await handle?.close().catch(() => undefined);
      await unlink(path).catch(() => undefined);
    }
  }

  /** Failed writes since start, by kind, and the last one. */
  writeErrorStats(): { full: number; io: number; last?: { reason: string; message: string; at: string } } {
    return { ...this.writeErrors, ...(this.lastWriteError ? { last: this.lastWriteError } : {}) };
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

  /**
   * Every archived response (and rendered DOM) matching the filter, oldest file first. A torn record (a write cut
   * short by a full disk or a crash) or any other bytes that are not a whole record are passed over:
   * the scan resynchronises on the next gzip member and reports each skipped range to `onSkipped`.
   */
  async *scan(filter: ScanFilter = {}): AsyncGenerator<{ ref: ArchiveRef; page: RawPage }> {
    let names: string[];
    try {
      names = (await readdir(this.dir)).filter((n) => FILE_PATTERN.test(n)).sort();
    } catch {
      return;
    }
    const onSkipped = filter.onSkipped ?? (() => undefined);
    for (const name of names) {
      const path = join(this.dir, name);
      if ((await stat(path)).size === 0) continue;
      for await (const member of readMembers(path, name, onSkipped)) {
        let record: WARCRecord | null;
        try {
          record = await WARCParser.parse([member.raw]);
        } catch {
          record = null;
        }
        if (!record) {
          onSkipped({ file: name, offset: member.offset, length: member.length, reason: 'not a WARC record' });
          continue;
        }
        const page = await scannedPage(record, filter);
        if (page) yield { ref: { file: name, offset: member.offset, length: member.length }, page };
      }
    }
  }

  /** Closes the current file and the read handles; pending appends finish first. */
  async close(): Promise<void> {
    await this.commits.drain();
    for (const [file, reader] of [...this.readers]) this.dropReader(file, reader);
    await this.current?.handle.close();
    this.current = undefined;
  }
}

/**
 * What a scan yields for one record, in every archive backend: the page of a `response` record, or
 * of a rendered DOM (`conversion`, right after the response it was built from, so a re-parse needs
 * no browser), when the filter keeps it; null otherwise.
 */
export async function scannedPage(record: WARCRecord, filter: ScanFilter): Promise<RawPage | null> {
  if (record.warcType !== 'response' && record.warcType !== 'conversion') return null;
  const page = await toRawPage(record);
  const fetched = new Date(page.fetchedAt);
  if (filter.since && fetched < filter.since) return null;
  if (filter.until && fetched >= filter.until) return null;
  const site = filter.site ? stripWww(filter.site.toLowerCase()) : undefined;
  if (site && stripWww(new URL(page.finalUrl).hostname) !== site) return null;
  return page;
}

/** One page as a gzip member holding a WARC/1.1 `response` record (what every archive backend stores). */
export async function serialize(page: RawPage): Promise<Uint8Array> {
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

/** A parsed WARC `response` (or rendered `conversion`) record back as the page the crawler saw. */
export async function toRawPage(record: WARCRecord): Promise<RawPage> {
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
