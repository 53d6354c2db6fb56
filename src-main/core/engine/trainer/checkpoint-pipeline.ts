import type { TrainerEvent } from './training-runner.js';
import type { CheckpointWriter } from './checkpoint-writer.js';

type Names = ('best' | 'last')[];
type Files = ReadonlyMap<string, Uint8Array>;

/**
 * A run's checkpoint writes, one at a time: an epoch's files are taken as bytes at the end of the
 * epoch (`snapshot`), written while the next epoch trains (`start`), and the epoch's event is sent
 * by the caller's `onDurable` once they are on disk. A failed write emits `failed` (the previous
 * checkpoint stays) and every later `settle` answers false, so the loop ends at its next check.
 */
export class CheckpointPipeline<S> {
  /** The write in flight (its epoch event follows it); false once it failed. */
  private pending: Promise<boolean> | null = null;
  private writeFailed = false;

  constructor(
    private readonly o: {
      readonly root: string;
      readonly writer: CheckpointWriter;
      /** The checkpoint of state `s` as files' bytes, made now. */
      readonly files: (s: S) => Promise<Files>;
      readonly emit: (e: TrainerEvent) => void;
      /** Tests: throws to simulate a failing write of `file` in `epoch`. */
      readonly hook: ((epoch: number, file: string) => void) | null;
    },
  ) {}

  /** A write has failed (its `failed` event is out). */
  get failed(): boolean {
    return this.writeFailed;
  }

  /** Waits for the write in flight; false when it (or an earlier one) failed. */
  async settle(): Promise<boolean> {
    const ok = this.pending ? await this.pending : true;
    this.pending = null;
    return ok && !this.writeFailed;
  }

  /** The checkpoint's files as bytes (the error when they cannot be made). */
  async snapshot(s: S): Promise<Files | Error> {
    try {
      return await this.o.files(s);
    } catch (err) {
      return err instanceof Error ? err : new Error(String(err));
    }
  }

  /** Starts writing `files` (after `settle`); `onDurable` runs once they are on disk. */
  start(names: Names, files: Files, epochLabel: number, onDurable: () => void): void {
    this.pending = this.write(names, files, epochLabel).then((ok) => {
      if (ok) onDurable();
      return ok;
    });
  }

  /** Snapshot and write now, waiting for it; false (with `failed` emitted) when it failed. */
  async writeNow(names: Names, s: S, epochLabel: number): Promise<boolean> {
    const files = await this.snapshot(s);
    if (files instanceof Error) {
      this.fail(files, epochLabel);
      return false;
    }
    return this.write(names, files, epochLabel);
  }

  /** Emits `failed` for a checkpoint that could not be made or written. */
  fail(err: unknown, epochLabel: number): void {
    this.writeFailed = true;
    const e = err as NodeJS.ErrnoException;
    const why =
      e.code === 'ENOSPC'
        ? 'the disk is full (ENOSPC)'
        : `${e.code ? `${e.code}: ` : ''}${e.message}`;
    this.o.emit({
      type: 'failed',
      message: `could not write the checkpoint after epoch ${epochLabel}: ${why}; the previous checkpoint is kept`,
    });
  }

  /** Resolves once no write is in flight (whatever its outcome). */
  async drain(): Promise<void> {
    await this.pending;
  }

  private async write(names: Names, files: Files, epochLabel: number): Promise<boolean> {
    try {
      await this.o.writer.write(this.o.root, names, files, (file) =>
        this.o.hook?.(epochLabel, file),
      );
      return true;
    } catch (err) {
      this.fail(err, epochLabel);
      return false;
    }
  }
}
