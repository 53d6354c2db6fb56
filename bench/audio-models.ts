/**
 * The audio portal's voting families (issue 9): generated metal-detector recordings uploaded per
 * class, the three families trained through `POST /api/training/start`, then a held-out generated
 * set of 5 s clips classified by `POST /api/upload` (latency, and accuracy of each family and of
 * the vote), `POST /api/quick-classify` latency for 1 s chunks, and scikit-learn's
 * RandomForestClassifier on the same summary features side by side with TRADITIONAL. A real HTTP
 * listener on a fresh workspace. Writes bench/results/audio-models.json.
 *
 *   node --import tsx bench/audio-models.ts [--train 30] [--test 30] [--epochs 12] [--repeats 20]
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createApp } from '../src-main/api/app.js';
import {
  clipWav,
  generateClip,
  type GeneratedClip,
} from '../src-main/core/audio-portal/generate.js';
import { segmentsOf, toModelRate } from '../src-main/core/audio-portal/models/features.js';
import { summaryFeatures } from '../src-main/core/audio-portal/models/summary.js';
import { silentLogger } from '../src-main/core/services/logger.js';
import { openWorkstation } from '../src-main/core/workstation.js';

const { values } = parseArgs({
  options: {
    train: { type: 'string', default: '30' },
    test: { type: 'string', default: '30' },
    epochs: { type: 'string', default: '12' },
    repeats: { type: 'string', default: '20' },
    python: { type: 'string', default: '/usr/bin/python3' },
  },
});
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const labels = ['gold', 'iron', 'other'] as const;
const FAMILIES = ['CNN', 'TRANSFORMER', 'TRADITIONAL'] as const;
const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN;
};
const r = (v: number, d = 2): number => Number(v.toFixed(d));

/** What the bench reads back from JSON replies: loosely typed, checked by use. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const dir = await mkdtemp(path.join(os.tmpdir(), 'assay-bench-audio-models-'));
const ws = await openWorkstation({
  workspaceDir: path.join(dir, 'ws'),
  version: 'bench',
  logger: silentLogger,
});
const server = createApp(ws, { port: 0, logger: silentLogger }).listen(0, '127.0.0.1');
await new Promise((res) => server.once('listening', res));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

async function post(
  url: string,
  body: FormData | object,
): Promise<{ status: number; json: Json; ms: number }> {
  const t0 = performance.now();
  const res = await fetch(`${base}${url}`, {
    method: 'POST',
    ...(body instanceof FormData
      ? { body }
      : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  const json = await res.json();
  return { status: res.status, json, ms: performance.now() - t0 };
}
const form = (clip: GeneratedClip, name: string, label?: string): FormData => {
  const f = new FormData();
  if (label) f.append('class_label', label);
  f.append('file', new Blob([clipWav(clip)]), name);
  return f;
};

try {
  // Training set: varied depth, sweep speed, ground and noise by seed.
  const trainClips: { clip: GeneratedClip; name: string; label: number }[] = [];
  for (let i = 0; i < Number(values.train) * 3; i++) {
    const label = labels[i % 3]!;
    const clip = generateClip({ seed: 20_000 + i, label });
    const name = `${label}-${i}.wav`;
    const res = await post('/api/dataset/upload', form(clip, name, label));
    if (res.status !== 200) throw new Error(`upload: ${JSON.stringify(res.json)}`);
    trainClips.push({ clip, name: `${label}/${name}`, label: i % 3 });
  }
  const t0 = performance.now();
  const start = await post('/api/training/start', {
    epochs: Number(values.epochs),
    batch_size: 32,
    learning_rate: 0.003,
  });
  if (start.status !== 200) throw new Error(`training: ${JSON.stringify(start.json)}`);
  let status: Json;
  for (;;) {
    status = await (await fetch(`${base}/api/training/status`)).json();
    if (status.status !== 'training') break;
    await new Promise((res) => setTimeout(res, 250));
  }
  if (status.status !== 'completed')
    throw new Error(`training ended ${status.status}: ${status.error}`);
  const trainSeconds = (performance.now() - t0) / 1000;

  // Held out: 5 s clips from seeds never trained on.
  const votes: Record<string, number> = { VOTE: 0, CNN: 0, TRANSFORMER: 0, TRADITIONAL: 0 };
  const uploadMs: number[] = [];
  // CPU of the whole process (server, model thread, client) per request: unlike wall time, not
  // inflated when the machine's other work takes the cores.
  const uploadCpuMs: number[] = [];
  const processing: number[] = [];
  const held: { clip: GeneratedClip; label: number }[] = [];
  for (let i = 0; i < Number(values.test) * 3; i++) {
    const label = labels[i % 3]!;
    const clip = generateClip({ seed: 90_000 + i, label, seconds: 5 });
    held.push({ clip, label: i % 3 });
    const cpu = process.cpuUsage();
    const res = await post('/api/upload', form(clip, `probe-${i}.wav`));
    const used = process.cpuUsage(cpu);
    uploadCpuMs.push((used.user + used.system) / 1000);
    if (res.status !== 200) throw new Error(`classify: ${JSON.stringify(res.json)}`);
    uploadMs.push(res.ms);
    processing.push(res.json.processing_time * 1000);
    if (res.json.predicted_label === label) votes.VOTE!++;
    for (const f of FAMILIES) if (res.json.model_votes[f] === label) votes[f]!++;
  }
  const n = held.length;
  const chunk = Array.from(
    generateClip({ seed: 777, label: 'gold', seconds: 1, events: 1 }).samples,
  );
  const quickMs: number[] = [];
  for (let i = 0; i < Number(values.repeats); i++) {
    const res = await post('/api/quick-classify', { audio: chunk, sample_rate: 22050 });
    if (res.status !== 200) throw new Error(`quick-classify: ${JSON.stringify(res.json)}`);
    quickMs.push(res.ms);
  }

  // scikit-learn on the same summary features of the same training clips (the split's train part).
  const project = (await (await fetch(`${base}/api/projects`)).json()).data[0].id as string;
  const X: number[][] = [];
  const y: number[] = [];
  for (const t of trainClips) {
    const info = await (
      await fetch(`${base}/api/datasets/${project}/images/${encodeURIComponent(t.name)}/info`)
    ).json();
    const subset = info.data.splits.at(-1)?.subset;
    if (subset !== 'train') continue;
    for (const s of segmentsOf(toModelRate(t.clip.samples, t.clip.sampleRate))) {
      X.push(summaryFeatures(s));
      y.push(t.label);
    }
  }
  const test = { X: [] as number[][], clip: [] as number[], y: [] as number[] };
  held.forEach((h, i) => {
    for (const s of segmentsOf(toModelRate(h.clip.samples, h.clip.sampleRate))) {
      test.X.push(summaryFeatures(s));
      test.clip.push(i);
      test.y.push(h.label);
    }
  });
  const data = path.join(dir, 'features.json');
  await writeFile(data, JSON.stringify({ train: { X, y }, test }));
  const peer = await new Promise<Json>((resolve) =>
    execFile(
      values.python!,
      [path.join(root, 'bench', 'peers', 'audio_rf_sklearn.py'), data],
      (err, out) =>
        resolve(err ? { skipped: String(err.message).split('\n')[0] } : JSON.parse(out)),
    ),
  );

  const perf = await (await fetch(`${base}/api/analytics/model-performance`)).json();
  const result = {
    date: new Date().toISOString(),
    config: {
      train_clips_per_class: Number(values.train),
      held_out_per_class: Number(values.test),
      epochs: Number(values.epochs),
    },
    training_seconds: r(trainSeconds),
    upload_5s_ms: {
      p50: r(pct(uploadMs, 0.5)),
      p95: r(pct(uploadMs, 0.95)),
      processing_p50: r(pct(processing, 0.5)),
      cpu_p50: r(pct(uploadCpuMs, 0.5)),
      goal: 50,
      reference: 1230,
    },
    quick_classify_1s_ms: { p50: r(pct(quickMs, 0.5)), p95: r(pct(quickMs, 0.95)) },
    held_out_accuracy: Object.fromEntries(Object.entries(votes).map(([k, v]) => [k, r(v / n, 4)])),
    sklearn_random_forest: peer,
    test_split_accuracy: {
      vote: perf.vote?.accuracy,
      ...Object.fromEntries(FAMILIES.map((f) => [f, perf.families?.[f]?.accuracy])),
    },
    vote_weights: perf.weights,
    // The machine is shared: latencies are read with its load beside them.
    load_average: os.loadavg().map((v) => r(v)),
  };
  await mkdir(path.join(root, 'bench', 'results'), { recursive: true });
  await writeFile(
    path.join(root, 'bench', 'results', 'audio-models.json'),
    `${JSON.stringify(result, null, 2)}\n`,
  );
  console.log(
    `training (${values.train}/class, ${values.epochs} epochs): ${result.training_seconds} s`,
  );
  console.log(
    `POST /api/upload 5 s clip: p50 ${result.upload_5s_ms.p50} ms, p95 ${result.upload_5s_ms.p95} ms, CPU p50 ${result.upload_5s_ms.cpu_p50} ms (goal ≤ 50, reference 1230)`,
  );
  console.log(
    `POST /api/quick-classify 1 s: p50 ${result.quick_classify_1s_ms.p50} ms, p95 ${result.quick_classify_1s_ms.p95} ms`,
  );
  console.log(
    `held-out accuracy (${n} clips):`,
    JSON.stringify(result.held_out_accuracy),
    `sklearn RF: ${peer.accuracy ?? peer.skipped}`,
  );
} finally {
  server.close();
  await ws.close();
  await rm(dir, { recursive: true, force: true });
}
