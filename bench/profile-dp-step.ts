/**
 * Where a data-parallel small-cnn training step's time goes on wasm: the training thread's own
 * part, combining gradients, waiting for the helpers, the optimizer update and publishing weights,
 * in ms per step (batch 64, 28×28×1, Adam), next to the same model's optimizer update alone.
 *
 *   node --import tsx bench/profile-dp-step.ts [--steps 100] [--threads 2] [--share 0.5]
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import { parseArgs } from 'node:util';
import { DataParallel, selectBackend } from '../src-main/core/engine/backends/index.js';
import { createReplica } from '../src-main/core/engine/backends/zoo-replica.js';
import { resolveExperimentConfig } from '../src-main/core/engine/config.js';
import { Optimizer } from '../src-main/core/engine/trainer/optimizers.js';

const { values } = parseArgs({
  options: {
    steps: { type: 'string', default: '100' },
    threads: { type: 'string', default: '2' },
    share: { type: 'string' },
    batch: { type: 'string', default: '64' },
  },
});
const steps = Number(values.steps);
const threads = Number(values.threads);
const batch = Number(values.batch);
const size = 28;
tf.env().set('PROD', true);
await selectBackend('wasm', 'cpu');
const config = resolveExperimentConfig('classification', {
  architecture: 'small-cnn',
  input: { width: size, height: size, channels: 1 },
  dropout: 0,
  batch_size: batch,
  epochs: 1,
  seed: 1,
  optimizer: { name: 'adam', learning_rate: 0.001 },
});
const args = {
  config,
  target: { inputShape: [size, size, 1], numClasses: 10 },
  classWeights: null,
};
const local = createReplica(args);
const optimizer = Optimizer.fromConfig(config, local.vars);
const dp = await DataParallel.start({
  threads,
  backend: 'wasm',
  local,
  replica: {
    module: new URL('../src-main/core/engine/backends/zoo-replica.ts', import.meta.url).href,
    args,
  },
  maxBatch: batch,
  ...(values.share ? { localShare: Number(values.share) } : {}),
});
const x = new Float32Array(batch * size * size).map(() => Math.random());
const y = Float32Array.from({ length: batch }, (_, i) => i % 10);
let applyMs = 0;
async function step(): Promise<void> {
  const { grads } = await dp.gradients({ x, y, size: batch }, [1, 2, 3, 4]);
  const t0 = performance.now();
  tf.tidy(() => optimizer.apply(grads, 0.001));
  applyMs += performance.now() - t0;
  tf.dispose(grads);
}
for (let i = 0; i < 10; i++) await step();
const t = dp.timings;
for (const k of Object.keys(t) as (keyof typeof t)[]) t[k] = 0;
applyMs = 0;
const t0 = performance.now();
for (let i = 0; i < steps; i++) await step();
const wall = (performance.now() - t0) / steps;
const per = (v: number) => (v / steps).toFixed(2).padStart(6);
console.log(`${threads} threads, params ${local.vars.reduce((a, v) => a + v.size, 0)}`);
console.log(`step          ${per(wall * steps)} ms`);
console.log(`publish       ${per(t.publish)} ms`);
console.log(`local part    ${per(t.local)} ms`);
console.log(`combine own   ${per(t.combineLocal)} ms`);
console.log(`wait helpers  ${per(t.wait)} ms`);
console.log(`combine helps ${per(t.combineHelpers)} ms`);
console.log(`to tensors    ${per(t.toTensors)} ms`);
console.log(`optimizer     ${per(applyMs)} ms`);
await dp.close();

// The update alone, on this thread.
const grads = local.vars.map((v) => tf.randomNormal(v.shape, 0, 0.01));
for (let i = 0; i < 10; i++) tf.tidy(() => optimizer.apply(grads, 0.001));
const t2 = performance.now();
for (let i = 0; i < steps; i++) tf.tidy(() => optimizer.apply(grads, 0.001));
console.log(`optimizer alone ${per(performance.now() - t2)} ms`);
