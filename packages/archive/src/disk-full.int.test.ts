/**
 * The archive on a file system that runs out of space (a real tmpfs of a few hundred KB): no reference
 * is handed out for bytes that were not written, the torn tail is cut off before the next write, the
 * failures say `full`, and writing resumes where the last whole record ends once space returns.
 */
import { randomBytes } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mountSmallDisk, type SmallDisk } from '@gazette/devstack';
import { ArchiveError, WarcArchive, type ArchiveRef, type RawPage, type SkippedRange } from './index.ts';

let disk: SmallDisk;
beforeAll(async () => {
  disk = await mountSmallDisk(256 * 1024, 'archive-full');
});
afterAll(() => disk?.remove());

function page(n: number): RawPage {
  return {
    url: `https://news.example/full-${n}`,
    finalUrl: `https://news.example/full-${n}`,
    status: 200,
    headers: { 'content-type': 'text/html' },
    // Random bytes do not compress: each record takes its full size on disk.
    body: Buffer.from(randomBytes(15_000).toString('base64')),
    fetchedAt: new Date().toISOString(),
    fetchMs: 1,
    redirects: [],
  };
}

describe('archive on a full disk', () => {
  it('hands out references only for whole records and carries on once space returns', async () => {
    const errors: ArchiveError[] = [];
    const archive = new WarcArchive({ dir: disk.dir, writerId: 'full', onWriteError: (e) => errors.push(e) });
    const written: Array<{ ref: ArchiveRef; url: string }> = [];
    const failed: ArchiveError[] = [];
    // Concurrent appends, so some failures land mid-batch; until the disk has refused a good many.
    for (let round = 0; failed.length < 8 && round < 40; round++) {
      const pages = Array.from({ length: 4 }, (_, i) => page(round * 4 + i));
      const results = await Promise.allSettled(pages.map((p) => archive.append(p)));
      results.forEach((r, i) => {
        if (r.status === 'fulfilled') written.push({ ref: r.value, url: pages[i]!.url });
        else failed.push(r.reason as ArchiveError);
      });
    }
    expect(written.length).toBeGreaterThan(3);
    expect(failed.length).toBeGreaterThanOrEqual(8);
    for (const e of failed) {
      expect(e).toBeInstanceOf(ArchiveError);
      expect(e.reason).toBe('full');
    }
    expect(errors.length).toBeGreaterThan(0);
    expect(archive.writeErrorStats().full).toBe(errors.length);
    expect(await archive.freeBytes()).toBeLessThan(20_000);

    // Every file ends with its last whole record: no torn tail for the next record to be written after.
    const ends = new Map<string, number>();
    for (const { ref } of written) ends.set(ref.file, Math.max(ends.get(ref.file) ?? 0, ref.offset + ref.length));
    for (const name of await readdir(disk.dir)) {
      expect((await stat(join(disk.dir, name))).size, name).toBe(ends.get(name) ?? 0);
    }

    // Space returns: the same archive writes on, right after the last whole record.
    await disk.resize(8 * 1024 * 1024);
    for (let i = 0; i < 10; i++) {
      const p = page(1000 + i);
      written.push({ ref: await archive.append(p), url: p.url });
    }
    for (const { ref, url } of written) expect((await archive.read(ref)).url).toBe(url);
    await archive.close();

    const skipped: SkippedRange[] = [];
    const scanned: string[] = [];
    for await (const { page: p } of new WarcArchive({ dir: disk.dir }).scan({ onSkipped: (s) => skipped.push(s) }))
      scanned.push(p.url);
    expect(skipped).toEqual([]);
    expect(scanned.sort()).toEqual(written.map((w) => w.url).sort());
  });
});
