/**
 * Inference benchmark (issue 4): for each zoo architecture, the same seeded model run by
 * onnxruntime-node (our ONNX export, simplified, dynamic batch) and by TensorFlow.js (the best
 * backend here: tfjs-node when installed, else wasm with our kernels): latency of one item (p50,
 * p99 over --repeats runs after a warm-up) and throughput of batches of --batch items, at
 * onnxruntime intra-op threads 1 and 2; plus the exporter's parity (max |ONNX − tfjs| on random
 * inputs). Writes bench/results/inference.json and prints a table.
 *
 *   node --import tsx bench/inference.ts [--repeats 200] [--batch 32] [--batches 20]
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import * as ort from 'onnxruntime-node';
import type { Task } from '../src-shared/contract/projects.js';
import type { ExperimentConfigInput } from '../src-shared/contract/training.js';
import { selectBackend } from '../src-main/core/engine/backends/index.js';
import { resolveExperimentConfig } from '../src-main/core/engine/config.js';
import { exportOnnx } from '../src-main/core/engine/export/onnx/export-onnx.js';
import { resolveOnnxOptions } from '../src-main/core/engine/export/onnx/options.js';
import { buildModel } from '../src-main/core/engine/zoo/index.js';

const { values } = parseArgs({
  options: {
    repeats: { type: 'string', default: '200' },
    batch: { type: 'string', default: '32' },
    batches: { type: 'string', default: '20' },
  },
});
const repeats = Number(values.repeats);
const batch = Number(values.batch);
const batches = Number(values.batches);

interface Case {
  readonly name: string;
  readonly task: Task;
  readonly config: ExperimentConfigInput;
  readonly inputShape: number[];
  readonly outputs: number;
}
const CASES: Case[] = [
  {
    name: 'small-cnn',
    task: 'classification',
    config: { architecture: 'small-cnn' },
    inputShape: [32, 32, 3],
    outputs: 10,
  },
  {
    name: 'mobilenet-lite',
    task: 'classification',
    config: { architecture: 'mobilenet-lite' },
    inputShape: [32, 32, 3],
    outputs: 10,
  },
  {
    name: 'audio-cnn',
    task: 'audio-classification',
    config: { architecture: 'audio-cnn' },
    inputShape: [98, 40, 1],
    outputs: 10,
  },
  { name: 'mlp', task: 'regression', config: { architecture: 'mlp' }, inputShape: [8], outputs: 1 },
];

const percentile = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] as number;
};
const round = (x: number, d = 3): number => Number(x.toFixed(d));

async function time(fn: () => Promise<void>, n: number): Promise<number[]> {
  for (let i = 0; i < Math.min(20, n); i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out;
}

tf.env().set('PROD', true);
const backend = await selectBackend('auto', 'cpu');
const results = [];
for (const c of CASES) {
  const config = resolveExperimentConfig(c.task, { ...c.config, seed: 1 });
  const model = buildModel(
    config,
    c.task === 'regression'
      ? { inputShape: c.inputShape, outputs: c.outputs }
      : { inputShape: c.inputShape, numClasses: c.outputs },
  );
  const size = c.inputShape.reduce((a, b) => a * b, 1);
  const nchw = c.inputShape.length === 3;
  const onnxDims = (n: number): number[] =>
    nchw ? [n, c.inputShape[2]!, c.inputShape[0]!, c.inputShape[1]!] : [n, ...c.inputShape];
  const exported = exportOnnx(
    model,
    resolveOnnxOptions({ dynamic_axes: { input: { '0': 'batch' } }, simplify: true }, c.inputShape),
  );
  const xs = (n: number): Float32Array =>
    Float32Array.from({ length: n * size }, () => Math.random());
  // Parity on 8 random items: NHWC for tfjs, transposed to NCHW for ONNX.
  const px = xs(8);
  const want = tf.tidy(() =>
    (model.predict(tf.tensor(px, [8, ...c.inputShape])) as tf.Tensor).dataSync(),
  );
  const fed = nchw
    ? (tf.tidy(() =>
        tf.transpose(tf.tensor(px, [8, ...c.inputShape]), [0, 3, 1, 2]).dataSync(),
      ) as Float32Array)
    : px;

  const row: Record<string, unknown> = { architecture: c.name, params: model.countParams() };
  for (const threads of [1, 2]) {
    const session = await ort.InferenceSession.create(exported.bytes, {
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
    });
    if (threads === 1) {
      const got = (await session.run({ input: new ort.Tensor('float32', fed, onnxDims(8)) }))
        .output!.data as Float32Array;
      row.parity_max_abs_diff = Math.max(...Array.from(got, (v, i) => Math.abs(v - want[i]!)));
    }
    const one = new ort.Tensor('float32', xs(1), onnxDims(1));
    const lat = await time(async () => void (await session.run({ input: one })), repeats);
    const many = new ort.Tensor('float32', xs(batch), onnxDims(batch));
    const thr = await time(async () => void (await session.run({ input: many })), batches);
    row[`ort_t${threads}`] = {
      p50_ms: round(percentile(lat, 50)),
      p99_ms: round(percentile(lat, 99)),
      items_per_s: round((batch * 1000) / percentile(thr, 50), 1),
    };
    await session.release();
  }
  const one = tf.tensor(xs(1), [1, ...c.inputShape]);
  const many = tf.tensor(xs(batch), [batch, ...c.inputShape]);
  const run = (x: tf.Tensor) => async (): Promise<void> => {
    const y = model.predict(x) as tf.Tensor;
    await y.data();
    y.dispose();
  };
  const lat = await time(run(one), repeats);
  const thr = await time(run(many), batches);
  row[`tfjs_${backend.name}`] = {
    p50_ms: round(percentile(lat, 50)),
    p99_ms: round(percentile(lat, 99)),
    items_per_s: round((batch * 1000) / percentile(thr, 50), 1),
  };
  tf.dispose([one, many]);
  model.dispose();
  results.push(row);
  console.log(JSON.stringify(row));
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = path.join(root, 'bench', 'results');
await mkdir(dir, { recursive: true });
const file = path.join(dir, 'inference.json');
const doc = {
  benchmark: 'inference',
  date: new Date().toISOString(),
  machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? null, node: process.version },
  onnxruntime: ort.env.versions.node,
  tfjs_backend: backend.name,
  repeats,
  batch,
  results,
};
await writeFile(`${file}.tmp`, `${JSON.stringify(doc, null, 2)}\n`);
await rename(`${file}.tmp`, file);
console.log(`wrote ${path.relative(root, file)}`);
