import { open } from 'node:fs/promises';
import { inflateRawSync } from 'node:zlib';

/** A byte range of an archive file that holds no whole record (a torn write, garbage) and was passed over. */
export interface SkippedRange {
  file: string;
  offset: number;
  length: number;
  /** Why the bytes at `offset` are not a record. */
  reason: string;
}

/** One whole gzip member of an archive file, decompressed. */
export interface ArchiveMember {
  offset: number;
  length: number;
  raw: Buffer;
}

/** First read of a member; doubled while a member needs more, up to {@link MAX_MEMBER_BYTES}. */
const FIRST_WINDOW = 1024 * 1024;
/** Largest compressed record looked for (bodies are capped at a few MB). */
const MAX_MEMBER_BYTES = 256 * 1024 * 1024;
const GZIP_MAGIC = [0x1f, 0x8b, 0x08] as const;
const FHCRC = 0x02;
const FEXTRA = 0x04;
const FNAME = 0x08;
const FCOMMENT = 0x10;

type Decoded = { ok: true; length: number; raw: Buffer } | { ok: false; truncated: boolean; reason: string };

/** Length of a gzip header at `at`, or undefined when the bytes there are not one (or it is cut short). */
function headerLength(buf: Buffer, at: number): number | undefined {
  if (buf[at] !== GZIP_MAGIC[0] || buf[at + 1] !== GZIP_MAGIC[1] || buf[at + 2] !== GZIP_MAGIC[2]) return undefined;
  const flags = buf[at + 3];
  if (flags === undefined || flags & 0xe0) return undefined;
  let pos = at + 10;
  if (flags & FEXTRA) {
    if (pos + 2 > buf.length) return undefined;
    pos += 2 + buf.readUInt16LE(pos);
  }
  for (const flag of [FNAME, FCOMMENT]) {
    if (flags & flag) {
      const end = buf.indexOf(0, pos);
      if (end < 0) return undefined;
      pos = end + 1;
    }
  }
  if (flags & FHCRC) pos += 2;
  return pos <= buf.length ? pos - at : undefined;
}

/** Decodes the gzip member starting at `at` in `buf`; `truncated` when more bytes might complete it. */
function decodeMember(buf: Buffer, at: number, atEof: boolean): Decoded {
  if (buf.length - at < 18) return { ok: false, truncated: !atEof, reason: 'cut short' };
  const header = headerLength(buf, at);
  if (header === undefined) return { ok: false, truncated: false, reason: 'no gzip header' };
  let raw: Buffer;
  let consumed: number;
  try {
    const out = inflateRawSync(buf.subarray(at + header), { info: true }) as unknown as {
      buffer: Buffer;
      engine: { bytesWritten: number };
    };
    raw = out.buffer;
    consumed = out.engine.bytesWritten;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'Z_BUF_ERROR') return { ok: false, truncated: !atEof, reason: 'cut short' };
    return { ok: false, truncated: false, reason: `not deflate data (${code ?? 'error'})` };
  }
  const trailer = at + header + consumed;
  if (trailer + 8 > buf.length) return { ok: false, truncated: !atEof, reason: 'cut short' };
  if (buf.readUInt32LE(trailer + 4) !== raw.length % 2 ** 32)
    return { ok: false, truncated: false, reason: 'size does not match its trailer' };
  return { ok: true, length: header + consumed + 8, raw };
}

/**
 * Every whole gzip member of an archive file, in order. Bytes that are not a
 * whole member (a record torn by a failed write, garbage) are reported through
 * `onSkipped` and passed over: reading resynchronises on the next gzip member
 * header whose member decodes, so one torn record never hides the ones after it.
 */
export async function* readMembers(
  path: string,
  file: string,
  onSkipped: (skipped: SkippedRange) => void,
): AsyncGenerator<ArchiveMember> {
  const handle = await open(path, 'r');
  try {
    const size = (await handle.stat()).size;
    let buf = Buffer.alloc(0);
    let bufStart = 0;
    /** Makes `buf` hold at least [from, from + bytes) of the file, or up to its end. */
    const load = async (from: number, bytes: number): Promise<void> => {
      const end = Math.min(size, from + bytes);
      if (from >= bufStart && end <= bufStart + buf.length) return;
      const next = Buffer.alloc(end - from);
      let have = 0;
      if (from >= bufStart && from < bufStart + buf.length) {
        have = buf.copy(next, 0, from - bufStart);
      }
      while (have < next.length) {
        const { bytesRead } = await handle.read(next, have, next.length - have, from + have);
        if (bytesRead === 0) break;
        have += bytesRead;
      }
      buf = next.subarray(0, have);
      bufStart = from;
    };
    /** The member at `offset`, reading more of the file while it is cut short by the window. */
    const memberAt = async (offset: number): Promise<Decoded> => {
      let window = FIRST_WINDOW;
      for (;;) {
        await load(offset, window);
        const atEof = bufStart + buf.length >= size;
        const decoded = decodeMember(buf, offset - bufStart, atEof);
        if (decoded.ok || !decoded.truncated || window >= MAX_MEMBER_BYTES) return decoded;
        window *= 2;
      }
    };

    let offset = 0;
    while (offset < size) {
      const decoded = await memberAt(offset);
      if (decoded.ok) {
        yield { offset, length: decoded.length, raw: decoded.raw };
        offset += decoded.length;
        continue;
      }
      // Resynchronise: the next offset holding a gzip header whose member decodes.
      let next = offset + 1;
      let found = false;
      while (next < size) {
        await load(next, FIRST_WINDOW);
        const rel = buf.indexOf(GZIP_MAGIC[0], next - bufStart);
        if (rel < 0) {
          next = bufStart + buf.length;
          if (next >= size) break;
          continue;
        }
        next = bufStart + rel;
        if (buf[rel + 1] === GZIP_MAGIC[1] || rel + 1 >= buf.length) {
          if ((await memberAt(next)).ok) {
            found = true;
            break;
          }
        }
        next++;
      }
      const end = found ? next : size;
      onSkipped({ file, offset, length: end - offset, reason: decoded.reason });
      offset = end;
    }
  } finally {
    await handle.close();
  }
}
