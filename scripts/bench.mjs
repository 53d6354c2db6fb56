#!/usr/bin/env node
// `npm run bench`: Assay against its peers on this machine, side by side, in one run (DESIGN §8).
//
//   conv-layer     one 3×3 conv layer (batch 64, 32×32×16 → 32): forward, dX, dW on wasm with the
//                  backend's own kernels and with ours, vs PyTorch CPU at 1 and 2 threads
//   fashion-mnist  the zoo's small-cnn on Fashion-MNIST, same data, batch, epochs, learning rate
//                  and thread count (1 and 2) for Assay and PyTorch: samples/s, time ratio, test
//                  accuracy after the same epochs
//   inference      per zoo architecture: onnxruntime-node (our ONNX export) vs TensorFlow.js, one-item
//                  latency p50/p99 and batch throughput, plus the exporter's parity (bench/inference.ts)
//   features       MobileNetV2 features at 224×224: our ONNX conversion in onnxruntime-node vs PyTorch
//                  (torchvision mobilenet_v2, same weights) at 1 and 2 threads, images/s; and the speech
//                  embedding's seconds of audio per CPU-second on one thread (bench/features.ts)
//   audio-cnn, audio-models, audio-stream, api-latency, predict, regression-friedman, regression-reset
//                  hooks: bench/<name>.mjs, run when present
//                  (each writes its own result file; regression-friedman writes regression.json:
//                  Friedman #1, Assay's MLP vs scikit-learn's MLPRegressor)
//
// Results: bench/results/<name>.json, bench/results/summary.json, and a table on stdout.
//
//   node scripts/bench.mjs [--only conv-layer,fashion-mnist,inference,features,audio-cnn,api-latency,predict,…]
//     [--full] [--train 10000] [--test 10000] [--epochs 2] [--batch 64] [--threads 1,2]
//     [--repeats 15] [--rounds 1] [--python /usr/bin/python3] [--data /usr/share/datasets/fashion-mnist]
//
// Both engines start fashion-mnist from the same weights (the zoo's seeded ones) and see the
// samples in the same order; --rounds N trains each configuration N times, alternating engines,
// and keeps each engine's fastest run (this machine's other load makes single runs noisy).
//
// Needs Debian's python3-torch and dataset-fashion-mnist (apt-get install -y python3-torch
// dataset-fashion-mnist); without them the peer columns (or the dataset part) are skipped and say so.
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const resultsDir = path.join(root, 'bench', 'results');
const { values } = parseArgs({
  options: {
    only: {
      type: 'string',
      default:
        'conv-layer,fashion-mnist,inference,features,audio-cnn,audio-models,audio-stream,api-latency,predict,regression-friedman,regression-reset',
    },
    full: { type: 'boolean', default: false },
    train: { type: 'string' },
    test: { type: 'string', default: '10000' },
    epochs: { type: 'string', default: '2' },
    batch: { type: 'string', default: '64' },
    lr: { type: 'string', default: '0.001' },
    threads: { type: 'string', default: '1,2' },
    repeats: { type: 'string', default: '15' },
    rounds: { type: 'string', default: '1' },
    python: { type: 'string', default: '/usr/bin/python3' },
    data: { type: 'string', default: '/usr/share/datasets/fashion-mnist' },
  },
});
const only = new Set(values.only.split(',').map((s) => s.trim()));
const threadCounts = values.threads.split(',').map(Number);
const train = values.train ?? (values.full ? '60000' : '10000');
const peerScript = path.join(root, 'bench', 'peers', 'small_cnn_torch.py');

/** Runs a program, streaming its stderr (progress) through; resolves with stdout. */
function run(file, args, { label } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => {
      err += d;
      for (const line of String(d).split('\n')) {
        if (/^(assay|pytorch) /.test(line)) process.stderr.write(`  ${line}\n`);
      }
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve(out)
        : reject(
            new Error(`${label ?? file} exited ${code}: ${err.split('\n').slice(-5).join(' ')}`),
          ),
    );
  });
}

/** The last line of stdout that parses as JSON. */
function lastJson(text) {
  const lines = text.trim().split('\n').reverse();
  for (const line of lines) {
    try {
      return JSON.parse(line);
    } catch {
      /* progress or warnings */
    }
  }
  throw new Error(`no JSON result in: ${text.slice(-300)}`);
}

const assay = (script, args) =>
  run(process.execPath, ['--import', 'tsx', path.join('bench', script), ...args], {
    label: script,
  }).then(lastJson);
const torch = (args) =>
  run(values.python, [peerScript, ...args], { label: 'pytorch peer' }).then(lastJson);

function probeTorch() {
  return new Promise((resolve) => {
    execFile(values.python, ['-c', 'import torch; print(torch.__version__)'], (err, stdout) =>
      resolve(err ? null : stdout.trim()),
    );
  });
}

async function writeResult(name, data) {
  await mkdir(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `${name}.json`);
  await writeFile(`${file}.tmp`, `${JSON.stringify(data, null, 2)}\n`);
  await rename(`${file}.tmp`, file);
  return file;
}

const fmt = (v, digits = 1) => (v == null || Number.isNaN(v) ? '—' : Number(v).toFixed(digits));
const machine = () => ({
  node: process.version,
  cpu: os.cpus()[0]?.model ?? os.arch(),
  cores: os.cpus().length,
  loadavg: os.loadavg().map((l) => Number(l.toFixed(2))),
});

async function convLayer(torchVersion) {
  console.log('\n== conv-layer: 3×3 conv, batch 64, 32×32×16 → 32 (ms, median of runs) ==');
  const ours = await assay('conv-layer.ts', ['--repeats', values.repeats]);
  const peers = {};
  if (torchVersion) {
    for (const t of [1, 2]) peers[t] = await torch(['conv-layer', '--threads', String(t)]);
  }
  const rows = [
    [
      'Assay wasm, stock kernels (1 thread)',
      (ours.forward_stock ?? ours.forward)?.median_ms,
      ours.dx_stock?.median_ms,
      ours.dw_stock?.median_ms,
      ours.forward_backward_stock_median_ms,
    ],
    [
      'Assay wasm, our kernels (1 thread)',
      ours.forward?.median_ms,
      ours.dx_ours?.median_ms,
      ours.dw_ours?.median_ms,
      ours.forward_backward_ours_median_ms,
    ],
    ...[1, 2].map((t) => [
      `PyTorch CPU (${t} thread${t > 1 ? 's' : ''})`,
      peers[t]?.forward.median_ms,
      null,
      null,
      peers[t]?.forward_backward.median_ms,
    ]),
  ];
  console.log(
    `${'engine'.padEnd(40)} ${'fwd'.padStart(8)} ${'dX'.padStart(8)} ${'dW'.padStart(8)} ${'fwd+bwd'.padStart(9)}`,
  );
  for (const [name, f, dx, dw, total] of rows) {
    console.log(
      `${name.padEnd(40)} ${fmt(f).padStart(8)} ${fmt(dx).padStart(8)} ${fmt(dw).padStart(8)} ${fmt(total).padStart(9)}`,
    );
  }
  const file = await writeResult('conv-layer', {
    benchmark: 'conv-layer',
    date: new Date().toISOString(),
    machine: machine(),
    assay: ours,
    pytorch: torchVersion ? { version: torchVersion, threads: peers } : null,
  });
  return { name: 'conv-layer', file };
}

async function fashionMnist(torchVersion) {
  if (!existsSync(path.join(values.data, 'train-images-idx3-ubyte.gz'))) {
    console.log(
      `\n== fashion-mnist: skipped — no data in ${values.data} (apt-get install -y dataset-fashion-mnist) ==`,
    );
    return { name: 'fashion-mnist', skipped: 'dataset missing' };
  }
  const common = [
    '--train',
    train,
    '--test',
    values.test,
    '--epochs',
    values.epochs,
    '--batch',
    values.batch,
    '--lr',
    values.lr,
    '--data',
    values.data,
  ];
  console.log(
    `\n== fashion-mnist: small-cnn, ${train} train / ${values.test} test images, ${values.epochs} epochs, batch ${values.batch} ==`,
  );
  const init = await mkdtemp(path.join(os.tmpdir(), 'assay-bench-init-'));
  const runs = [];
  try {
    await assay('fashion-mnist.ts', ['--write-init', '--init', init, ...common]).catch(() => null);
    const shared = [...common, '--init', init];
    const fastest = (a, b) => (!a || b.train_seconds < a.train_seconds ? b : a);
    for (const [i, t] of threadCounts.entries()) {
      const r = { threads: t, assay: null, pytorch: null };
      for (let round = 0; round < Number(values.rounds); round++) {
        // Alternate who goes first, so a busy moment on the machine does not always hit one side.
        const order = (i + round) % 2 === 0 ? ['assay', 'pytorch'] : ['pytorch', 'assay'];
        for (const who of order) {
          if (who === 'assay') {
            const run = await assay('fashion-mnist.ts', ['--threads', String(t), ...shared]);
            r.assay = fastest(r.assay, run);
          } else if (torchVersion) {
            const run = await torch(['fashion-mnist', '--threads', String(t), ...shared]);
            r.pytorch = fastest(r.pytorch, run);
          }
        }
      }
      r.time_ratio = r.pytorch ? r.assay.train_seconds / r.pytorch.train_seconds : null;
      r.accuracy_difference_points = r.pytorch
        ? 100 * (r.assay.test_accuracy - r.pytorch.test_accuracy)
        : null;
      runs.push(r);
    }
  } finally {
    await rm(init, { recursive: true, force: true });
  }
  console.log(
    `${'threads'.padEnd(8)} ${'Assay samples/s'.padStart(16)} ${'PyTorch samples/s'.padStart(18)} ${'time ratio'.padStart(11)} ${'Assay acc'.padStart(10)} ${'PyTorch acc'.padStart(12)}`,
  );
  for (const r of runs) {
    console.log(
      `${String(r.threads).padEnd(8)} ${fmt(r.assay.samples_per_second, 0).padStart(16)} ${fmt(r.pytorch?.samples_per_second, 0).padStart(18)} ${(r.time_ratio == null ? '—' : `${fmt(r.time_ratio, 2)}×`).padStart(11)} ${fmt(100 * r.assay.test_accuracy, 2).padStart(10)} ${fmt(r.pytorch ? 100 * r.pytorch.test_accuracy : null, 2).padStart(12)}`,
    );
  }
  console.log('goal: time ratio ≤ 2× at the same thread count, test accuracy within 1 point');
  const file = await writeResult('fashion-mnist', {
    benchmark: 'fashion-mnist',
    date: new Date().toISOString(),
    machine: machine(),
    settings: {
      model: 'small-cnn',
      train: Number(train),
      test: Number(values.test),
      epochs: Number(values.epochs),
      batch: Number(values.batch),
      lr: Number(values.lr),
      optimizer: 'adam',
      same_initial_weights_and_sample_order: true,
      rounds: Number(values.rounds),
      kept: 'each engine’s fastest round',
    },
    pytorch_version: torchVersion,
    runs,
  });
  return { name: 'fashion-mnist', file };
}

/** bench/inference.ts writes bench/results/inference.json itself and prints one line per model. */
async function inference() {
  console.log('\n== inference (bench/inference.ts): onnxruntime-node vs TensorFlow.js ==');
  const out = await run(process.execPath, ['--import', 'tsx', path.join('bench', 'inference.ts')], {
    label: 'inference',
  });
  process.stdout.write(out.endsWith('\n') ? out : `${out}\n`);
  return { name: 'inference', file: path.join(resultsDir, 'inference.json') };
}

/** bench/features.ts writes bench/results/features.json itself. */
async function features() {
  console.log(
    '\n== features (bench/features.ts): MobileNetV2 onnxruntime vs PyTorch, speech embedding ==',
  );
  const out = await run(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join('bench', 'features.ts'),
      '--threads',
      values.threads,
      '--python',
      values.python,
    ],
    { label: 'features' },
  );
  process.stdout.write(out.endsWith('\n') ? out : `${out}\n`);
  return { name: 'features', file: path.join(resultsDir, 'features.json') };
}

/** Benchmarks other parts of the team own: run them when their script exists. */
async function hook(name, resultName = name) {
  const script = path.join(root, 'bench', `${name}.mjs`);
  if (!existsSync(script)) {
    console.log(`\n== ${name}: skipped — bench/${name}.mjs does not exist yet ==`);
    return { name, skipped: 'no script' };
  }
  console.log(`\n== ${name} (bench/${name}.mjs) ==`);
  const out = await run(process.execPath, [script], { label: name });
  process.stdout.write(out.endsWith('\n') ? out : `${out}\n`);
  return { name, file: path.join(resultsDir, `${resultName}.json`) };
}

const torchVersion = await probeTorch();
if (!torchVersion) {
  console.log(
    `PyTorch not found for ${values.python}: peer columns are skipped (apt-get install -y python3-torch)`,
  );
}
const started = machine();
const summary = [];
const steps = [
  ['conv-layer', () => convLayer(torchVersion)],
  ['fashion-mnist', () => fashionMnist(torchVersion)],
  ['inference', () => inference()],
  ['features', () => features()],
  ['audio-cnn', () => hook('audio-cnn')],
  ['audio-models', () => hook('audio-models')],
  ['audio-stream', () => hook('audio-stream')],
  ['api-latency', () => hook('api-latency')],
  ['predict', () => hook('predict')],
  ['regression-friedman', () => hook('regression-friedman', 'regression')],
  ['regression-reset', () => hook('regression-reset')],
];
let failed = false;
for (const [name, step] of steps) {
  if (!only.has(name)) continue;
  try {
    summary.push(await step());
  } catch (err) {
    failed = true;
    console.error(`\n${name} failed: ${err.message}`);
    summary.push({ name, error: err.message });
  }
}
await writeResult('summary', {
  date: new Date().toISOString(),
  started,
  finished: machine(),
  results: summary,
});
console.log(
  `\nresults in ${path.relative(root, resultsDir)}/ (load average at start ${started.loadavg.join(' ')}: other work on this machine skews timings)`,
);
process.exitCode = failed ? 1 : 0;
