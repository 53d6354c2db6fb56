/** Builds jobs over generated data and runs them in this thread or in the worker. */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { Task } from '../../src-shared/contract/projects.js';
import type { ExperimentConfigInput } from '../../src-shared/contract/training.js';
import { mediaOfTask, resolveExperimentConfig } from '../../src-main/core/engine/config.js';
import { checkpointTuning, runTraining } from '../../src-main/core/engine/trainer/run-training.js';
import type {
  TrainData,
  TrainerEvent,
  TrainItem,
  TrainJob,
  TrainingTestOptions,
} from '../../src-main/core/engine/trainer/training-runner.js';

export function splitItems(
  items: readonly TrainItem[],
  perClass: number,
  trainPerClass: number,
): TrainData {
  const train = items.filter((_, i) => i % perClass < trainPerClass);
  const val = items.filter((_, i) => i % perClass >= trainPerClass);
  const mediaKind = items[0]?.path.endsWith('.wav') ? 'audio' : 'image';
  return { kind: 'items', mediaKind, train, val };
}

export function makeJob(
  dir: string,
  task: Task,
  data: TrainData,
  input: ExperimentConfigInput,
  extra: Partial<TrainJob> = {},
): TrainJob {
  return {
    runId: 'run-0000abcd',
    runDir: path.join(dir, 'run'),
    cacheDir: path.join(dir, 'cache'),
    task,
    classes: task === 'regression' ? [] : ['a', 'b', 'c'],
    // These tests train networks from scratch: images default to small-cnn here, not to the
    // product's default (mobilenet-v2-transfer, tested in tests/api/transfer-training.test.ts).
    config: resolveExperimentConfig(task, {
      backend: 'wasm',
      ...(mediaOfTask(task) === 'image' ? { architecture: 'small-cnn' as const } : {}),
      ...input,
    }),
    data,
    resume: false,
    ...extra,
  };
}

/**
 * Runs a job in this thread (the worker's own code path minus the thread). `stopAfter` asks for a
 * graceful stop once `epochs` epochs were announced in this call, plus `batches` batches of the
 * next epoch (0: right after that epoch's checkpoint, at the loop's between-epochs check).
 * Those positions hold when each checkpoint is written before training goes on, so a run with
 * `stopAfter` has pipelined checkpoints off unless `pipelined` says otherwise (with them, an
 * epoch is announced while the next one trains, and the stop lands wherever that is).
 * `onEvent` sees each event as it is emitted.
 */
export async function runInline(
  job: TrainJob,
  opts: {
    stopAfter?: { epochs: number; batches: number };
    testOptions?: TrainingTestOptions;
    pipelined?: boolean;
    onEvent?: (e: TrainerEvent) => void;
  } = {},
): Promise<TrainerEvent[]> {
  const events: TrainerEvent[] = [];
  let polls = 0;
  const stop = opts.stopAfter;
  const before = checkpointTuning.pipelined;
  checkpointTuning.pipelined = opts.pipelined ?? (stop === undefined && before);
  try {
    await runTraining(job, {
      emit: (e) => {
        events.push(e);
        opts.onEvent?.(e);
      },
      stopRequested: () => {
        if (!stop || epochs(events).length < stop.epochs) return false;
        // Poll 1 after the epoch is the between-epochs check, poll 2 precedes the next batch 1, …
        return ++polls >= (stop.batches === 0 ? 1 : stop.batches + 2);
      },
      testOptions: opts.testOptions ?? {},
    });
  } finally {
    checkpointTuning.pipelined = before;
  }
  return events;
}

export const started = (events: readonly TrainerEvent[]) =>
  events.find((e) => e.type === 'started');

export const terminal = (events: readonly TrainerEvent[]): TrainerEvent | undefined =>
  events.find((e) => e.type === 'completed' || e.type === 'stopped' || e.type === 'failed');

export const epochs = (events: readonly TrainerEvent[]) =>
  events.flatMap((e) => (e.type === 'epoch' ? [e.metrics] : []));

export const checkpointFile = (
  job: TrainJob,
  which: 'best' | 'last',
  file: string,
): Promise<Buffer> => readFile(path.join(job.runDir, 'checkpoints', which, file));

export async function checkpointState(job: TrainJob, which: 'best' | 'last' = 'last') {
  return JSON.parse((await checkpointFile(job, which, 'state.json')).toString('utf8')) as {
    epochs_completed: number;
    partial: { epoch: number; batch: number } | null;
    history: Record<string, number | null>[];
    meta: {
      classes: string[];
      input_shape: number[];
      normalization: unknown;
      target_normalization: unknown;
    };
  };
}

/** Training metrics without the wall-clock fields. */
export const learned = (m: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(m).filter(([k]) => k !== 'duration_seconds' && k !== 'samples_per_second'),
  );
