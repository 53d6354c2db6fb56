import type { TaskProgress } from './job-kind.js';
import { spawnWorker } from './spawn-worker.js';
import type { TaskMessage, TaskWorkerData } from './task-worker.js';

export interface TaskHandle {
  /** Settles (never rejects) once the thread has exited, with how the task ended. */
  readonly done: Promise<TaskOutcome>;
  /** Asks the task to stop; the thread is terminated if it has not ended after `graceMs`. */
  cancel(graceMs: number): void;
}

export type TaskOutcome =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly error: string; readonly expected: boolean };

/** Runs one task module in a fresh worker thread, relaying its progress. */
export function runTaskWorker(
  module: string,
  input: unknown,
  onProgress: (p: TaskProgress) => void,
  holdMs?: number,
): TaskHandle {
  const data: TaskWorkerData = { module, input, ...(holdMs ? { holdMs } : {}) };
  const worker = spawnWorker(import.meta.url, 'task-worker', data);
  let outcome: TaskOutcome | undefined;
  let timer: NodeJS.Timeout | undefined;
  worker.on('message', (m: TaskMessage) => {
    if (m.type === 'progress') onProgress(m.progress);
    else if (m.type === 'result') outcome ??= { ok: true, value: m.value };
    else outcome ??= { ok: false, error: m.message, expected: m.expected };
  });
  worker.on('error', (err) => {
    outcome ??= { ok: false, error: `the task worker failed: ${err.message}`, expected: false };
  });
  const done = new Promise<TaskOutcome>((resolve) => {
    worker.once('exit', (code) => {
      clearTimeout(timer);
      resolve(
        outcome ?? {
          ok: false,
          error: `the task worker stopped unexpectedly (exit code ${code})`,
          expected: false,
        },
      );
    });
  });
  return {
    done,
    cancel(graceMs) {
      worker.postMessage({ type: 'cancel' });
      timer ??= setTimeout(() => void worker.terminate(), graceMs);
      timer.unref();
    },
  };
}
