/**
 * Assay's side of the Fashion-MNIST benchmark: the zoo's small-cnn trained with the engine's
 * pieces — wasm backend with our kernels, the trainer's Adam, epoch shuffling and batching, and
 * for threads > 1 the data-parallel helpers — on the same images, batch size, epochs and learning
 * rate as bench/peers/small_cnn_torch.py. Prints one JSON object.
 *
 * With --init DIR both engines start from the same weights and see the samples in the same order
 * (DIR/weights.f32 + weights.json: the zoo's seeded initial weights in tfjs layout;
 * DIR/orders.i32: one permutation per epoch), so their accuracies can be compared closely;
 * --write-init writes those files and exits.
 *
 *   node --import tsx bench/fashion-mnist.ts --threads 1 --train 10000 --test 10000 --epochs 2 --batch 64
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { DataParallel, selectBackend } from '../src-main/core/engine/backends/index.js';
import { createReplica } from '../src-main/core/engine/backends/zoo-replica.js';
import { resolveExperimentConfig } from '../src-main/core/engine/config.js';
import { epochOrder, makeBatch } from '../src-main/core/engine/data/batches.js';
import { Prng } from '../src-main/core/engine/data/prng.js';
import { Optimizer } from '../src-main/core/engine/trainer/optimizers.js';
import { forward } from '../src-main/core/engine/trainer/step.js';
import { FASHION_MNIST_DIR, loadFashionMnist } from './lib/fashion-mnist-data.js';

const { values } = parseArgs({
  options: {
    threads: { type: 'string', default: '1' },
    train: { type: 'string', default: '10000' },
    test: { type: 'string', default: '10000' },
    epochs: { type: 'string', default: '2' },
    batch: { type: 'string', default: '64' },
    lr: { type: 'string', default: '0.001' },
    seed: { type: 'string', default: '42' },
    backend: { type: 'string', default: 'wasm' },
    data: { type: 'string', default: FASHION_MNIST_DIR },
    init: { type: 'string' },
    'write-init': { type: 'boolean', default: false },
  },
});
const threads = Number(values.threads);
const epochs = Number(values.epochs);
const batchSize = Number(values.batch);
const seed = Number(values.seed);

tf.env().set('PROD', true);
const backend = await selectBackend(values.backend as 'wasm', 'cpu');
const { train, test } = loadFashionMnist(values.data, Number(values.train), Number(values.test));
const config = resolveExperimentConfig('classification', {
  architecture: 'small-cnn',
  input: { width: 28, height: 28, channels: 1 },
  dropout: 0,
  batch_size: batchSize,
  epochs,
  seed,
  optimizer: { name: 'adam', learning_rate: Number(values.lr) },
});
const args = {
  config,
  target: { inputShape: [28, 28, 1], numClasses: 10 },
  classWeights: null,
};
const local = createReplica(args);
// Shuffling and dropout seeds come from separate streams, so an order file can replace the first.
const orderPrng = Prng.fromSeed(seed + 1);
if (values['write-init']) {
  if (!values.init) throw new Error('--write-init needs --init DIR');
  writeInit(values.init);
  process.exit(0);
}
const shared = values.init ? readInit(values.init) : null;
const optimizer = Optimizer.fromConfig(config, local.vars);
const dp =
  threads > 1
    ? await DataParallel.start({
        threads,
        backend: backend.name,
        local,
        replica: {
          module: new URL('../src-main/core/engine/backends/zoo-replica.ts', import.meta.url).href,
          args,
        },
        maxBatch: batchSize,
      })
    : null;

const prng = Prng.fromSeed(seed);
const dataset = { x: train.x, y: train.y, n: train.n, sampleSize: 784 };
const results: Record<string, number>[] = [];
let trainSeconds = 0;
for (let epoch = 0; epoch < epochs; epoch++) {
  const order = shared ? (shared.orders[epoch] ?? []) : epochOrder(train.n, orderPrng);
  const t0 = performance.now();
  let loss = 0;
  for (let start = 0; start < train.n; start += batchSize) {
    const batch = makeBatch(dataset, order.slice(start, start + batchSize));
    const seeds = Array.from({ length: threads }, () => prng.seed());
    const r = dp ? await dp.gradients(batch, seeds) : local.gradients(batch, seeds[0] ?? 0);
    tf.tidy(() => optimizer.apply(r.grads, config.optimizer.learning_rate));
    tf.dispose(r.grads);
    loss += r.sums[0] as number;
  }
  const seconds = (performance.now() - t0) / 1000;
  trainSeconds += seconds;
  const accuracy = evaluate();
  results.push({ epoch: epoch + 1, seconds, loss: loss / train.n, test_accuracy: accuracy });
  process.stderr.write(
    `assay threads=${threads} epoch ${epoch + 1}: ${seconds.toFixed(1)} s, loss ${(loss / train.n).toFixed(4)}, test accuracy ${accuracy.toFixed(4)}\n`,
  );
}
await dp?.close();

/** The zoo model's seeded initial weights and every epoch's sample order, for the PyTorch peer. */
function writeInit(dir: string): void {
  const names = local.vars.map((v) => v.name);
  const shapes = local.vars.map((v) => v.shape);
  const flat = local.vars.map((v) => v.dataSync() as Float32Array);
  const weights = new Float32Array(flat.reduce((a, f) => a + f.length, 0));
  flat.reduce((off, f) => (weights.set(f, off), off + f.length), 0);
  writeFileSync(path.join(dir, 'weights.f32'), weights);
  writeFileSync(path.join(dir, 'weights.json'), JSON.stringify({ names, shapes }));
  const orders = new Int32Array(epochs * train.n);
  for (let e = 0; e < epochs; e++) orders.set(epochOrder(train.n, orderPrng), e * train.n);
  writeFileSync(path.join(dir, 'orders.i32'), orders);
}

function readInit(dir: string): { orders: number[][] } {
  const buf = readFileSync(path.join(dir, 'weights.f32'));
  const weights = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
  let off = 0;
  for (const v of local.vars) {
    tf.tidy(() => v.assign(tf.tensor(weights.slice(off, off + v.size), v.shape)));
    off += v.size;
  }
  const ob = readFileSync(path.join(dir, 'orders.i32'));
  const all = new Int32Array(ob.buffer, ob.byteOffset, ob.byteLength / 4);
  const orders = Array.from({ length: epochs }, (_, e) =>
    Array.from(all.subarray(e * train.n, (e + 1) * train.n)),
  );
  return { orders };
}

function evaluate(): number {
  let correct = 0;
  for (let start = 0; start < test.n; start += 256) {
    const n = Math.min(256, test.n - start);
    correct += tf.tidy(() => {
      const xs = tf.tensor(test.x.subarray(start * 784, (start + n) * 784), [n, 28, 28, 1]);
      const labels = tf.tensor1d(test.y.subarray(start, start + n), 'int32');
      const out = forward(local.model, xs, false);
      return tf.sum(tf.cast(tf.equal(tf.argMax(out, 1), labels), 'float32')).dataSync()[0] ?? 0;
    });
  }
  return correct / test.n;
}

console.log(
  JSON.stringify({
    engine: 'assay',
    backend: backend.name,
    threads,
    train_seconds: trainSeconds,
    samples_per_second: (epochs * train.n) / trainSeconds,
    test_accuracy: results.at(-1)?.test_accuracy ?? null,
    epochs: results,
  }),
);
