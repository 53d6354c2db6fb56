import * as tf from '@tensorflow/tfjs-core';
import { DataParallel } from '../backends/index.js';
import type { Batch, Dataset, Normalization } from '../data/batches.js';
import { Prng } from '../data/prng.js';
import { fusedMlpStepper } from './fused-mlp/fused-mlp-stepper.js';
import type { Optimizer } from './optimizers.js';
import { gradients, type StepModel, trainStep } from './step.js';
import type { ModelTarget } from '../zoo/index.js';
import type { ExperimentConfig } from '../../../../src-shared/contract/training.js';

/** One optimisation step per batch, on this thread or spread over data-parallel helpers. */
export interface Stepper {
  readonly threads: number;
  /** Applies one update; returns the batch's metric sums. */
  step(batch: Batch, lr: number, prng: Prng): Promise<Float32Array>;
  /**
   * Steppers that keep the weights and optimizer slots elsewhere write them back into the tf
   * variables and the Optimizer; called before anything reads those (checkpoint, evaluation).
   */
  sync?(): void;
  /** Validation sums as step.ts `evaluate` gives them, where the stepper computes them itself. */
  evaluate?(ds: Dataset, batchSize: number, normalization: Normalization | null): Float64Array;
  close(): Promise<void>;
}

export interface StepperOptions {
  readonly step: StepModel;
  readonly optimizer: Optimizer;
  readonly config: ExperimentConfig;
  readonly target: ModelTarget;
  readonly classWeights: readonly number[] | null;
  readonly backend: string;
  readonly maxBatch: number;
  readonly log: (level: 'info' | 'warn', message: string) => void;
}

/** Backends whose kernels use one core each: only they gain from helper threads. */
const SINGLE_CORE_BACKENDS = new Set(['wasm', 'cpu']);

/**
 * The step function for a run. The zoo's MLP regressor on one thread of wasm/cpu gets the fused
 * stepper (fused-mlp/), which computes the whole step in our own SIMD code. With `threads` > 1
 * on wasm/cpu, `threads − 1` helper threads (backends/data-parallel.ts) each compute the
 * gradients of a contiguous part of every batch; the training thread combines them in a fixed
 * order and applies the update, so checkpoints and resume are unchanged and a run is
 * deterministic for a given thread count (not equal to its one-thread twin: summation order,
 * per-part dropout seeds and batch-norm statistics differ). Helpers that fail to start leave the run on one thread, with a warning.
 */
export async function createStepper(o: StepperOptions): Promise<Stepper> {
  const single: Stepper = {
    threads: 1,
    step: async (batch, lr, prng) => trainStep(o.step, o.optimizer, batch, lr, prng),
    close: async () => undefined,
  };
  const threads = o.config.threads;
  if (threads <= 1 && SINGLE_CORE_BACKENDS.has(o.backend)) {
    const fused = fusedMlpStepper(o);
    if (fused) return fused;
  }
  if (threads <= 1) return single;
  if (!SINGLE_CORE_BACKENDS.has(o.backend)) {
    o.log('info', `threads=${threads} ignored: the ${o.backend} backend uses every core itself`);
    return single;
  }
  const args = { config: o.config, target: o.target, classWeights: o.classWeights };
  let dp: DataParallel;
  try {
    dp = await DataParallel.start({
      threads,
      backend: o.backend as 'wasm' | 'cpu',
      local: {
        vars: o.step.vars,
        inputShape: o.step.inputShape,
        gradients: localGradients(o.step),
      },
      replica: { module: replicaModule(), args },
      maxBatch: o.maxBatch,
    });
  } catch (err) {
    o.log(
      'warn',
      `data-parallel helpers did not start (${(err as Error).message}); training on one thread`,
    );
    return single;
  }
  o.log('info', `data-parallel training on ${threads} threads`);
  return {
    threads,
    async step(batch, lr, prng) {
      const seeds = Array.from({ length: threads }, () => prng.seed());
      const { grads, sums } = await dp.gradients(batch, seeds);
      try {
        tf.tidy(() => o.optimizer.apply(grads, lr));
      } finally {
        tf.dispose(grads);
      }
      return sums;
    },
    close: () => dp.close(),
  };
}

/** The training thread's own part, computed as a helper's replica computes its part. */
function localGradients(s: StepModel) {
  return (part: Batch, seed: number) => gradients(s, part, Prng.fromSeed(seed >>> 0));
}

/** backends/zoo-replica: `.js` beside the built files, `.ts` when running from sources. */
function replicaModule(): string {
  const ext = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
  return new URL(`../backends/zoo-replica.${ext}`, import.meta.url).href;
}
