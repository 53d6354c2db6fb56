/**
 * Where the regression benchmark's training time goes (issue 5): the MLP of
 * bench/regression-friedman.mjs ([5] → 64 → 32 → 1, Adam, batch 200, 3500 training and 750
 * validation rows of random data) on wasm, one epoch's pieces timed separately — gathering the
 * batch, tfjs' forward+gradients, our Adam update via tf ops, the fused stepper's whole step,
 * and validation (tfjs and fused) — as ms per step and seconds per 100 epochs.
 *
 *   node --import tsx bench/profile-mlp-step.ts [--epochs 20] [--batch 200] [--hidden 64,32]
 */
import * as tf from '@tensorflow/tfjs-core';
import { parseArgs } from 'node:util';
import { selectBackend } from '../src-main/core/engine/backends/index.js';
import { resolveExperimentConfig } from '../src-main/core/engine/config.js';
import {
  batchCount,
  type Dataset,
  epochOrder,
  makeBatch,
} from '../src-main/core/engine/data/batches.js';
import { Prng } from '../src-main/core/engine/data/prng.js';
import { Optimizer } from '../src-main/core/engine/trainer/optimizers.js';
import { evaluate, gradients, type StepModel } from '../src-main/core/engine/trainer/step.js';
import { createStepper } from '../src-main/core/engine/trainer/stepper.js';
import { buildModel } from '../src-main/core/engine/zoo/index.js';

const { values } = parseArgs({
  options: {
    epochs: { type: 'string', default: '20' },
    batch: { type: 'string', default: '200' },
    hidden: { type: 'string', default: '64,32' },
  },
});
const epochs = Number(values.epochs);
const bs = Number(values.batch);
const hidden = values.hidden.split(',').map(Number);
const FEATURES = 5;
tf.env().set('PROD', true);
await selectBackend('wasm', 'cpu');

function table(n: number, prng: Prng): Dataset {
  const x = Float32Array.from({ length: n * FEATURES }, () => prng.normal());
  const y = Float32Array.from({ length: n }, () => prng.normal());
  return { x, y, n, sampleSize: FEATURES };
}
const prng = Prng.fromSeed(1);
const train = table(3500, prng);
const val = table(750, prng);
const config = resolveExperimentConfig('regression', {
  hidden_layers: hidden,
  batch_size: bs,
  epochs,
  dropout: 0,
  optimizer: { name: 'adam', learning_rate: 1e-3 },
});
const target = { inputShape: [FEATURES], outputs: 1 };

function setup(): { step: StepModel; optimizer: Optimizer } {
  const model = buildModel(config, target);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const step: StepModel = {
    model,
    vars,
    inputShape: [FEATURES],
    head: 'regression',
    numClasses: 0,
    classWeights: null,
  };
  return { step, optimizer: Optimizer.fromConfig(config, vars) };
}

const batches = batchCount(train.n, bs);
const steps = epochs * batches;
const t = { batch: 0, grads: 0, adam: 0, fused: 0, val: 0, fusedVal: 0 };
const now = (): number => performance.now();

// tfjs: gradients and our Adam via tf ops, timed apart.
{
  const { step, optimizer } = setup();
  for (let e = 0; e < epochs; e++) {
    const order = epochOrder(train.n, prng);
    for (let b = 0; b < batches; b++) {
      let t0 = now();
      const batch = makeBatch(train, order.slice(b * bs, (b + 1) * bs));
      t.batch += now() - t0;
      t0 = now();
      const { grads } = gradients(step, batch, prng);
      t.grads += now() - t0;
      t0 = now();
      tf.tidy(() => optimizer.apply(grads, 1e-3));
      tf.dispose(grads);
      t.adam += now() - t0;
    }
    const t0 = now();
    evaluate(step, val, bs, null);
    t.val += now() - t0;
  }
  step.model.dispose();
  optimizer.dispose();
}

// The stepper createStepper picks for this config (the fused MLP one where it applies).
{
  const { step, optimizer } = setup();
  const stepper = await createStepper({
    step,
    optimizer,
    config,
    target,
    classWeights: null,
    backend: 'wasm',
    maxBatch: bs,
    log: (_l, m) => console.log(m),
  });
  for (let e = 0; e < epochs; e++) {
    const order = epochOrder(train.n, prng);
    for (let b = 0; b < batches; b++) {
      const batch = makeBatch(train, order.slice(b * bs, (b + 1) * bs));
      const t0 = now();
      await stepper.step(batch, 1e-3, prng);
      t.fused += now() - t0;
    }
    const t0 = now();
    if (stepper.evaluate) stepper.evaluate(val, bs, null);
    else evaluate(step, val, bs, null);
    t.fusedVal += now() - t0;
  }
  await stepper.close();
}

const per = (ms: number, n: number): string => (ms / n).toFixed(3);
const per100 = (ms: number): string => (((ms / epochs) * 100) / 1000).toFixed(3);
console.log(
  `mlp [${FEATURES}, ${hidden}, 1], batch ${bs}, ${batches} steps per epoch, ${epochs} epochs`,
);
console.log('piece                       ms/step   s per 100 epochs');
const row = (name: string, ms: number, n = steps): void =>
  console.log(`${name.padEnd(28)}${per(ms, n).padStart(7)}   ${per100(ms).padStart(8)}`);
row('makeBatch', t.batch);
row('tfjs forward+gradients', t.grads);
row('Adam via tf ops', t.adam);
row('createStepper().step', t.fused);
row('validation, tfjs (/epoch)', t.val, epochs);
row('validation, stepper (/epoch)', t.fusedVal, epochs);
