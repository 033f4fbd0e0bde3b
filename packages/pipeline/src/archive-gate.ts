import type { ArchiveError, RawArchive } from '@gazette/archive';
import type { Logger } from '@gazette/logger';

export interface ArchiveGateOptions {
  archive: Pick<RawArchive, 'freeBytes' | 'checkWritable'>;
  log: Logger;
  /** Below this many free bytes the crawler stops taking jobs (0: only a failed write stops it). */
  minFreeBytes: number;
  /** How often free space is checked, and a closed gate probes. */
  probeMs?: number;
  /** Told when the gate closes (false) and opens again (true). */
  onChange?: (writable: boolean) => void;
}

/**
 * The crawler's view of its archive: it closes when a write fails (a full disk, an I/O error) or free
 * space drops under the minimum, and opens again once there is room and a real probe write (written,
 * flushed, removed) succeeds. While it is closed the crawler takes no jobs and reports not ready.
 */
export class ArchiveGate {
  readonly probeMs: number;
  private closedBy: string | undefined;
  private free: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private checking: Promise<void> | undefined;

  constructor(private readonly options: ArchiveGateOptions) {
    this.probeMs = options.probeMs ?? 1_000;
  }

  get writable(): boolean {
    return this.closedBy === undefined;
  }

  /** Why it is closed (`archive-full`, `archive-io`, `archive-low-space`), if it is. */
  get reason(): string | undefined {
    return this.closedBy;
  }

  /** Free bytes at the last check. */
  get freeBytes(): number | undefined {
    return this.free;
  }

  start(): void {
    this.timer ??= setInterval(() => void this.check(), this.probeMs);
    this.timer.unref();
    void this.check();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** A write failed: stop taking jobs until space (or the device) is back. */
  noteWriteError(error: ArchiveError): void {
    this.close(error.reason === 'full' ? 'archive-full' : 'archive-io', error.message);
  }

  /** Checks free space now and, while closed, probes with a real write. */
  check(): Promise<void> {
    this.checking ??= this.runCheck().finally(() => (this.checking = undefined));
    return this.checking;
  }

  private async runCheck(): Promise<void> {
    this.free = await this.options.archive.freeBytes?.();
    const low = this.free !== undefined && this.free < this.options.minFreeBytes;
    if (low) {
      this.close('archive-low-space', `${this.free} bytes free, under the minimum of ${this.options.minFreeBytes}`);
      return;
    }
    if (this.writable) return;
    try {
      await this.options.archive.checkWritable?.();
    } catch {
      return;
    }
    this.options.log.info(
      { freeBytes: this.free, was: this.closedBy },
      'the archive can be written again: crawling resumes',
    );
    this.closedBy = undefined;
    this.options.onChange?.(true);
  }

  private close(reason: string, detail: string): void {
    if (this.closedBy !== undefined) return;
    this.closedBy = reason;
    this.options.log.error({ reason, detail }, 'the archive cannot be written: crawling stops until it can');
    this.options.onChange?.(false);
  }
}
