/**
 * worker_threads entry of the task thread: runs task jobs one after another, each by importing
 * its kind's module from `tasks/` and calling `runTask(input, io)`. The thread lives as long as
 * the runner: once every thread that loaded onnxruntime-node's addon has exited, no new thread
 * can load it ("Module did not self-register", onnxruntime-node 1.x on Node 20), so the thread
 * that evaluations and export checks load it in must stay.
 */
import { parentPort, threadId } from 'node:worker_threads';
import { AppError } from '../errors.js';
import type { TaskProgress } from './job-kind.js';

export interface TaskIO {
  progress(p: TaskProgress): void;
  /** True once the job is cancelled: the task stops at its next check (throwing TaskCancelled). */
  cancelled(): boolean;
  /** This worker's thread id (never 0, the main thread's), reported in the job's result. */
  readonly threadId: number;
}

export class TaskCancelled extends Error {
  constructor() {
    super('cancelled');
  }
}

export type TaskCommand =
  | {
      readonly type: 'run';
      readonly id: string;
      readonly module: string;
      readonly input: unknown;
      /** Test hook, never set by the app: wait this long once the task has started. */
      readonly holdMs?: number;
    }
  | { readonly type: 'cancel'; readonly id: string }
  /** Loads task modules ahead of their first task (their imports, tfjs's included). */
  | { readonly type: 'warm'; readonly modules: readonly string[] };

export type TaskMessage =
  | { readonly type: 'progress'; readonly id: string; readonly progress: TaskProgress }
  | { readonly type: 'result'; readonly id: string; readonly value: unknown }
  | {
      readonly type: 'error';
      readonly id: string;
      readonly message: string;
      readonly expected: boolean;
      readonly cancelled: boolean;
    };

interface TaskModule {
  runTask(input: unknown, io: TaskIO): Promise<unknown>;
}

const port = parentPort;
if (!port) throw new Error('task-worker.ts must run in a worker thread');
const post = (m: TaskMessage): void => port.postMessage(m);
const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
const cancelled = new Set<string>();
let chain: Promise<void> = Promise.resolve();

/** A kind's module: a name under tasks/, or a file URL (a kind declared outside core/jobs). */
const moduleUrl = (module: string): string =>
  module.startsWith('file:') ? module : new URL(`./tasks/${module}${ext}`, import.meta.url).href;

async function run(cmd: Extract<TaskCommand, { type: 'run' }>): Promise<void> {
  const { id } = cmd;
  const io: TaskIO = {
    progress: (progress) => {
      if (cancelled.has(id)) throw new TaskCancelled();
      post({ type: 'progress', id, progress });
    },
    cancelled: () => cancelled.has(id),
    threadId,
  };
  try {
    if (cmd.holdMs) {
      io.progress({ done: 0, total: 1, message: 'starting' });
      for (let t = 0; t < cmd.holdMs && !cancelled.has(id); t += 20) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
    if (cancelled.has(id)) throw new TaskCancelled();
    const mod = (await import(moduleUrl(cmd.module))) as TaskModule;
    const value = await mod.runTask(cmd.input, io);
    if (cancelled.has(id)) throw new TaskCancelled();
    post({ type: 'result', id, value });
  } catch (err) {
    // Expected failures (AppError) carry a message meant for the user; others are logged.
    post({
      type: 'error',
      id,
      message: err instanceof Error ? err.message : String(err),
      expected: err instanceof AppError,
      cancelled: cancelled.has(id),
    });
  } finally {
    cancelled.delete(id);
  }
}

port.on('message', (cmd: TaskCommand) => {
  if (cmd.type === 'cancel') cancelled.add(cmd.id);
  else if (cmd.type === 'warm') {
    // A module that fails to load fails its first task, with the reason; warming stays quiet.
    chain = chain.then(() =>
      Promise.all(cmd.modules.map((m) => import(moduleUrl(m)).catch(() => undefined))).then(
        () => undefined,
      ),
    );
  } else chain = chain.then(() => run(cmd));
});
