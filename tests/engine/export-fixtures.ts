/**
 * Zoo models with non-trivial batch-norm statistics (a freshly built model's moving mean 0 and
 * variance 1 would make batch-norm folding look right by accident), seeded inputs, and the
 * layout helpers the ONNX parity tests share.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { Task } from '../../src-shared/contract/projects.js';
import type { ExperimentConfigInput } from '../../src-shared/contract/training.js';
import {
  audioInputOf,
  imageInputOf,
  resolveExperimentConfig,
} from '../../src-main/core/engine/config.js';
import { type ModelMeta, saveCheckpoint } from '../../src-main/core/engine/trainer/checkpoint.js';
import { Optimizer } from '../../src-main/core/engine/trainer/optimizers.js';
import { Prng } from '../../src-main/core/engine/data/prng.js';
import { buildModel } from '../../src-main/core/engine/zoo/index.js';
import { oracle, pythonWith, type Oracle } from '../helpers/oracle.js';

export interface ZooCase {
  readonly name: string;
  readonly task: Task;
  readonly config: ExperimentConfigInput;
  readonly inputShape: readonly number[];
  readonly outputs: number;
}

/** One case per zoo architecture, at small input sizes. */
export const ZOO_CASES: readonly ZooCase[] = [
  {
    name: 'small-cnn',
    task: 'classification',
    config: { architecture: 'small-cnn', dropout: 0.3 },
    inputShape: [24, 20, 3],
    outputs: 4,
  },
  {
    name: 'mobilenet-lite',
    task: 'classification',
    config: { architecture: 'mobilenet-lite', width_multiplier: 0.5, dropout: 0.2 },
    inputShape: [32, 32, 3],
    outputs: 3,
  },
  {
    name: 'audio-cnn',
    task: 'audio-classification',
    config: { architecture: 'audio-cnn' },
    inputShape: [50, 40, 1],
    outputs: 5,
  },
  {
    name: 'mlp',
    task: 'regression',
    config: { architecture: 'mlp', hidden_layers: [16, 8], dropout: 0.1 },
    inputShape: [7],
    outputs: 1,
  },
];

export function buildCase(c: ZooCase, seed = 11): tfl.Sequential {
  const config = resolveExperimentConfig(c.task, { ...c.config, seed });
  const target =
    c.task === 'regression'
      ? { inputShape: c.inputShape, outputs: c.outputs }
      : { inputShape: c.inputShape, numClasses: c.outputs };
  const model = buildModel(config, target);
  const prng = Prng.fromSeed(seed + 1);
  // Kernels keep their seeded Glorot values (random enough, and logits stay moderate so softmax
  // outputs are not saturated); biases and every batch-norm parameter become random too.
  const weights = model.weights.map((w) => {
    const name = w.originalName;
    const n = w.shape.reduce<number>((a, d) => a * (d ?? 1), 1);
    const draw = name.endsWith('moving_variance')
      ? (): number => prng.uniform(0.3, 2)
      : name.endsWith('gamma')
        ? (): number => prng.uniform(0.5, 1.5)
        : /(bias|beta|moving_mean)$/.test(name)
          ? (): number => prng.uniform(-0.3, 0.3)
          : null;
    return draw
      ? tf.tensor(Float32Array.from({ length: n }, draw), w.shape as number[])
      : w.read().clone();
  });
  model.setWeights(weights);
  tf.dispose(weights);
  return model;
}

export function randomInputs(count: number, shape: readonly number[], seed: number): Float32Array {
  const prng = Prng.fromSeed(seed);
  const n = count * shape.reduce((a, b) => a * b, 1);
  return Float32Array.from({ length: n }, () => prng.uniform(-1, 1));
}

/** [n, h, w, c] → [n, c, h, w]. */
export function nhwcToNchw(
  x: Float32Array,
  n: number,
  h: number,
  w: number,
  c: number,
): Float32Array {
  const out = new Float32Array(x.length);
  for (let b = 0; b < n; b++)
    for (let y = 0; y < h; y++)
      for (let xx = 0; xx < w; xx++)
        for (let ch = 0; ch < c; ch++)
          out[((b * c + ch) * h + y) * w + xx] = x[((b * h + y) * w + xx) * c + ch] as number;
  return out;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}

let checker: Oracle<string> | undefined;

/** The ONNX checker: a python with the `onnx` package (Debian python3-onnx, under /usr/bin/python3). */
export function onnxChecker(): Oracle<string> {
  checker ??= oracle('the ONNX checker (python3 with onnx)', 'apt-get install python3-onnx', () =>
    pythonWith('onnx'),
  );
  return checker;
}

/** Runs the ONNX checker (full_check: strict shape inference too); throws with its message. */
export function checkOnnx(python: string, file: string): void {
  execFileSync(
    python,
    [
      '-c',
      'import onnx,sys; onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True)',
      file,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
}

/**
 * Writes `<runDir>/checkpoints/{best,last}` with the trainer's own saveCheckpoint, for a zoo case
 * built by {@link buildCase}: what the exporters and the runtime read in production.
 */
export async function writeCheckpoint(
  runDir: string,
  c: ZooCase,
  meta: Partial<ModelMeta> = {},
): Promise<{ model: tfl.Sequential; meta: ModelMeta; root: string }> {
  const config = resolveExperimentConfig(c.task, { ...c.config, seed: 11 });
  const model = buildCase(c);
  const classes =
    c.task === 'regression' ? [] : Array.from({ length: c.outputs }, (_, i) => `class_${i}`);
  const features: ModelMeta['features'] =
    c.task === 'regression'
      ? {
          kind: 'table',
          columns: Array.from({ length: c.inputShape[0] as number }, (_, i) => `x${i}`),
          target: 'y',
        }
      : c.task === 'audio-classification'
        ? { kind: 'audio', input: audioInputOf(config.input) }
        : { kind: 'image', input: imageInputOf(config.input) };
  const full: ModelMeta = {
    task: c.task,
    architecture: config.architecture,
    classes,
    input_shape: c.inputShape,
    features,
    normalization: { mean: 0, std: 1 },
    target_normalization: c.task === 'regression' ? { mean: 2.5, std: 0.75 } : null,
    ...meta,
  };
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const optimizer = Optimizer.fromConfig(config, vars);
  const history = [
    {
      epoch: 1,
      loss: 0.9,
      lr: 0.001,
      duration_seconds: 1,
      samples_per_second: 100,
      val_loss: 0.8,
      val_accuracy: 0.7,
    },
  ];
  const root = path.join(runDir, 'checkpoints');
  await saveCheckpoint(root, ['best', 'last'], model, optimizer, {
    run_id: 'run-0000abcd',
    config,
    meta: full,
    epochs_completed: 1,
    partial: null,
    lr_schedule: { epoch: 0, learning_rate: 0.001 },
    early_stopping: { metric: 'val_loss', value: 0.8, epoch: 1, wait: 0 },
    best: { metric: 'val_loss', value: 0.8, epoch: 1 },
    prng: Prng.fromSeed(1).state(),
    history,
    finished: 'finished',
  });
  optimizer.dispose();
  return { model, meta: full, root };
}
