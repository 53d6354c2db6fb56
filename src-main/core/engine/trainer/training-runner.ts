import { Worker } from 'node:worker_threads';
import type { Task } from '../../../../src-shared/contract/projects.js';
import type {
  EpochMetrics,
  ExperimentConfig,
  RunProgress,
} from '../../../../src-shared/contract/training.js';
import type { WorkerCommand } from './training-worker.js';

export interface TrainItem {
  /** Content hash of the item's file: names its cached features. */
  readonly key: string;
  /** Absolute path of the item's blob. */
  readonly path: string;
  readonly label: number;
}

export type TrainData =
  | {
      readonly kind: 'items';
      readonly mediaKind: 'image' | 'audio';
      readonly train: readonly TrainItem[];
      readonly val: readonly TrainItem[];
    }
  /** Regression: the split's ratios+seed applied to the rows of the project's tables (concatenated in filename order). */
  | {
      readonly kind: 'table';
      readonly tables: readonly string[];
      readonly targetColumn: string | null;
      readonly ratios: { readonly train: number; readonly val: number; readonly test: number };
      readonly seed: number;
    };

export interface TrainJob {
  readonly runId: string;
  /** Absolute; checkpoints under runDir/checkpoints/{best,last}. */
  readonly runDir: string;
  /** Absolute; <projectDir>/cache/features. */
  readonly cacheDir: string;
  /** The workspace's converted pretrained models; derived from cacheDir when absent. */
  readonly modelCacheDir?: string;
  readonly task: Task;
  /** Empty for regression. */
  readonly classes: readonly string[];
  readonly config: ExperimentConfig;
  readonly data: TrainData;
  /** Continue from runDir/checkpoints/last. */
  readonly resume: boolean;
}

export type TrainerEvent =
  | { type: 'started'; backend: string; device: string; resumedFromEpoch: number }
  | { type: 'progress'; progress: RunProgress }
  /** Sent only after this epoch's checkpoints are durable. */
  | { type: 'epoch'; metrics: EpochMetrics; isBest: boolean }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string }
  | { type: 'completed'; reason: 'finished' | 'early_stopped'; message: string }
  | { type: 'stopped' }
  | { type: 'failed'; message: string };

export interface TrainingHandle {
  /** Graceful: the current batch finishes, `last` is checkpointed, then `stopped` is emitted. */
  stop(): void;
  /** Terminates the worker at once (a crash, for tests); nothing more is emitted. */
  kill(): Promise<void>;
  /** Settles (never rejects) once the worker has exited. */
  readonly done: Promise<void>;
}

/** Test hooks, never set by the app: make checkpoint writes fail as a full disk would. */
export interface TrainingTestOptions {
  /** The checkpoint written after this 1-based epoch fails with `code` (e.g. 'ENOSPC'). */
  readonly failCheckpointAtEpoch?: number;
  readonly failCode?: string;
}

const TERMINAL = new Set<TrainerEvent['type']>(['completed', 'stopped', 'failed']);

/**
 * Runs one training job in a worker thread and relays its events. Exactly one terminal event
 * (`completed`, `stopped` or `failed`) reaches `onEvent` unless `kill()` is called; a worker
 * that dies without one is reported as `failed`. `onEvent` throwing stops the worker and is
 * reported as `failed` too.
 */
export function startTraining(
  job: TrainJob,
  onEvent: (e: TrainerEvent) => void,
  testOptions: TrainingTestOptions = {},
): TrainingHandle {
  const worker = takeSpare() ?? spawnWorker();
  worker.postMessage({ type: 'job', job, testOptions } satisfies WorkerCommand);
  let open = true;
  let terminal = false;

  const deliver = (e: TrainerEvent): void => {
    if (!open || terminal) return;
    if (TERMINAL.has(e.type)) terminal = true;
    try {
      onEvent(e);
    } catch (err) {
      open = false;
      void worker.terminate();
      if (!terminal) {
        terminal = true;
        try {
          onEvent({
            type: 'failed',
            message: `training aborted: ${(err as Error).message}`,
          });
        } catch {
          /* the listener is broken; nothing more to tell it */
        }
      }
    }
  };

  worker.on('message', (e: TrainerEvent) => deliver(e));
  worker.on('error', (err) =>
    deliver({ type: 'failed', message: `training worker failed: ${err.message}` }),
  );
  const done = new Promise<void>((resolve) => {
    worker.once('exit', (code) => {
      if (!terminal) {
        deliver({
          type: 'failed',
          message: `training worker stopped unexpectedly (exit code ${code})`,
        });
      }
      open = false;
      resolve();
    });
  });

  return {
    done,
    stop() {
      if (open && !terminal) worker.postMessage({ type: 'stop' } satisfies WorkerCommand);
    },
    async kill() {
      open = false;
      await worker.terminate();
      await done;
    },
  };
}

/** Off switch for comparisons: `ASSAY_WARM_TRAINER=0` starts every run's thread cold. */
export const trainerWarmTuning = {
  enabled: process.env['ASSAY_WARM_TRAINER'] !== '0',
  /** A spare nobody takes is ended after this long. */
  idleMs: 10 * 60_000,
};

/** A trainer thread started ahead of its run, loading the trainer while nothing trains. */
let spare: { readonly worker: Worker; readonly timer: NodeJS.Timeout } | null = null;

/**
 * Starts a trainer thread for the next run, unless one is waiting already: tfjs, our kernels and
 * the wasm backend (~0.4 s of a core) load now instead of when the run is asked for. Each run
 * still has a thread of its own; the spare only starts earlier. It does not keep the process
 * alive, and ends when unused for `idleMs`, or on {@link releaseTrainer}.
 */
export function prewarmTrainer(): void {
  if (spare || !trainerWarmTuning.enabled) return;
  const worker = spawnWorker();
  worker.unref();
  const timer = setTimeout(() => void releaseTrainer(), trainerWarmTuning.idleMs);
  timer.unref();
  const mine = { worker, timer };
  const gone = (): void => {
    if (spare !== mine) return;
    clearTimeout(timer);
    spare = null;
  };
  worker.once('exit', gone);
  worker.once('error', gone);
  spare = mine;
}

/** Whether a spare thread is waiting for the next run. */
export const hasSpareTrainer = (): boolean => spare !== null;

/** Ends the waiting spare thread, if any. */
export async function releaseTrainer(): Promise<void> {
  const s = spare;
  spare = null;
  if (!s) return;
  clearTimeout(s.timer);
  await s.worker.terminate();
}

/** The spare thread for a run that starts now, or null when there is none (or it died). */
function takeSpare(): Worker | null {
  const s = spare;
  spare = null;
  if (!s) return null;
  clearTimeout(s.timer);
  s.worker.removeAllListeners();
  if (s.worker.threadId < 0) return null;
  s.worker.ref();
  return s.worker;
}

startTraining.prewarm = prewarmTrainer;
startTraining.release = releaseTrainer;

/**
 * The worker file beside this one: `.js` from dist. From sources (vitest, tsx) it is `.ts`, and
 * Node 20 ignores `--import tsx` in a Worker's execArgv, so a tiny eval'd bootstrap registers
 * tsx's loader inside the thread first (as core/jobs/import-runner.ts does).
 */
function spawnWorker(): Worker {
  if (!import.meta.url.endsWith('.ts')) {
    return new Worker(new URL('./training-worker.js', import.meta.url));
  }
  const entry = new URL('./training-worker.ts', import.meta.url).href;
  let tsxApi = 'tsx/esm/api';
  try {
    tsxApi = import.meta.resolve('tsx/esm/api');
  } catch {
    /* fall back to a bare specifier */
  }
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { eval: true });
}
