/**
 * Where a small-cnn training step's time goes on wasm, per kernel: times every top-level kernel
 * call (a kernel calling another kernel counts once, under the outer name) over a number of
 * batch-64 steps of 28×28×1 inputs, gradients and our Adam update, and prints ms per step.
 *
 *   node --import tsx bench/profile-cnn-step.ts [--steps 60] [--batch 64] [--size 28] [--by-shape]
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import { parseArgs } from 'node:util';
import { selectBackend } from '../src-main/core/engine/backends/index.js';
import { createReplica } from '../src-main/core/engine/backends/zoo-replica.js';
import { resolveExperimentConfig } from '../src-main/core/engine/config.js';
import { Optimizer } from '../src-main/core/engine/trainer/optimizers.js';

const { values } = parseArgs({
  options: {
    steps: { type: 'string', default: '60' },
    batch: { type: 'string', default: '64' },
    size: { type: 'string', default: '28' },
    'by-shape': { type: 'boolean', default: false },
  },
});
const steps = Number(values.steps);
const batch = Number(values.batch);
const size = Number(values.size);
const byShape = values['by-shape'];
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
const local = createReplica({
  config,
  target: { inputShape: [size, size, 1], numClasses: 10 },
  classWeights: null,
});
const optimizer = Optimizer.fromConfig(config, local.vars);

const totals = new Map<string, { ms: number; calls: number }>();
let depth = 0;
let timing = false;
for (const k of tf.getKernelsForBackend('wasm')) {
  const inner = k.kernelFunc;
  (k as { kernelFunc: tf.KernelFunc }).kernelFunc = ((args: Parameters<tf.KernelFunc>[0]) => {
    if (!timing || depth > 0) return inner(args);
    depth++;
    const t0 = performance.now();
    try {
      return inner(args);
    } finally {
      depth--;
      const key = byShape
        ? `${k.kernelName} ${Object.values(args.inputs)
            .map((t) => (t ? `[${t.shape.join(',')}]` : '-'))
            .join(' ')}`
        : k.kernelName;
      const t = totals.get(key) ?? { ms: 0, calls: 0 };
      t.ms += performance.now() - t0;
      t.calls++;
      totals.set(key, t);
    }
  }) as tf.KernelFunc;
}

const x = new Float32Array(batch * size * size).map(() => Math.random());
const y = Array.from({ length: batch }, (_, i) => i % 10);
function step(): void {
  const r = local.gradients({ x, y, size: batch }, 1);
  tf.tidy(() => optimizer.apply(r.grads, 0.001));
  tf.dispose(r.grads);
}
for (let i = 0; i < 10; i++) step();
timing = true;
const t0 = performance.now();
for (let i = 0; i < steps; i++) step();
const wall = (performance.now() - t0) / steps;
timing = false;
const rows = [...totals].sort((a, b) => b[1].ms - a[1].ms);
const inKernels = rows.reduce((a, [, t]) => a + t.ms, 0) / steps;
console.log(`step ${wall.toFixed(2)} ms; in kernels ${inKernels.toFixed(2)} ms`);
for (const [name, t] of rows) {
  console.log(
    `${name.padEnd(byShape ? 60 : 28)} ${(t.ms / steps).toFixed(2).padStart(7)} ms  ${(t.calls / steps).toFixed(0).padStart(4)} calls`,
  );
}
