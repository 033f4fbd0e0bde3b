import { mkdtemp, readFile, rm, writeFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WarcArchive, type ArchiveRef, type RawPage, type SkippedRange } from './index.ts';

function page(n: number): RawPage {
  return {
    url: `https://news.example/story-${n}`,
    finalUrl: `https://news.example/story-${n}`,
    status: 200,
    headers: { 'content-type': 'text/html' },
    body: Buffer.from(`<html><body><p>story ${n} ${'text '.repeat(200 + n)}</p></body></html>`),
    fetchedAt: new Date(Date.UTC(2025, 6, 1 + n)).toISOString(),
    fetchMs: 5,
    redirects: [],
  };
}

async function scanAll(archive: WarcArchive): Promise<{ urls: string[]; refs: ArchiveRef[]; skipped: SkippedRange[] }> {
  const skipped: SkippedRange[] = [];
  const urls: string[] = [];
  const refs: ArchiveRef[] = [];
  for await (const { ref, page: p } of archive.scan({ onSkipped: (s) => skipped.push(s) })) {
    urls.push(p.url);
    refs.push(ref);
  }
  return { urls, refs, skipped };
}

describe('reading past torn records', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gazette-torn-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** Writes `n` records and returns the file's bytes with each record's range. */
  async function archiveOf(n: number): Promise<{ bytes: Buffer; refs: ArchiveRef[] }> {
    const archive = new WarcArchive({ dir, writerId: 'src' });
    const refs: ArchiveRef[] = [];
    for (let i = 1; i <= n; i++) refs.push(await archive.append(page(i)));
    await archive.close();
    const [name] = await readdir(dir);
    const bytes = await readFile(join(dir, name!));
    await rm(join(dir, name!));
    return { bytes, refs };
  }

  it('skips a record cut short in the middle of a file and reads every whole record after it', async () => {
    const { bytes, refs } = await archiveOf(5);
    const r = (i: number) => bytes.subarray(refs[i]!.offset, refs[i]!.offset + refs[i]!.length);
    // Record 2 torn after a third of its bytes, as a write cut short by a full disk leaves it.
    const torn = r(1).subarray(0, Math.floor(refs[1]!.length / 3));
    await writeFile(join(dir, 'gazette-20250101000000-w-00000.warc.gz'), Buffer.concat([r(0), torn, r(2), r(3), r(4)]));

    const { urls, skipped, refs: found } = await scanAll(new WarcArchive({ dir }));
    expect(urls).toEqual([1, 3, 4, 5].map((n) => page(n).url));
    expect(skipped).toEqual([
      {
        file: 'gazette-20250101000000-w-00000.warc.gz',
        offset: refs[0]!.length,
        length: torn.length,
        reason: expect.any(String),
      },
    ]);
    // The references the scan hands out read back.
    const reader = new WarcArchive({ dir });
    for (const [i, ref] of found.entries()) expect((await reader.read(ref)).url).toBe(urls[i]);
    await reader.close();
  });

  it('reports garbage between records and a torn tail at the end of a file', async () => {
    const { bytes, refs } = await archiveOf(3);
    const r = (i: number) => bytes.subarray(refs[i]!.offset, refs[i]!.offset + refs[i]!.length);
    const garbage = Buffer.from('\x1f\x8b\x08 not a record at all, though it starts like one');
    const tail = r(2).subarray(0, refs[2]!.length - 5);
    await writeFile(join(dir, 'gazette-20250101000000-w-00001.warc.gz'), Buffer.concat([r(0), garbage, r(1), tail]));

    const { urls, skipped } = await scanAll(new WarcArchive({ dir }));
    expect(urls).toEqual([page(1).url, page(2).url]);
    expect(skipped.map((s) => [s.offset, s.length])).toEqual([
      [refs[0]!.length, garbage.length],
      [refs[0]!.length + garbage.length + refs[1]!.length, tail.length],
    ]);
  });

  it('finds nothing to skip in an archive written whole', async () => {
    await archiveOf(1);
    const archive = new WarcArchive({ dir, writerId: 'w' });
    for (let i = 1; i <= 20; i++) await archive.append(page(i));
    await archive.close();
    const { urls, skipped } = await scanAll(new WarcArchive({ dir }));
    expect(urls).toHaveLength(20);
    expect(skipped).toEqual([]);
  });
});
