import type { Worker } from 'node:worker_threads';
import type { TaskProgress } from './job-kind.js';
import { spawnWorker } from './spawn-worker.js';
import type { TaskCommand, TaskMessage } from './task-worker.js';

export type TaskOutcome =
  | { readonly ok: true; readonly value: unknown }
  | {
      readonly ok: false;
      readonly error: string;
      readonly expected: boolean;
      readonly cancelled: boolean;
    };

interface Pending {
  readonly onProgress: (p: TaskProgress) => void;
  readonly resolve: (o: TaskOutcome) => void;
}

/**
 * The task thread, seen from the main thread: started on the first task, kept until `close`, and
 * started again if it dies (a task that crashed it fails; the others go on).
 */
export class TaskThread {
  private worker: Worker | null = null;
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly holdMs?: number) {}

  private thread(): Worker {
    if (this.worker) return this.worker;
    const w = spawnWorker(import.meta.url, 'task-worker', null);
    w.on('message', (m: TaskMessage) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      if (m.type === 'progress') return p.onProgress(m.progress);
      this.pending.delete(m.id);
      p.resolve(
        m.type === 'result'
          ? { ok: true, value: m.value }
          : { ok: false, error: m.message, expected: m.expected, cancelled: m.cancelled },
      );
    });
    const fail = (why: string): void => {
      if (this.worker === w) this.worker = null;
      for (const [id, p] of this.pending) {
        this.pending.delete(id);
        p.resolve({ ok: false, error: why, expected: false, cancelled: false });
      }
    };
    w.on('error', (err) => fail(`the task thread failed: ${err.message}`));
    w.on('exit', (code) => fail(`the task thread stopped (exit code ${code})`));
    // Idle, it must not keep the process alive.
    w.unref();
    this.worker = w;
    return w;
  }

  /** Runs one task; settles (never rejects) with how it ended. */
  run(id: string, module: string, input: unknown, onProgress: (p: TaskProgress) => void) {
    return new Promise<TaskOutcome>((resolve) => {
      this.pending.set(id, {
        onProgress,
        resolve: (o) => {
          if (this.pending.size === 0) this.worker?.unref();
          resolve(o);
        },
      });
      const w = this.thread();
      w.ref();
      const cmd: TaskCommand = { type: 'run', id, module, input, ...this.hold() };
      w.postMessage(cmd);
    });
  }

  /**
   * Starts the thread (if it is not up) and loads these task modules, so the first task that
   * needs them does not pay for the thread's start and their imports. Idle, the thread still does
   * not keep the process alive.
   */
  warm(modules: readonly string[]): void {
    const cmd: TaskCommand = { type: 'warm', modules };
    this.thread().postMessage(cmd);
  }

  private hold(): { holdMs?: number } {
    return this.holdMs ? { holdMs: this.holdMs } : {};
  }

  /** The task stops at its next check (never terminated: the thread keeps its runtimes). */
  cancel(id: string): void {
    if (this.pending.has(id))
      this.worker?.postMessage({ type: 'cancel', id } satisfies TaskCommand);
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    await w?.terminate();
  }
}
