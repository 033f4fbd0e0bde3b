import { describe, expect, it } from 'vitest';
import { ArchiveError } from '@gazette/archive';
import { createLogger } from '@gazette/logger';
import { ArchiveGate } from './archive-gate.ts';

function setup(minFreeBytes = 1000) {
  const disk = { free: 10_000, writable: true, probes: 0 };
  const changes: boolean[] = [];
  const gate = new ArchiveGate({
    archive: {
      freeBytes: async () => disk.free,
      checkWritable: async () => {
        disk.probes++;
        if (!disk.writable) throw new ArchiveError('full', 'no space');
      },
    },
    log: createLogger({ name: 'test', level: 'silent' }),
    minFreeBytes,
    onChange: (w) => changes.push(w),
  });
  return { gate, disk, changes };
}

describe('ArchiveGate', () => {
  it('closes on a failed write and opens only once a probe write succeeds', async () => {
    const { gate, disk, changes } = setup();
    await gate.check();
    expect(gate.writable).toBe(true);
    expect(disk.probes).toBe(0);

    gate.noteWriteError(new ArchiveError('full', 'ENOSPC'));
    expect(gate.writable).toBe(false);
    expect(gate.reason).toBe('archive-full');
    // Free space alone (above the minimum) is not enough: the probe write must succeed.
    disk.writable = false;
    await gate.check();
    expect(gate.writable).toBe(false);
    disk.writable = true;
    await gate.check();
    expect(gate.writable).toBe(true);
    expect(changes).toEqual([false, true]);
  });

  it('closes when free space drops under the minimum, and names an I/O failure apart from a full disk', async () => {
    const { gate, disk, changes } = setup();
    disk.free = 999;
    await gate.check();
    expect(gate.reason).toBe('archive-low-space');
    expect(gate.freeBytes).toBe(999);
    // A second failure while closed changes nothing.
    gate.noteWriteError(new ArchiveError('io', 'EIO'));
    expect(gate.reason).toBe('archive-low-space');
    disk.free = 5000;
    await gate.check();
    expect(gate.writable).toBe(true);

    gate.noteWriteError(new ArchiveError('io', 'EIO'));
    expect(gate.reason).toBe('archive-io');
    expect(changes).toEqual([false, true, false]);
  });
});
