import { Transform, Writable, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  createBrotliDecompress,
  createGunzip,
  createInflate,
  createInflateRaw,
  type Inflate,
  type InflateRaw,
} from 'node:zlib';
import type { Dispatcher } from 'undici';
import { FetchFailure } from './failure.ts';
import type { ReasonCode } from './outcome.ts';

/** The caps a body is read under. */
export interface BodyLimits {
  /** Bytes received on the wire; past it the read fails `too-large`. */
  maxBodyBytes: number;
  /** Bytes after content decoding; past it the read fails `decompression-bomb`. */
  maxDecompressedBytes: number;
}

/** Ends a read on purpose once the caller's truncation point is reached. */
class Truncated extends Error {}

/** Counts bytes through a stream and fails once a cap is passed. */
class ByteLimit extends Transform {
  count = 0;
  constructor(
    private readonly max: number,
    private readonly reason: ReasonCode,
  ) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, callback: TransformCallback): void {
    this.count += chunk.length;
    if (this.count > this.max) callback(new FetchFailure(this.reason, `body exceeds ${this.max} bytes`));
    else callback(null, chunk);
  }
}

/** `Content-Encoding: deflate` is zlib-wrapped per the RFC, raw deflate in practice too: sniff the first byte. */
class AutoInflate extends Transform {
  private inner: Inflate | InflateRaw | null = null;
  override _transform(chunk: Buffer, _enc: BufferEncoding, callback: TransformCallback): void {
    if (!this.inner) {
      this.inner = (chunk[0]! & 0x0f) === 0x08 ? createInflate() : createInflateRaw();
      this.inner.on('data', (d: Buffer) => this.push(d));
      this.inner.on('error', (e) => this.destroy(e));
    }
    this.inner.write(chunk, () => callback());
  }
  override _flush(callback: TransformCallback): void {
    if (!this.inner) return callback();
    this.inner.once('end', () => callback());
    this.inner.end();
  }
  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.inner?.destroy();
    callback(error);
  }
}

function decoderFor(encoding: string): Transform | null {
  switch (encoding) {
    case 'gzip':
    case 'x-gzip':
      return createGunzip();
    case 'deflate':
      return new AutoInflate();
    case 'br':
      return createBrotliDecompress();
    default:
      return null;
  }
}

/** Drop a response body without reading it (closes that connection). */
export function discard(body: Dispatcher.ResponseData['body']): void {
  body.on('error', () => {});
  body.destroy();
}

/**
 * Reads a response body to the end through its content decoders (listed in `Content-Encoding`),
 * under the wire and decoded caps, or up to `truncateAt` decoded bytes.
 */
export async function readBody(
  body: Dispatcher.ResponseData['body'],
  contentEncoding: string | undefined,
  signal: AbortSignal,
  truncateAt: number | undefined,
  opts: BodyLimits,
): Promise<{ body: Buffer; wireBytes: number; truncated: boolean }> {
  const encodings = (contentEncoding ?? '')
    .toLowerCase()
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e && e !== 'identity');
  const decoders: Transform[] = [];
  // Encodings are listed in the order they were applied: undo them last-first.
  for (const encoding of encodings.reverse()) {
    const decoder = decoderFor(encoding);
    if (!decoder) {
      discard(body);
      throw new FetchFailure('bad-encoding', `unsupported content-encoding ${encoding}`);
    }
    decoders.push(decoder);
  }
  const wire = new ByteLimit(opts.maxBodyBytes, 'too-large');
  const chunks: Buffer[] = [];
  let size = 0;
  let truncated = false;
  const sink = new Writable({
    write(chunk: Buffer, _enc, callback) {
      if (truncateAt !== undefined && size + chunk.length > truncateAt) {
        chunks.push(chunk.subarray(0, truncateAt - size));
        size = truncateAt;
        truncated = true;
        callback(new Truncated());
        return;
      }
      size += chunk.length;
      if (decoders.length > 0 && size > opts.maxDecompressedBytes) {
        callback(new FetchFailure('decompression-bomb', `decoded body exceeds ${opts.maxDecompressedBytes} bytes`));
        return;
      }
      chunks.push(chunk);
      callback();
    },
  });
  try {
    await pipeline([body as Readable, wire, ...decoders, sink], { signal });
  } catch (error) {
    if (!(error instanceof Truncated)) throw error;
  }
  return { body: Buffer.concat(chunks, size), wireBytes: wire.count, truncated };
}
