import type { Job, JobKind, JobOutcome } from '../../../src-shared/contract/jobs.js';

/** What a task reports while it runs (worker → runner). */
export interface TaskProgress {
  readonly done: number;
  readonly total: number;
  readonly message?: string | undefined;
}

/**
 * Where a kind executes. `task`: the runner runs it on the task thread (one worker thread, one
 * task at a time, in order), from a module exporting `runTask(input, io)`: its name under
 * core/jobs/tasks, or its file URL.
 * `driven`: the kind has its own thread and protocol (the import worker, the dedicated trainer)
 * and reports to its job through a JobControl.
 */
export type JobExecution =
  | { readonly thread: 'task'; readonly module: string }
  | { readonly thread: 'driven'; readonly by: string };

/** What the runner does with a job a previous process left pending or running. */
export type CrashPolicy =
  /** Marked `interrupted` with this message; `resumable` says whether the user can continue it. */
  | { readonly after: 'interrupted'; readonly message: string }
  /** Run again from its stored spec (a task whose output is rebuilt whole from its inputs). */
  | { readonly after: 'resume'; readonly message: string };

/** How one run of a task kind ended, as the kind records it in its own tables. */
export type TaskEnd<R> =
  | { readonly ok: true; readonly value: R }
  | { readonly ok: false; readonly error: string; readonly cancelled: boolean };

/**
 * A kind of background work, declared once: the runner needs nothing else to create, run,
 * report, cancel and recover its jobs. A new kind (cache builds, batch inspection, …) is one
 * more declaration passed to `JobRunner.declare`.
 */
export interface JobKindDecl<I = unknown, R = unknown> {
  readonly kind: JobKind;
  readonly execution: JobExecution;
  /** Whether an interrupted job can continue where it stopped (the job row says so). */
  readonly resumable: boolean;
  /** What `done`/`total` count, for listings and logs. */
  readonly progressUnit: 'files' | 'epochs' | 'items' | 'steps';
  /**
   * What cancel does: `abandon` stops a task at its next progress check and `cleanup` removes
   * what it wrote (its outputs are written atomically); `graceful` asks the driver to stop (a
   * trainer finishes its batch and checkpoints; an import finishes its in-flight files).
   */
  readonly cancel: 'abandon' | 'graceful';
  readonly crash: CrashPolicy;
  /** Removes what an unfinished job leaves (temp files, partial outputs); after cancel and crash. */
  cleanup?(job: Job): Promise<void>;
  /** Once at start-up, with this kind's unfinished jobs, before they are marked or resumed. */
  recover?(jobs: readonly Job[]): Promise<void> | void;
  /** Task kinds: the job leaves the queue and its worker starts. */
  started?(job: Job): void;
  /** Task kinds: records the end in the kind's own tables; returns the job's result. */
  finished?(job: Job, end: TaskEnd<R>, input: I): JobOutcome | null;
}
