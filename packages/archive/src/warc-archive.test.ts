import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ArchiveError, WarcArchive, type ArchiveRef, type RawPage } from './index.ts';

function page(n: number, overrides: Partial<RawPage> = {}): RawPage {
  return {
    url: `http://news.example/story-${n}`,
    finalUrl: `https://www.news.example/story-${n}`,
    status: 200,
    headers: { 'content-type': 'text/html; charset=windows-1252', etag: `"v${n}"`, 'content-encoding': 'gzip' },
    body: Buffer.from(`<html><body><p>Caf\xe9 story ${n}</p></body></html>`, 'latin1'),
    fetchedAt: new Date(Date.UTC(2025, 6, n)).toISOString(),
    fetchMs: 12 + n,
    redirects: n % 2 ? [`https://news.example/story-${n}`] : [],
    ...overrides,
  };
}

describe('WarcArchive', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gazette-archive-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes standard WARC/1.1 records whose block and payload digests match their bytes', async () => {
    const archive = new WarcArchive({ dir, writerId: 'w1' });
    const pages = [page(1), page(2, { body: Buffer.alloc(200_000, 'x') })];
    const refs: ArchiveRef[] = [];
    for (const p of pages) refs.push(await archive.append(p));
    await archive.close();

    const file = await readFile(join(dir, refs[0]!.file));
    for (const [i, ref] of refs.entries()) {
      // Each record is a gzip member of its own, found by offset and length alone.
      const raw = gunzipSync(file.subarray(ref.offset, ref.offset + ref.length));
      const headEnd = raw.indexOf('\r\n\r\n');
      const head = raw.subarray(0, headEnd).toString('utf8');
      const header = (name: string) => new RegExp(`^${name}: (.*)$`, 'mi').exec(head)?.[1]?.trim();
      expect(head.startsWith('WARC/1.1\r\n')).toBe(true);
      expect(header('WARC-Type')).toBe('response');
      const length = Number(header('Content-Length'));
      const block = raw.subarray(headEnd + 4, headEnd + 4 + length);
      expect(raw.subarray(headEnd + 4 + length).toString()).toBe('\r\n\r\n');
      const sha256 = (bytes: Uint8Array) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
      expect(header('WARC-Block-Digest')).toBe(sha256(block));
      const body = pages[i]!.body;
      expect(header('WARC-Payload-Digest')).toBe(sha256(body));
      expect(Buffer.from(block.subarray(block.length - body.length)).equals(Buffer.from(body))).toBe(true);
    }
  });

  it('stores a rendered DOM as a conversion record that names its response, read and scanned back', async () => {
    const archive = new WarcArchive({ dir, writerId: 'w1' });
    const original = await archive.append(page(3));
    const dom = Buffer.from('<html><body><article><p>Built by scripts</p></article></body></html>');
    const rendered = await archive.append(
      page(3, {
        headers: { 'content-type': 'text/html; charset=utf-8' },
        body: dom,
        redirects: [],
        rendering: { from: original, engine: 'chromium' },
      }),
    );
    const raw = gunzipSync(
      (await readFile(join(dir, rendered.file))).subarray(rendered.offset, rendered.offset + rendered.length),
    );
    expect(raw.toString()).toMatch(/^WARC-Type: conversion\r$/m);
    const back = await archive.read(rendered);
    expect(Buffer.from(back.body).equals(dom)).toBe(true);
    expect(back.rendering).toEqual({ from: original, engine: 'chromium' });
    expect(back.headers['content-type']).toBe('text/html; charset=utf-8');
    expect((await archive.read(original)).rendering).toBeUndefined();
    const scanned = [];
    for await (const { ref } of archive.scan()) scanned.push(ref);
    expect(scanned).toEqual([original, rendered]);
    await archive.close();
  });

  it('reads back exactly what was appended, bytes included', async () => {
    const archive = new WarcArchive({ dir, writerId: 'w1' });
    const pages = [1, 2, 3].map((n) => page(n));
    const refs = await Promise.all(pages.map((p) => archive.append(p)));
    await archive.close();

    const reader = new WarcArchive({ dir });
    for (const [i, ref] of refs.entries()) {
      const got = await reader.read(ref);
      const want = pages[i]!;
      expect(Buffer.from(got.body).equals(Buffer.from(want.body))).toBe(true);
      expect(got.url).toBe(want.url);
      expect(got.finalUrl).toBe(want.finalUrl);
      expect(got.status).toBe(200);
      expect(got.fetchedAt).toBe(want.fetchedAt);
      expect(got.fetchMs).toBe(want.fetchMs);
      expect(got.redirects).toEqual(want.redirects);
      expect(got.headers['content-type']).toBe('text/html; charset=windows-1252');
      expect(got.headers.etag).toBe(want.headers.etag);
      // The body is stored decoded, so its content-encoding no longer applies.
      expect(got.headers['content-encoding']).toBeUndefined();
    }
    await reader.close();
  });

  it('keeps records of concurrent appends apart and rotates files at the size limit', async () => {
    const archive = new WarcArchive({ dir, writerId: 'w2', maxFileBytes: 600 });
    const refs = await Promise.all(Array.from({ length: 12 }, (_, i) => archive.append(page(i + 1))));
    await archive.close();
    expect(new Set(refs.map((r) => r.file)).size).toBeGreaterThan(1);
    const urls = await Promise.all(refs.map(async (r) => (await archive.read(r)).url));
    expect(urls).toEqual(Array.from({ length: 12 }, (_, i) => `http://news.example/story-${i + 1}`));
    // Reading after close opens read handles again; close releases them.
    await archive.close();
  });

  it('scans by site and time window, with references that read back', async () => {
    const archive = new WarcArchive({ dir, writerId: 'w3' });
    for (let n = 1; n <= 6; n++) await archive.append(page(n));
    await archive.append(page(7, { finalUrl: 'https://other.example/x' }));
    await archive.close();

    const seen: string[] = [];
    for await (const { ref, page: p } of archive.scan({
      site: 'news.example',
      since: new Date(Date.UTC(2025, 6, 2)),
      until: new Date(Date.UTC(2025, 6, 5)),
    })) {
      seen.push(p.finalUrl);
      expect((await archive.read(ref)).finalUrl).toBe(p.finalUrl);
    }
    expect(seen).toEqual([2, 3, 4].map((n) => `https://www.news.example/story-${n}`));
    await archive.close();
  });

  it('gives typed errors for missing files and corrupt ranges', async () => {
    const archive = new WarcArchive({ dir, writerId: 'w4' });
    const ref = await archive.append(page(1));
    await archive.close();
    await expect(archive.read({ ...ref, file: 'gazette-missing.warc.gz' })).rejects.toMatchObject({
      reason: 'not-found',
    });
    await expect(archive.read({ ...ref, offset: ref.offset + 3 })).rejects.toBeInstanceOf(ArchiveError);
    await writeFile(join(dir, 'gazette-junk.warc.gz'), 'not gzip');
    await expect(archive.read({ file: 'gazette-junk.warc.gz', offset: 0, length: 8 })).rejects.toMatchObject({
      reason: 'corrupt',
    });
    expect((await readdir(dir)).length).toBe(2);
    await archive.close();
  });

  it('reads records spread over more files than it keeps open, concurrently and after close', async () => {
    // A tiny file size rotates to a new file on every append: 24 files.
    const writer = new WarcArchive({ dir, writerId: 'w5', maxFileBytes: 1 });
    const pages = Array.from({ length: 24 }, (_, n) => page(n + 1));
    const refs: ArchiveRef[] = [];
    for (const p of pages) refs.push(await writer.append(p));
    await writer.close();
    expect(new Set(refs.map((r) => r.file)).size).toBe(24);

    const reader = new WarcArchive({ dir });
    const order = [...refs.keys(), ...[...refs.keys()].reverse(), ...refs.keys()];
    const got = await Promise.all(order.map((i) => reader.read(refs[i]!)));
    got.forEach((p, k) => expect(p.url).toBe(pages[order[k]!]!.url));
    await reader.close();
    expect((await reader.read(refs[5]!)).url).toBe(pages[5]!.url);
    await reader.close();
  });
});
