import { hostname } from 'node:os';
import type { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import {
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { WARCParser } from 'warcio';
import { ArchiveError, type ArchiveRef, type RawPage } from './raw-page.ts';
import type { RawArchive } from './raw-archive.ts';
import { GroupCommit } from './group-commit.ts';
import { FILE_PATTERN, scannedPage, serialize, toRawPage, type ScanFilter } from './warc-archive.ts';

export interface S3ArchiveOptions {
  bucket: string;
  /** Key prefix inside the bucket (e.g. `raw/`); empty: the bucket's root. */
  keyPrefix?: string;
  /** S3 API endpoint; empty: AWS S3 of `region`. */
  endpoint?: string;
  region?: string;
  /** Path-style URLs (`endpoint/bucket/key`), which S3Proxy, MinIO and Ceph expect. */
  forcePathStyle?: boolean;
  /** Static credentials; without them the AWS SDK's default chain (env, profile, instance role) applies. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Distinguishes concurrent writers; each writer creates only its own objects. */
  writerId?: string;
  /** Largest object written at once: a batch of records above this is split. Default 64 MB. */
  maxObjectBytes?: number;
  /** An already configured client (tests, custom retry policies). */
  client?: S3Client;
}

/**
 * The raw archive in an S3-compatible bucket (AWS S3, S3Proxy, MinIO, Ceph RGW). Records are
 * gzip-member WARC records as in the local archive; appends that arrive while an upload is in
 * flight are written together as one object (`gazette-<time>-<writer>-<n>.warc.gz`, a valid WARC
 * file on its own), so an object holds a batch of records and a reference is only handed out once
 * S3 acknowledged the object. A record is read back with one ranged GET.
 */
export class S3Archive implements RawArchive {
  readonly bucket: string;
  readonly keyPrefix: string;
  private readonly client: S3Client;
  private readonly ownsClient: boolean;
  private readonly writerId: string;
  private readonly maxObjectBytes: number;
  private sequence = 0;
  private readonly commits: GroupCommit;

  constructor(options: S3ArchiveOptions) {
    this.bucket = options.bucket;
    this.keyPrefix = options.keyPrefix ?? '';
    this.writerId = (options.writerId ?? `${hostname()}-${process.pid}`).replace(/[^\w.-]/g, '_');
    this.maxObjectBytes = options.maxObjectBytes ?? 64 * 1024 * 1024;
    this.ownsClient = !options.client;
    this.client = options.client ?? new S3Client(s3ClientConfig(options));
    this.commits = new GroupCommit({
      write: async (records) => ({ refs: await this.putBatch(records) }),
      maxBatchBytes: this.maxObjectBytes,
      toError: (error) =>
        error instanceof ArchiveError ? error : new ArchiveError('io', 'could not write the archive', { cause: error }),
    });
  }

  async append(page: RawPage): Promise<ArchiveRef> {
    return this.commits.append(await serialize(page));
  }

  private async putBatch(records: Uint8Array[]): Promise<ArchiveRef[]> {
    const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
    const file = `gazette-${stamp}-${this.writerId}-${String(this.sequence++).padStart(5, '0')}.warc.gz`;
    const refs: ArchiveRef[] = [];
    let offset = 0;
    for (const bytes of records) {
      refs.push({ file, offset, length: bytes.length });
      offset += bytes.length;
    }
    const body = Buffer.concat(records, offset);
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: this.keyPrefix + file,
          Body: body,
          ContentLength: body.length,
          ContentType: 'application/warc',
        }),
      );
    } catch (error) {
      throw new ArchiveError('io', `could not upload ${file} to s3://${this.bucket}/${this.keyPrefix}`, {
        cause: error,
      });
    }
    return refs;
  }

  async read(ref: ArchiveRef): Promise<RawPage> {
    if (!FILE_PATTERN.test(ref.file)) throw new ArchiveError('not-found', `not an archive file name: ${ref.file}`);
    let buffer: Uint8Array;
    try {
      const answer = await this.client.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: this.keyPrefix + ref.file,
          Range: `bytes=${ref.offset}-${ref.offset + ref.length - 1}`,
        }),
      );
      if (!answer.Body) throw new ArchiveError('io', `empty answer for ${ref.file}`);
      buffer = await answer.Body.transformToByteArray();
    } catch (error) {
      if (error instanceof ArchiveError) throw error;
      const status = error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined;
      const name = error instanceof Error ? error.name : '';
      if (name === 'NoSuchKey' || status === 404)
        throw new ArchiveError('not-found', `archive object ${ref.file} is missing`, { cause: error });
      if (name === 'InvalidRange' || status === 416)
        throw new ArchiveError('corrupt', `archive object ${ref.file} has no bytes at ${ref.offset}`, {
          cause: error,
        });
      throw new ArchiveError('io', `could not read ${ref.file} from s3://${this.bucket}`, { cause: error });
    }
    if (buffer.length !== ref.length) throw new ArchiveError('corrupt', `short read in ${ref.file} at ${ref.offset}`);
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

  /** Every archived response matching the filter, oldest object first (object names start with their time). */
  async *scan(filter: ScanFilter = {}): AsyncGenerator<{ ref: ArchiveRef; page: RawPage }> {
    const names: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: this.keyPrefix,
          ...(token ? { ContinuationToken: token } : {}),
        }),
      );
      for (const object of page.Contents ?? []) {
        const name = object.Key?.slice(this.keyPrefix.length);
        if (name && FILE_PATTERN.test(name) && (object.Size ?? 0) > 0) names.push(name);
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    names.sort();
    for (const name of names) {
      const answer = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.keyPrefix + name }));
      if (!answer.Body) continue;
      const parser = new WARCParser(answer.Body as Readable);
      for await (const record of parser) {
        const page = await scannedPage(record, filter);
        if (page) yield { ref: { file: name, offset: parser.offset, length: parser.recordLength }, page };
      }
    }
  }

  async close(): Promise<void> {
    await this.commits.drain();
    if (this.ownsClient) this.client.destroy();
  }
}

function s3ClientConfig(options: S3ArchiveOptions): S3ClientConfig {
  return {
    region: options.region ?? 'us-east-1',
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    forcePathStyle: options.forcePathStyle ?? false,
    ...(options.credentials ? { credentials: options.credentials } : {}),
    // Checksums only when the operation requires them: S3-compatible servers differ in support.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 3,
  };
}
