/**
 * Checkpoint folders written by a thread of their own. With pipelined checkpoints the trainer
 * thread would otherwise spend its own time on every write (the metadata calls, and a turn of
 * its event loop per fsync round) while it trains the next epoch; here it only posts the bytes.
 * The writer runs writeCheckpointDirs itself, so the guarantees are the same: each write is
 * atomic and durable when its promise settles. Where the thread cannot start, writes happen on
 * the calling thread.
 */
import { Worker } from 'node:worker_threads';
import { type CheckpointName, type WriteHook, writeCheckpointDirs } from './checkpoint-dir.js';

/** Off switch for tests and comparisons: `ASSAY_CHECKPOINT_THREAD=0` writes on the trainer thread. */
export const checkpointWriterTuning = { enabled: process.env['ASSAY_CHECKPOINT_THREAD'] !== '0' };

export interface WriteRequest {
  readonly id: number;
  readonly root: string;
  readonly names: readonly CheckpointName[];
  readonly files: readonly (readonly [string, Uint8Array])[];
  /** Test hook, as data: writing this file fails with this error. */
  readonly fail: { readonly file: string; readonly message: string; readonly code?: string } | null;
}

export type WriteReply =
  | { readonly id: number; readonly ok: true }
  | { readonly id: number; readonly ok: false; readonly message: string; readonly code?: string };

export class CheckpointWriter {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve(): void; reject(e: Error): void }>();
  /** Set once the thread failed: later writes happen on the calling thread. */
  private broken: Error | null = null;

  private constructor(private readonly worker: Worker | null) {
    if (!worker) return;
    worker.unref();
    worker.on('message', (r: WriteReply) => {
      const w = this.waiting.get(r.id);
      if (!w) return;
      this.waiting.delete(r.id);
      if (r.ok) w.resolve();
      else w.reject(Object.assign(new Error(r.message), r.code ? { code: r.code } : {}));
    });
    const fail = (err: Error): void => {
      this.broken ??= err;
      for (const w of this.waiting.values()) w.reject(err);
      this.waiting.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the checkpoint writer thread exited (${code})`)));
  }

  /** A writer with its own thread, or one that writes on this thread (switched off, or no thread). */
  static start(): CheckpointWriter {
    if (!checkpointWriterTuning.enabled) return new CheckpointWriter(null);
    try {
      return new CheckpointWriter(spawnWriter());
    } catch {
      return new CheckpointWriter(null);
    }
  }

  /**
   * Writes the folders (writeCheckpointDirs); settles once they are durable. A write the thread
   * could not even take (it died) is made here instead, so a run never loses a checkpoint to it.
   */
  async write(
    root: string,
    names: readonly CheckpointName[],
    files: ReadonlyMap<string, Uint8Array>,
    hook?: WriteHook,
  ): Promise<void> {
    if (!this.worker || this.broken) return writeCheckpointDirs(root, names, files, hook);
    const id = this.nextId++;
    const request: WriteRequest = { id, root, names, files: [...files], fail: probe(files, hook) };
    const done = new Promise<void>((resolve, reject) => this.waiting.set(id, { resolve, reject }));
    this.worker.ref();
    try {
      this.worker.postMessage(request);
      await done;
    } catch (err) {
      if (!this.broken) throw err;
      // The thread died under this write: its folders are either untouched or complete, and
      // writing them again here replaces them atomically either way.
      await writeCheckpointDirs(root, names, files, hook);
    } finally {
      if (this.waiting.size === 0) this.worker.unref();
    }
  }

  /** Whether writes go through the thread (false: switched off, or the thread failed). */
  get onThread(): boolean {
    return this.worker !== null && this.broken === null;
  }

  async close(): Promise<void> {
    await this.worker?.terminate();
  }
}

/** The test hook's verdict for each file, found here because a function cannot be posted. */
function probe(
  files: ReadonlyMap<string, Uint8Array>,
  hook: WriteHook | undefined,
): WriteRequest['fail'] {
  if (!hook) return null;
  for (const file of files.keys()) {
    try {
      hook(file);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      return { file, message: e.message, ...(e.code ? { code: e.code } : {}) };
    }
  }
  return null;
}

/** checkpoint-writer-worker beside this file (`.ts` through tsx when running from sources). */
function spawnWriter(): Worker {
  if (!import.meta.url.endsWith('.ts')) {
    return new Worker(new URL('./checkpoint-writer-worker.js', import.meta.url));
  }
  const entry = new URL('./checkpoint-writer-worker.ts', import.meta.url).href;
  let tsxApi = 'tsx/esm/api';
  try {
    tsxApi = import.meta.resolve('tsx/esm/api');
  } catch {
    /* fall back to a bare specifier */
  }
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { eval: true });
}
