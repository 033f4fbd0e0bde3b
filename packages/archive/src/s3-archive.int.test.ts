import { randomUUID } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalS3, type LocalS3 } from '@gazette/devstack';
import { ArchiveError, S3Archive, openArchive, type ArchiveRef, type RawPage } from './index.ts';

// A genuine S3 API server (S3Proxy, filesystem backend) started by infra/s3/s3.sh; each run its own bucket.
let s3: LocalS3;
let client: S3Client;
let bucket: string;

function page(n: number, body = `<html><body><p>Story ${n} \u00e9t\u00e9</p></body></html>`): RawPage {
  return {
    url: `http://news.example/story-${n}`,
    finalUrl: `https://news.example/story-${n}`,
    status: 200,
    headers: { 'content-type': 'text/html; charset=utf-8', etag: `"v${n}"` },
    body: Buffer.from(body),
    fetchedAt: new Date(Date.UTC(2025, 6, 1 + (n % 28))).toISOString(),
    fetchMs: 10 + n,
    redirects: [],
  };
}

beforeAll(async () => {
  s3 = await startLocalS3();
  client = new S3Client({
    endpoint: s3.endpoint,
    region: s3.region,
    forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  bucket = `test-s3-archive-${randomUUID().slice(0, 8)}`;
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
});

afterAll(() => {
  client?.destroy();
});

function archive(extra: { keyPrefix?: string; writerId?: string; maxObjectBytes?: number } = {}): S3Archive {
  return new S3Archive({
    bucket,
    endpoint: s3.endpoint,
    region: s3.region,
    forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    ...extra,
  });
}

describe('S3Archive on a real S3 server', () => {
  it('writes concurrent appends as batches of gzip-member records and reads each back with a ranged GET', async () => {
    const a = archive({ keyPrefix: 'batches/', writerId: 'w1' });
    const pages = Array.from({ length: 40 }, (_, i) => page(i, i === 7 ? 'x'.repeat(300_000) : undefined));
    const refs = await Promise.all(pages.map((p) => a.append(p)));
    await a.close();

    // Appends that arrived together share objects: fewer objects than records.
    const objects = new Set(refs.map((r) => r.file));
    expect(objects.size).toBeGreaterThan(0);
    expect(objects.size).toBeLessThan(pages.length);
    for (const ref of refs) expect(ref.file).toMatch(/^gazette-\d{14}-w1-\d{5}\.warc\.gz$/);

    // The object is a standard .warc.gz: each ref is a whole gzip member holding a WARC/1.1 record.
    const first = refs[0]!;
    const whole = await client.send(new GetObjectCommand({ Bucket: bucket, Key: `batches/${first.file}` }));
    const bytes = Buffer.from(await whole.Body!.transformToByteArray());
    const raw = gunzipSync(bytes.subarray(first.offset, first.offset + first.length)).toString('utf8');
    expect(raw.startsWith('WARC/1.1\r\n')).toBe(true);
    expect(raw).toContain('WARC-Target-URI: https://news.example/story-0');

    const reader = archive({ keyPrefix: 'batches/' });
    for (const [i, ref] of refs.entries()) {
      const back = await reader.read(ref);
      expect(back.url).toBe(pages[i]!.url);
      expect(Buffer.from(back.body).equals(Buffer.from(pages[i]!.body))).toBe(true);
      expect(back.headers.etag).toBe(`"v${i}"`);
    }
    await reader.close();
  });

  it('splits a batch above the object size limit into several objects', async () => {
    const a = archive({ keyPrefix: 'split/', maxObjectBytes: 2_000 });
    const refs = await Promise.all(Array.from({ length: 10 }, (_, i) => a.append(page(i))));
    await a.close();
    const sizes = new Map<string, number>();
    for (const r of refs) sizes.set(r.file, (sizes.get(r.file) ?? 0) + r.length);
    expect(sizes.size).toBeGreaterThan(1);
    for (const size of sizes.values()) expect(size).toBeLessThanOrEqual(2_000);
  });

  it('scans every record in time order with the filters of the local archive', async () => {
    const a = archive({ keyPrefix: 'scan/' });
    for (const n of [1, 2, 3]) await a.append(page(n));
    await a.append({ ...page(4), finalUrl: 'https://www.other.example/x' });
    const seen: string[] = [];
    for await (const { ref, page: p } of a.scan({ site: 'news.example' })) {
      seen.push(p.url);
      expect((await a.read(ref)).url).toBe(p.url);
    }
    expect(seen).toEqual(['http://news.example/story-1', 'http://news.example/story-2', 'http://news.example/story-3']);
    const since: string[] = [];
    for await (const { page: p } of a.scan({ since: new Date(Date.UTC(2025, 6, 4)) })) since.push(p.url);
    expect(since).toEqual(['http://news.example/story-3', 'http://news.example/story-4']);
    await a.close();
  });

  it('fails reads with the reason codes the parser acts on', async () => {
    const a = archive({ keyPrefix: 'errors/' });
    const ref = await a.append(page(1));
    const missing: ArchiveRef = { ...ref, file: 'gazette-20250101000000-nobody-00000.warc.gz' };
    await expect(a.read(missing)).rejects.toMatchObject({ name: 'ArchiveError', reason: 'not-found' });
    await expect(a.read({ ...ref, offset: ref.offset + 1 })).rejects.toMatchObject({ reason: 'corrupt' });
    await expect(a.read({ ...ref, file: '../etc/passwd' })).rejects.toBeInstanceOf(ArchiveError);
    // A record past the end of its object is a short read.
    await expect(a.read({ ...ref, length: ref.length + 100 })).rejects.toMatchObject({ reason: 'corrupt' });
    await a.close();

    // An object that is not gzip where the reference points.
    await client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'errors/gazette-20250101000000-junk-00000.warc.gz',
        Body: 'plain text',
      }),
    );
    const junk = archive({ keyPrefix: 'errors/' });
    await expect(
      junk.read({ file: 'gazette-20250101000000-junk-00000.warc.gz', offset: 0, length: 10 }),
    ).rejects.toMatchObject({ reason: 'corrupt' });
    await junk.close();
  });

  it('reports a write the server refuses as a retryable io error and keeps the cause', async () => {
    const wrong = new S3Archive({
      bucket,
      endpoint: s3.endpoint,
      region: s3.region,
      forcePathStyle: true,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: 'not-the-secret' },
    });
    const error = await wrong.append(page(1)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArchiveError);
    expect((error as ArchiveError).reason).toBe('io');
    expect((error as ArchiveError).cause).toBeDefined();
    await wrong.close();
  });

  it('is chosen by the settings, the local folder staying the default', async () => {
    const local = openArchive({ ARCHIVE_DIR: '.data/never-written' });
    expect(local).not.toBeInstanceOf(S3Archive);
    const remote = openArchive({
      ARCHIVE_DIR: '.data/unused',
      ARCHIVE_S3_BUCKET: bucket,
      ARCHIVE_S3_PREFIX: 'settings/',
      ARCHIVE_S3_ENDPOINT: s3.endpoint,
      ARCHIVE_S3_FORCE_PATH_STYLE: true,
      ARCHIVE_S3_ACCESS_KEY_ID: s3.accessKeyId,
      ARCHIVE_S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
    });
    expect(remote).toBeInstanceOf(S3Archive);
    const ref = await remote.append(page(9));
    expect((await remote.read(ref)).url).toBe('http://news.example/story-9');
    await remote.close();
  });
});
