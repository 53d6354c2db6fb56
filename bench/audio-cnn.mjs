#!/usr/bin/env node
// audio-cnn benchmark (a hook of scripts/bench.mjs): the zoo's audio-cnn trained by Assay (wasm,
// our kernels; threads > 1 through the data-parallel helpers) and by PyTorch CPU on the same
// log-mel features, batch, epochs, Adam learning rate, initial weights, sample order and thread
// count. Reports samples/s, the time ratio (Assay ÷ PyTorch training time) and held-out accuracy.
//
// Data: generated 1 s clips at 16 kHz, 3 classes of tones (500 Hz / 1 kHz / 2 kHz, ±3 %, random
// phase and amplitude, white noise of random level). Their log-mel features (40 mels, 25 ms
// window, 10 ms hop → [98, 40, 1]) are computed ONCE with Assay's own front end
// (src-main/core/engine/features) by bench/audio-cnn-run.ts --write-init, scaled with the
// training split's mean and std as the trainer does, and written to a temp dir that both engines
// read, so only training is compared. bench/peers/audio_cnn_torch.py also checks that its copy of
// the net gives the same untrained logits as Assay's (initial_logits_max_abs_diff_vs_assay).
//
//   node bench/audio-cnn.mjs [--train 1200] [--test 300] [--epochs 3] [--batch 32] [--lr 0.001]
//     [--threads 1,2] [--rounds 2] [--seed 42] [--python /usr/bin/python3]
//
// Writes bench/results/audio-cnn.json and prints a table. Without PyTorch the peer is skipped.
import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const resultsDir = path.join(root, 'bench', 'results');
const { values } = parseArgs({
  options: {
    train: { type: 'string', default: '1200' },
    test: { type: 'string', default: '300' },
    epochs: { type: 'string', default: '3' },
    batch: { type: 'string', default: '32' },
    lr: { type: 'string', default: '0.001' },
    threads: { type: 'string', default: '1,2' },
    rounds: { type: 'string', default: '2' },
    seed: { type: 'string', default: '42' },
    python: { type: 'string', default: '/usr/bin/python3' },
  },
});
const threadCounts = values.threads.split(',').map(Number);
const assayScript = path.join('bench', 'audio-cnn-run.ts');
const peerScript = path.join('bench', 'peers', 'audio_cnn_torch.py');

/** Runs a program, passing its progress lines (stderr) through; resolves with stdout. */
function run(file, args, label) {
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
        : reject(new Error(`${label} exited ${code}: ${err.split('\n').slice(-5).join(' ')}`)),
    );
  });
}

/** The last line of stdout that parses as JSON. */
function lastJson(text) {
  for (const line of text.trim().split('\n').reverse()) {
    try {
      return JSON.parse(line);
    } catch {
      /* progress or warnings */
    }
  }
  throw new Error(`no JSON result in: ${text.slice(-300)}`);
}

const assay = (args) =>
  run(process.execPath, ['--import', 'tsx', assayScript, ...args], 'audio-cnn-run.ts').then(
    lastJson,
  );
const torch = (args) =>
  run(values.python, [peerScript, ...args], 'pytorch peer (audio_cnn_torch.py)').then(lastJson);

function probeTorch() {
  return new Promise((resolve) => {
    execFile(values.python, ['-c', 'import torch; print(torch.__version__)'], (err, stdout) =>
      resolve(err ? null : stdout.trim()),
    );
  });
}

const fmt = (v, digits = 1) => (v == null || Number.isNaN(v) ? '—' : Number(v).toFixed(digits));
const machine = () => ({
  node: process.version,
  cpu: os.cpus()[0]?.model ?? os.arch(),
  cores: os.cpus().length,
  loadavg: os.loadavg().map((l) => Number(l.toFixed(2))),
});

const torchVersion = await probeTorch();
if (!torchVersion) {
  console.log(
    `PyTorch not found for ${values.python}: the PyTorch peer is skipped (apt-get install -y python3-torch)`,
  );
}
const common = ['--epochs', values.epochs, '--batch', values.batch, '--lr', values.lr];
console.log(
  `\naudio-cnn: ${values.train} train / ${values.test} test clips (3 tone classes, log-mel [98, 40, 1]), ${values.epochs} epochs, batch ${values.batch}, Adam lr ${values.lr}`,
);
const started = machine();
const init = await mkdtemp(path.join(os.tmpdir(), 'assay-bench-audio-'));
const runs = [];
let data;
try {
  data = await assay([
    '--write-init',
    '--init',
    init,
    '--train',
    values.train,
    '--test',
    values.test,
    '--seed',
    values.seed,
    ...common,
  ]);
  const shared = [...common, '--init', init];
  const fastest = (a, b) => (!a || b.train_seconds < a.train_seconds ? b : a);
  for (const [i, t] of threadCounts.entries()) {
    const r = { threads: t, assay: null, pytorch: null };
    for (let round = 0; round < Number(values.rounds); round++) {
      // Alternate who goes first, so a busy moment on the machine does not always hit one side.
      const order = (i + round) % 2 === 0 ? ['assay', 'pytorch'] : ['pytorch', 'assay'];
      for (const who of order) {
        if (who === 'assay') {
          r.assay = fastest(
            r.assay,
            await assay(['--threads', String(t), '--seed', values.seed, ...shared]),
          );
        } else if (torchVersion) {
          r.pytorch = fastest(r.pytorch, await torch(['--threads', String(t), ...shared]));
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
if (!torchVersion) console.log('(PyTorch peer skipped: not installed)');
console.log('time ratio = Assay training time ÷ PyTorch training time at the same thread count');

await mkdir(resultsDir, { recursive: true });
const file = path.join(resultsDir, 'audio-cnn.json');
const result = {
  benchmark: 'audio-cnn',
  date: new Date().toISOString(),
  machine: started,
  machine_after: machine(),
  settings: {
    model: 'audio-cnn',
    data: 'generated tones: 500 Hz / 1 kHz / 2 kHz (±3 %), random phase and amplitude (0.05–0.5), white noise (σ 0.1–1)',
    audio: data?.audio,
    input_shape: [data?.frames, data?.mels, 1],
    features:
      'log-mel computed once by Assay (features/mel.ts), scaled by the train split mean/std',
    feature_seconds: data?.feature_seconds,
    train: Number(values.train),
    test: Number(values.test),
    epochs: Number(values.epochs),
    batch: Number(values.batch),
    lr: Number(values.lr),
    optimizer: 'adam',
    seed: Number(values.seed),
    same_features_initial_weights_and_sample_order: true,
    rounds: Number(values.rounds),
    kept: 'each engine’s fastest round',
  },
  pytorch_version: torchVersion,
  pytorch_skipped: torchVersion ? undefined : 'PyTorch not installed',
  runs,
};
await writeFile(`${file}.tmp`, `${JSON.stringify(result, null, 2)}\n`);
await rename(`${file}.tmp`, file);
console.log(`results in ${path.relative(root, file)}`);
