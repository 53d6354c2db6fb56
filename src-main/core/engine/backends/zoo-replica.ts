/**
 * A data-parallel replica of a zoo model (see data-parallel.ts): the helper thread builds the same
 * architecture with `buildModel` and computes the same loss the trainer's step does — mean
 * (class-weighted) softmax cross-entropy on the logits for classifiers, mean squared error for
 * regressors — with metric sums [Σ loss, Σ correct] or [Σ squared error, Σ |error|].
 * Variables are `model.trainableWeights` in order, as the trainer lists them.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { ExperimentConfig } from '../../../../src-shared/contract/training.js';
import { Prng } from '../data/prng.js';
import { forward } from '../trainer/step.js';
import { buildModel, type ModelTarget } from '../zoo/index.js';
import type { PartBatch, Replica } from './replica.js';

export interface ZooReplicaArgs {
  readonly config: ExperimentConfig;
  readonly target: ModelTarget;
  /** Per class (classifiers), or null. */
  readonly classWeights: readonly number[] | null;
}

export interface ZooReplica extends Replica {
  readonly model: tfl.LayersModel;
}

export function createReplica(args: ZooReplicaArgs): ZooReplica {
  const model = buildModel(args.config, args.target);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const inputShape = args.target.inputShape;
  const classes = 'numClasses' in args.target ? args.target.numClasses : 0;
  const weights = args.classWeights ? tf.tensor1d([...args.classWeights]) : null;

  const gradients = (part: PartBatch, seed: number) => {
    let sums: tf.Tensor | null = null;
    const grads = tf.tidy(() => {
      const xs = tf.tensor(part.x, [part.size, ...inputShape], 'float32');
      const { grads: g } = tf.variableGrads(() => {
        const out = forward(model, xs, true, Prng.fromSeed(seed >>> 0));
        let loss: tf.Scalar;
        if (classes > 0) {
          const labels = tf.tensor1d(Int32Array.from(part.y), 'int32');
          let ce: tf.Tensor = tf.neg(
            tf.sum(tf.mul(tf.oneHot(labels, classes), tf.logSoftmax(out)), 1),
          );
          if (weights) ce = tf.mul(ce, tf.gather(weights, labels));
          loss = tf.mean(ce) as tf.Scalar;
          const correct = tf.sum(tf.cast(tf.equal(tf.argMax(out, 1), labels), 'float32'));
          sums = tf.keep(tf.stack([tf.sum(ce), correct]));
        } else {
          const err = tf.sub(out, tf.tensor2d(part.y, [part.size, 1]));
          const sq = tf.square(err);
          loss = tf.mean(sq) as tf.Scalar;
          sums = tf.keep(tf.stack([tf.sum(sq), tf.sum(tf.abs(err))]));
        }
        return loss;
      }, vars);
      return vars.map((v) => {
        const gv = g[v.name];
        if (!gv) throw new Error(`no gradient for ${v.name}`);
        return tf.keep(gv);
      });
    });
    const kept = sums as tf.Tensor | null;
    if (!kept) throw new Error('no metric sums');
    const values = Float32Array.from(kept.dataSync());
    kept.dispose();
    return { grads, sums: values };
  };

  return { model, vars, inputShape, gradients };
}
