import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A small file system of its own (tmpfs), to run a writer out of space for real. Needs root. */
export interface SmallDisk {
  dir: string;
  /** Grows or shrinks it in place (files stay): space returns, or runs out. */
  resize(bytes: number): Promise<void>;
  /** Unmounts it and removes the mount point. */
  remove(): Promise<void>;
}

export async function mountSmallDisk(bytes: number, name = 'small-disk'): Promise<SmallDisk> {
  const dir = await mkdtemp(join(tmpdir(), `gazette-${name}-`));
  try {
    await run('mount', ['-t', 'tmpfs', '-o', `size=${bytes},mode=0755`, 'tmpfs', dir]);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(`could not mount a ${bytes}-byte tmpfs on ${dir} (mounting needs root)`, { cause: error });
  }
  return {
    dir,
    resize: async (size) => {
      await run('mount', ['-o', `remount,size=${size}`, dir]);
    },
    remove: async () => {
      await run('umount', ['-l', dir]).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
