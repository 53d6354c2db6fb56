/**
 * Assay's side of the audio-cnn benchmark (run by bench/audio-cnn.mjs): the zoo's audio-cnn
 * trained with the engine's pieces — wasm backend with our kernels, the trainer's Adam, batching,
 * and for threads > 1 the data-parallel helpers — on log-mel features of generated tone clips, with
 * the same batch size, epochs, learning rate, initial weights and sample order as
 * bench/peers/audio_cnn_torch.py. Prints one JSON object.
 *
 * --write-init --init DIR generates the clips (3 classes of noisy tones), computes their log-mel
 * features ONCE with Assay's feature code (features/mel.ts via logMelFor), scales them with the
 * training split's mean and std as the trainer does (fitScalar), and writes to DIR:
 *   features.f32 (train then test, each [frames, mels] time-major), labels.i32, data.json,
 *   weights.f32 + weights.json (the zoo's seeded initial weights in tfjs layout),
 *   orders.i32 (one permutation of the training set per epoch).
 * Without --write-init it reads those files and trains, so both engines see the same floats.
 *
 *   node --import tsx bench/audio-cnn-run.ts --write-init --init DIR --train 600 --test 150 --epochs 3
 *   node --import tsx bench/audio-cnn-run.ts --init DIR --threads 2 --epochs 3 --batch 32
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { DataParallel, selectBackend } from '../src-main/core/engine/backends/index.js';
import { createReplica } from '../src-main/core/engine/backends/zoo-replica.js';
import { audioInputOf, resolveExperimentConfig } from '../src-main/core/engine/config.js';
import { epochOrder, fitScalar, makeBatch } from '../src-main/core/engine/data/batches.js';
import { Prng } from '../src-main/core/engine/data/prng.js';
import { audioFeatureShape, logMelFor } from '../src-main/core/engine/features/audio.js';
import { Optimizer } from '../src-main/core/engine/trainer/optimizers.js';
import { forward } from '../src-main/core/engine/trainer/step.js';

const { values } = parseArgs({
  options: {
    threads: { type: 'string', default: '1' },
    train: { type: 'string', default: '600' },
    test: { type: 'string', default: '150' },
    epochs: { type: 'string', default: '3' },
    batch: { type: 'string', default: '32' },
    lr: { type: 'string', default: '0.001' },
    seed: { type: 'string', default: '42' },
    backend: { type: 'string', default: 'wasm' },
    init: { type: 'string' },
    'write-init': { type: 'boolean', default: false },
  },
});
if (!values.init) throw new Error('--init DIR is required (written by --write-init)');
const dir = values.init;
const threads = Number(values.threads);
const epochs = Number(values.epochs);
const batchSize = Number(values.batch);
const seed = Number(values.seed);

/** The clip and spectrogram geometry: 16 kHz, 1 s, 40 mels, 25 ms window, 10 ms hop. */
const audio = audioInputOf({
  sample_rate: 16000,
  clip_seconds: 1,
  n_mels: 40,
  window_ms: 25,
  hop_ms: 10,
});
const inputShape = audioFeatureShape(audio);
const sampleSize = inputShape[0] * inputShape[1];
/** Class k is a tone near TONES_HZ[k]. */
const TONES_HZ = [500, 1000, 2000] as const;

tf.env().set('PROD', true);
const backend = await selectBackend(values.backend as 'wasm', 'cpu');
const config = resolveExperimentConfig('audio-classification', {
  architecture: 'audio-cnn',
  input: { ...audio },
  dropout: 0,
  batch_size: batchSize,
  epochs,
  seed,
  optimizer: { name: 'adam', learning_rate: Number(values.lr) },
});
const args = {
  config,
  target: { inputShape, numClasses: TONES_HZ.length },
  classWeights: null,
};
const local = createReplica(args);

if (values['write-init']) {
  writeInit(Number(values.train), Number(values.test));
  process.exit(0);
}

const data = readData();
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
const train = { x: data.trainX, y: data.trainY, n: data.nTrain, sampleSize };
const results: Record<string, number>[] = [];
let trainSeconds = 0;
for (let epoch = 0; epoch < epochs; epoch++) {
  const order = data.orders[epoch] ?? [];
  const t0 = performance.now();
  let loss = 0;
  for (let start = 0; start < train.n; start += batchSize) {
    const batch = makeBatch(train, order.slice(start, start + batchSize));
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

/** One 1 s clip of class k: a tone (±3 % frequency, random phase and amplitude) in white noise. */
function clip(k: number, rng: Prng): Float32Array {
  const sr = audio.sample_rate;
  const n = Math.round(sr * audio.clip_seconds);
  const f = (TONES_HZ[k] as number) * rng.uniform(0.97, 1.03);
  const amp = rng.uniform(0.05, 0.5);
  const phase = rng.uniform(0, 2 * Math.PI);
  const noise = rng.uniform(0.1, 1);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    out[i] = amp * Math.sin((2 * Math.PI * f * i) / sr + phase) + noise * rng.normal();
  }
  return out;
}

/** Clips → log-mel (once, Assay's front end) → scaled with the train split's mean/std → files. */
function writeInit(nTrain: number, nTest: number): void {
  const rng = Prng.fromSeed(seed + 7);
  const logMel = logMelFor(audio);
  const n = nTrain + nTest;
  const x = new Float32Array(n * sampleSize);
  const y = new Int32Array(n);
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const k = i % TONES_HZ.length; // balanced classes; the epoch orders shuffle them
    y[i] = k;
    x.set(logMel.compute(clip(k, rng)), i * sampleSize);
  }
  const featureSeconds = (performance.now() - t0) / 1000;
  const norm = fitScalar(x.subarray(0, nTrain * sampleSize));
  for (let i = 0; i < x.length; i++) x[i] = ((x[i] as number) - norm.mean) / norm.std;
  writeFileSync(path.join(dir, 'features.f32'), x);
  writeFileSync(path.join(dir, 'labels.i32'), y);
  const meta = {
    train: nTrain,
    test: nTest,
    frames: inputShape[0],
    mels: inputShape[1],
    classes: TONES_HZ.length,
    tones_hz: TONES_HZ,
    audio,
    normalization: norm,
    feature_seconds: featureSeconds,
  };
  writeFileSync(path.join(dir, 'data.json'), JSON.stringify(meta));
  const names = local.vars.map((v) => v.name);
  const shapes = local.vars.map((v) => v.shape);
  const flat = local.vars.map((v) => v.dataSync() as Float32Array);
  const weights = new Float32Array(flat.reduce((a, f) => a + f.length, 0));
  flat.reduce((off, f) => (weights.set(f, off), off + f.length), 0);
  writeFileSync(path.join(dir, 'weights.f32'), weights);
  writeFileSync(path.join(dir, 'weights.json'), JSON.stringify({ names, shapes }));
  const orderPrng = Prng.fromSeed(seed + 1);
  const orders = new Int32Array(epochs * nTrain);
  for (let e = 0; e < epochs; e++) orders.set(epochOrder(nTrain, orderPrng), e * nTrain);
  writeFileSync(path.join(dir, 'orders.i32'), orders);
  // The untrained model's logits on the first test clips: the peer checks its copy against them.
  const probe = Math.min(16, nTest);
  const logits = tf.tidy(() => {
    const xs = tf.tensor(x.subarray(nTrain * sampleSize, (nTrain + probe) * sampleSize), [
      probe,
      ...inputShape,
    ]);
    return forward(local.model, xs, false).dataSync() as Float32Array;
  });
  writeFileSync(path.join(dir, 'init-logits.f32'), logits);
  process.stderr.write(
    `assay features: ${n} clips → [${inputShape.join(', ')}] log-mel in ${featureSeconds.toFixed(1)} s\n`,
  );
  console.log(JSON.stringify(meta));
}

function f32(file: string): Float32Array {
  const b = readFileSync(path.join(dir, file));
  return new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
}
function i32(file: string): Int32Array {
  const b = readFileSync(path.join(dir, file));
  return new Int32Array(b.buffer, b.byteOffset, b.byteLength / 4);
}

function readData() {
  const meta = JSON.parse(readFileSync(path.join(dir, 'data.json'), 'utf8')) as {
    train: number;
    test: number;
  };
  const x = f32('features.f32');
  const y = Float32Array.from(i32('labels.i32'));
  const weights = f32('weights.f32');
  let off = 0;
  for (const v of local.vars) {
    tf.tidy(() => v.assign(tf.tensor(weights.slice(off, off + v.size), v.shape)));
    off += v.size;
  }
  const all = i32('orders.i32');
  const orders = Array.from({ length: epochs }, (_, e) =>
    Array.from(all.subarray(e * meta.train, (e + 1) * meta.train)),
  );
  const cut = meta.train * sampleSize;
  return {
    nTrain: meta.train,
    nTest: meta.test,
    trainX: x.subarray(0, cut),
    trainY: y.subarray(0, meta.train),
    testX: x.subarray(cut),
    testY: y.subarray(meta.train),
    orders,
  };
}

function evaluate(): number {
  let correct = 0;
  for (let start = 0; start < data.nTest; start += 256) {
    const n = Math.min(256, data.nTest - start);
    correct += tf.tidy(() => {
      const xs = tf.tensor(data.testX.subarray(start * sampleSize, (start + n) * sampleSize), [
        n,
        ...inputShape,
      ]);
      const labels = tf.tensor1d(data.testY.subarray(start, start + n), 'int32');
      const out = forward(local.model, xs, false);
      return tf.sum(tf.cast(tf.equal(tf.argMax(out, 1), labels), 'float32')).dataSync()[0] ?? 0;
    });
  }
  return correct / data.nTest;
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
