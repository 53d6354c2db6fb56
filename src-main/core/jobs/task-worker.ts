/**
 * worker_threads entry for every task kind: imports the kind's module from `tasks/`, calls its
 * `runTask(input, io)` and posts `TaskMessage`s. The parent posts `{ type: 'cancel' }` to ask it
 * to stop (tasks poll `io.cancelled()`; the runner terminates the thread after a grace period).
 */
import { parentPort, threadId, workerData } from 'node:worker_threads';
import { AppError } from '../errors.js';
import type { TaskProgress } from './job-kind.js';

export interface TaskWorkerData {
  /** The module's file name under tasks/, without extension. */
  readonly module: string;
  readonly input: unknown;
  /** Test hook, never set by the app: wait this long once the task has started. */
  readonly holdMs?: number;
}

export interface TaskIO {
  progress(p: TaskProgress): void;
  cancelled(): boolean;
  /** This worker's thread id (never 0, the main thread's), reported in the job's result. */
  readonly threadId: number;
}

export type TaskMessage =
  | { readonly type: 'progress'; readonly progress: TaskProgress }
  | { readonly type: 'result'; readonly value: unknown }
  | { readonly type: 'error'; readonly message: string; readonly expected: boolean };

interface TaskModule {
  runTask(input: unknown, io: TaskIO): Promise<unknown>;
}

const port = parentPort;
if (!port) throw new Error('task-worker.ts must run in a worker thread');

let cancelled = false;
port.on('message', (m: unknown) => {
  if ((m as { type?: unknown } | null)?.type === 'cancel') cancelled = true;
});
const post = (m: TaskMessage): void => port.postMessage(m);
const { module, input, holdMs } = workerData as TaskWorkerData;
const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';

try {
  if (holdMs) {
    post({ type: 'progress', progress: { done: 0, total: 1, message: 'starting' } });
    await new Promise((resolve) => setTimeout(resolve, holdMs));
  }
  const mod = (await import(
    new URL(`./tasks/${module}${ext}`, import.meta.url).href
  )) as TaskModule;
  const value = await mod.runTask(input, {
    progress: (progress) => post({ type: 'progress', progress }),
    cancelled: () => cancelled,
    threadId,
  });
  post({ type: 'result', value });
} catch (err) {
  // Expected failures (AppError) carry a message meant for the user; others are logged.
  post({
    type: 'error',
    message: err instanceof Error ? err.message : String(err),
    expected: err instanceof AppError,
  });
} finally {
  port.close();
}
