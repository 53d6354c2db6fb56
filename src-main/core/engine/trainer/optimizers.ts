import * as tf from '@tensorflow/tfjs-core';
import type { ExperimentConfig } from '../../../../src-shared/contract/training.js';
import {
  ADAM_UPDATE,
  type AdamAttrs,
  SGD_UPDATE,
  type SgdAttrs,
} from '../backends/kernels/optimizer-update.js';

/** Everything an optimizer carries between steps, as plain numbers (checkpointed bit-exact). */
export interface OptimizerState {
  readonly name: 'adam' | 'sgd';
  /** Steps taken so far. */
  readonly step: number;
  /** Slot values per variable: Adam [m, v], SGD [momentum buffer]. */
  readonly slots: readonly Float32Array[];
}

const BETA1 = 0.9;
const BETA2 = 0.999;
const EPSILON = 1e-8;

/**
 * Adam and SGD with momentum, written out instead of tf.train's, for two reasons:
 * - exact resume: tf.train.adam rebuilds its β-powers with pow() in setWeights, which can differ
 *   in the last bit from the product it kept while training; here the bias corrections are
 *   computed from the step count in float64 each step, so a restored optimizer continues exactly;
 * - the learning rate is an argument of every step (the schedule changes it per epoch).
 * The update rules are PyTorch's (torch.optim.Adam, eps 1e-8; SGD: buf = μ·buf + g, w −= lr·buf),
 * so the benchmark against PyTorch compares like with like.
 * On wasm each variable's update is one kernel (AssayAdam / AssaySgd, backends/kernels/
 * optimizer-update.ts) computing the same float32 operations as the tf-op formula here, in the
 * same order, so both give the same bits; other backends run the tf ops.
 */
export class Optimizer {
  private step = 0;
  private readonly slots: tf.Variable[][];

  constructor(
    readonly name: 'adam' | 'sgd',
    private readonly momentum: number,
    private readonly vars: readonly tf.Variable[],
    /** Use the one-kernel update where the backend has it (false: always the tf ops). */
    private readonly fused = true,
  ) {
    const perVar = name === 'adam' ? 2 : momentum > 0 ? 1 : 0;
    this.slots = vars.map((v) =>
      Array.from({ length: perVar }, () => {
        const zeros = tf.zerosLike(v);
        const slot = tf.variable(zeros, false);
        zeros.dispose(); // the variable holds its own reference to the data
        return slot;
      }),
    );
  }

  static fromConfig(config: ExperimentConfig, vars: readonly tf.Variable[]): Optimizer {
    return new Optimizer(config.optimizer.name, config.optimizer.momentum, vars);
  }

  /** One update with gradients in `vars` order. Call inside tf.tidy. */
  apply(grads: readonly tf.Tensor[], lr: number): void {
    this.step++;
    const kernel = this.name === 'adam' ? ADAM_UPDATE : SGD_UPDATE;
    const fused =
      this.fused &&
      tf.getBackend() === 'wasm' &&
      tf.getKernel(kernel, 'wasm') !== undefined &&
      grads.every((g) => g.dtype === 'float32');
    if (this.name === 'adam') {
      const bc1 = 1 - BETA1 ** this.step;
      const bc2Sqrt = Math.sqrt(1 - BETA2 ** this.step);
      const stepSize = lr / bc1;
      this.vars.forEach((w, i) => {
        const g = grads[i] as tf.Tensor;
        const [m, v] = this.slots[i] as [tf.Variable, tf.Variable];
        if (fused) {
          const attrs: AdamAttrs = {
            b1: BETA1,
            c1: 1 - BETA1,
            b2: BETA2,
            c2: 1 - BETA2,
            bc2: bc2Sqrt,
            eps: EPSILON,
            lr: stepSize,
          };
          const [nw, nm, nv] = tf
            .engine()
            .runKernel(kernel, { w, g, m, v }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
          w.assign(nw as tf.Tensor);
          m.assign(nm as tf.Tensor);
          v.assign(nv as tf.Tensor);
          return;
        }
        m.assign(tf.add(tf.mul(m, BETA1), tf.mul(g, 1 - BETA1)));
        v.assign(tf.add(tf.mul(v, BETA2), tf.mul(tf.square(g), 1 - BETA2)));
        const denom = tf.add(tf.div(tf.sqrt(v), bc2Sqrt), EPSILON);
        w.assign(tf.sub(w, tf.mul(tf.div(m, denom), stepSize)));
      });
      return;
    }
    this.vars.forEach((w, i) => {
      const g = grads[i] as tf.Tensor;
      const buf = this.slots[i]?.[0];
      if (fused) {
        const attrs: SgdAttrs = { mu: this.momentum, lr, mode: !buf ? 0 : this.step === 1 ? 1 : 2 };
        const inputs: tf.NamedTensorMap = buf ? { w, g, buf } : { w, g };
        const [nw, nb] = tf
          .engine()
          .runKernel(kernel, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
        w.assign(nw as tf.Tensor);
        if (buf) buf.assign(nb as tf.Tensor);
        return;
      }
      let update: tf.Tensor = g;
      if (buf) {
        // PyTorch starts the buffer at the first gradient itself.
        buf.assign(this.step === 1 ? g : tf.add(tf.mul(buf, this.momentum), g));
        update = buf;
      }
      w.assign(tf.sub(w, tf.mul(update, lr)));
    });
  }

  getState(): OptimizerState {
    return {
      name: this.name,
      step: this.step,
      slots: this.slots.flat().map((s) => s.dataSync() as Float32Array),
    };
  }

  setState(state: OptimizerState): void {
    const flat = this.slots.flat();
    if (state.name !== this.name || state.slots.length !== flat.length) {
      throw new Error(
        `checkpoint holds ${state.name} state for ${state.slots.length} slots, the run needs ${this.name} with ${flat.length}`,
      );
    }
    flat.forEach((s, i) => {
      const data = state.slots[i] as Float32Array;
      if (data.length !== s.size) throw new Error('checkpoint optimizer slot has the wrong size');
      s.assign(tf.tensor(data, s.shape, 'float32'));
    });
    this.step = state.step;
  }

  dispose(): void {
    for (const s of this.slots.flat()) s.dispose();
  }
}
