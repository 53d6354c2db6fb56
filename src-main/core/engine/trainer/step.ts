import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { type Batch, type Dataset, type Normalization, makeBatch } from '../data/batches.js';
import type { Prng } from '../data/prng.js';
import { PROBS_LAYER } from '../zoo/index.js';
import type { Optimizer } from './optimizers.js';

export type Head = 'classification' | 'regression';

export interface StepModel {
  readonly model: tfl.LayersModel;
  readonly vars: readonly tf.Variable[];
  readonly inputShape: readonly number[];
  readonly head: Head;
  readonly numClasses: number;
  /** Per class, multiplies each sample's loss in training (not in validation, as Keras). */
  readonly classWeights: tf.Tensor1D | null;
}

/**
 * The model applied layer by layer, stopping before the `probs` softmax (the losses take
 * logits, which is stabler than the log of a softmax). Dropout draws its mask from the run's
 * PRNG, not from tf's unseeded default, so a seed gives the same run twice and a resumed run
 * the same masks an uninterrupted one would have drawn.
 */
export function forward(
  model: tfl.LayersModel,
  x: tf.Tensor,
  training: boolean,
  prng?: Prng,
): tf.Tensor {
  let h = x;
  for (const layer of model.layers) {
    if (layer.name === PROBS_LAYER) break;
    if (layer.getClassName() === 'Dropout') {
      const rate = Number(layer.getConfig()['rate'] ?? 0);
      if (training && rate > 0 && prng) {
        const keep = tf.greaterEqual(tf.randomUniform(h.shape, 0, 1, 'float32', prng.seed()), rate);
        h = tf.div(tf.mul(h, tf.cast(keep, 'float32')), 1 - rate);
      }
      continue;
    }
    h = layer.apply(h, { training }) as tf.Tensor;
  }
  return h;
}

/**
 * Per-batch sums the epoch metrics are built from. Classification: [Σ loss, Σ correct];
 * regression (in standardised target units): [Σ squared error, Σ absolute error].
 */
function sums(
  s: StepModel,
  out: tf.Tensor,
  y: Float32Array,
  n: number,
  weighted: boolean,
): { loss: tf.Scalar; sums: tf.Tensor1D } {
  if (s.head === 'classification') {
    const labels = tf.tensor1d(Int32Array.from(y), 'int32');
    const logp = tf.logSoftmax(out);
    let ce: tf.Tensor = tf.neg(tf.sum(tf.mul(tf.oneHot(labels, s.numClasses), logp), 1));
    if (weighted && s.classWeights) ce = tf.mul(ce, tf.gather(s.classWeights, labels));
    const loss = tf.mean(ce) as tf.Scalar;
    const correct = tf.sum(tf.cast(tf.equal(tf.argMax(out, 1), labels), 'float32'));
    return { loss, sums: tf.stack([tf.sum(ce), correct]) as tf.Tensor1D };
  }
  const err = tf.sub(out, tf.tensor2d(y, [n, 1]));
  const sq = tf.square(err);
  return {
    loss: tf.mean(sq) as tf.Scalar,
    sums: tf.stack([tf.sum(sq), tf.sum(tf.abs(err))]) as tf.Tensor1D,
  };
}

/**
 * Gradients of the batch's mean (class-weighted) loss, in `s.vars` order (the caller disposes
 * them), and its metric sums, read back.
 */
export function gradients(
  s: StepModel,
  batch: Batch,
  prng: Prng,
): { grads: tf.Tensor[]; sums: Float32Array } {
  let kept: tf.Tensor | null = null;
  const grads = tf.tidy(() => {
    const xs = tf.tensor(batch.x, [batch.size, ...s.inputShape], 'float32');
    const { grads: g } = tf.variableGrads(() => {
      const r = sums(s, forward(s.model, xs, true, prng), batch.y, batch.size, true);
      kept = tf.keep(r.sums);
      return r.loss;
    }, [...s.vars]);
    return s.vars.map((v) => {
      const gv = g[v.name];
      if (!gv) throw new Error(`no gradient for ${v.name}`);
      return tf.keep(gv);
    });
  });
  const t = kept as tf.Tensor | null;
  if (!t) throw new Error('training step produced no metrics');
  const out = Float32Array.from(t.dataSync());
  t.dispose();
  return { grads, sums: out };
}

/** One optimisation step on a batch; returns its metric sums. */
export function trainStep(
  s: StepModel,
  optimizer: Optimizer,
  batch: Batch,
  lr: number,
  prng: Prng,
): Float32Array {
  const { grads, sums: out } = gradients(s, batch, prng);
  try {
    tf.tidy(() => optimizer.apply(grads, lr));
  } finally {
    tf.dispose(grads);
  }
  return out;
}

/** Metric sums over a whole dataset in inference mode (no augmentation, no dropout). */
export function evaluate(
  s: StepModel,
  ds: Dataset,
  batchSize: number,
  normalization: Normalization | null,
): Float64Array {
  const total = new Float64Array(2);
  for (let start = 0; start < ds.n; start += batchSize) {
    const idx = Array.from({ length: Math.min(batchSize, ds.n - start) }, (_, i) => start + i);
    const batch = makeBatch(ds, idx, { normalization });
    const r = tf.tidy(() => {
      const xs = tf.tensor(batch.x, [batch.size, ...s.inputShape], 'float32');
      return sums(s, forward(s.model, xs, false), batch.y, batch.size, false).sums;
    });
    const v = r.dataSync();
    r.dispose();
    total[0] = (total[0] as number) + (v[0] as number);
    total[1] = (total[1] as number) + (v[1] as number);
  }
  return total;
}

/** Samples used to re-estimate batch-norm statistics after an epoch. */
const RECALIBRATION_SAMPLES = 1024;

/**
 * Re-estimates every BatchNormalization layer's moving mean and variance under the epoch's final
 * weights ("precise BN"): a forward pass in training mode, without augmentation, dropout or
 * gradients, over up to 1024 training samples in this epoch's order, averaging the batch
 * statistics (momentum 1 − 1/i on the i-th batch). Exponential moving averages lag far behind
 * on the few hundred steps small datasets give: with Adam the weights move faster than the
 * averages follow, and a model at 99 % training accuracy validated at chance. Deterministic: it
 * draws no random numbers.
 */
export function recalibrateBatchNorm(
  s: StepModel,
  ds: Dataset,
  order: readonly number[],
  batchSize: number,
  normalization: Normalization | null,
): void {
  // tfjs-layers reads `momentum` at every call; its typings mark it private.
  const layers = s.model.layers.filter(
    (l) => l.getClassName() === 'BatchNormalization',
  ) as unknown as {
    momentum: number;
  }[];
  if (layers.length === 0) return;
  const saved = layers.map((l) => l.momentum);
  const idx = order.slice(0, Math.min(RECALIBRATION_SAMPLES, order.length));
  try {
    for (let start = 0, i = 1; start < idx.length; start += batchSize, i++) {
      for (const l of layers) l.momentum = 1 - 1 / i;
      const batch = makeBatch(ds, idx.slice(start, start + batchSize), { normalization });
      tf.tidy(() => {
        forward(s.model, tf.tensor(batch.x, [batch.size, ...s.inputShape], 'float32'), true);
      });
    }
  } finally {
    layers.forEach((l, i) => (l.momentum = saved[i] as number));
  }
}

/** Keras-named metrics from sums over n samples. */
export function metricsOf(
  head: Head,
  prefix: '' | 'val_',
  sum: ArrayLike<number>,
  n: number,
  targetStd: number,
): Record<string, number> {
  const a = (sum[0] as number) / n;
  const b = (sum[1] as number) / n;
  if (head === 'classification') return { [`${prefix}loss`]: a, [`${prefix}accuracy`]: b };
  // Trained on the standardised target; reported in the target's own units.
  const mse = a * targetStd * targetStd;
  return { [`${prefix}loss`]: mse, [`${prefix}mae`]: b * targetStd, [`${prefix}mse`]: mse };
}
