// Runs for the predict tests (image, audio, regression), trained through the HTTP API, and the
// reference outputs those runs' checkpoints give in TensorFlow.js itself.
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import request from 'supertest';
import { ImportStarted } from '../../src-shared/contract/datasets.js';
import {
  Experiment,
  Run,
  RunStarted,
  type ExperimentConfigInput,
} from '../../src-shared/contract/training.js';
import {
  loadCheckpointModel,
  readCheckpointFiles,
} from '../../src-main/core/engine/export/checkpoint-model.js';
import { extractAudioFeatures } from '../../src-main/core/engine/features/audio.js';
import { extractImageFeatures } from '../../src-main/core/engine/features/image.js';
import { createProject, okData, waitForJob, type TestApp } from './helpers/test-app.js';
import { wavBuffer } from './helpers/media.js';
import { sleep } from './training-helpers.js';

export interface TrainedRun {
  readonly pid: string;
  readonly expId: string;
  readonly runId: string;
}

/** Imports `files` (relative path → bytes), splits, and trains one run to completion. */
export async function trainRun(
  t: TestApp,
  task: string,
  files: Readonly<Record<string, Uint8Array | string>>,
  config: ExperimentConfigInput,
): Promise<TrainedRun> {
  const pid = (await createProject(t.app, `Predict ${task}`, task)).id;
  const dir = await mkdtemp(path.join(t.root, 'data-'));
  for (const [rel, bytes] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), bytes);
  }
  const started = okData(
    await request(t.app).post(`/api/datasets/${pid}/import/local`).send({ path: dir }),
    ImportStarted,
  );
  const job = await waitForJob(t.app, started.job_id);
  if (job.status !== 'completed') throw new Error(`import ${job.status}: ${job.error ?? ''}`);
  await request(t.app)
    .post(`/api/splits/${pid}`)
    .send({ name: 's', ratios: { train: 0.7, val: 0.3, test: 0 }, seed: 3 })
    .expect(200);
  const expId = okData(
    await request(t.app)
      .post(`/api/training/${pid}/experiments`)
      .send({ name: 'e', split_index: 0, config }),
    Experiment,
  ).id;
  const runId = await startRun(t, pid, expId);
  for (;;) {
    const run = okData(await request(t.app).get(`/api/training/${pid}/runs/${runId}`), Run);
    if (run.status === 'completed') return { pid, expId, runId };
    if (['failed', 'interrupted', 'stopped'].includes(run.status))
      throw new Error(run.message ?? run.status);
    await sleep(50);
  }
}

export async function startRun(t: TestApp, pid: string, expId: string): Promise<string> {
  return okData(
    await request(t.app).post(`/api/training/${pid}/experiments/${expId}/run`),
    RunStarted,
  ).run_id;
}

/** Two tones, a few clips each: 0.5 s at 8 kHz, the classes an octave apart. */
export function toneFiles(): Record<string, Uint8Array> {
  const out: Record<string, Uint8Array> = {};
  for (let i = 0; i < 5; i++) {
    out[`low/low-${i}.wav`] = wavBuffer({ seconds: 0.5, freq: 300 + 7 * i });
    out[`high/high-${i}.wav`] = wavBuffer({ seconds: 0.5, freq: 1200 + 11 * i });
  }
  return out;
}

/** y = 3a − 2b + 1 on a grid. */
export function gridCsv(): string {
  const lines = ['a,b,y'];
  for (let i = 0; i < 60; i++) {
    const a = (i % 10) / 10;
    const b = Math.floor(i / 10) / 6;
    lines.push(`${a},${b},${3 * a - 2 * b + 1}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * What TensorFlow.js itself answers for one item with a run's checkpoint: the same features,
 * normalised with the checkpoint's statistics, through the layers model, in target units.
 */
export async function tfjsReference(
  checkpointDir: string,
  item: { readonly file: string } | { readonly values: readonly number[] },
): Promise<number[]> {
  const files = await readCheckpointFiles(checkpointDir);
  const { meta } = files;
  let x: Float32Array;
  if ('values' in item) x = Float32Array.from(item.values);
  else if (meta.features.kind === 'image')
    x = await extractImageFeatures(item.file, meta.features.input);
  else if (meta.features.kind === 'audio')
    x = await extractAudioFeatures(item.file, meta.features.input);
  else throw new Error('a table checkpoint takes values');
  const { mean, std } = meta.normalization;
  const m = typeof mean === 'number' ? [mean] : mean;
  const s = typeof std === 'number' ? [std] : std;
  x = x.map((v, i) => (v - (m[i % m.length] as number)) / (s[i % s.length] as number));
  const model = await loadCheckpointModel(files);
  try {
    const y = tf.tidy(() =>
      Array.from((model.predict(tf.tensor(x, [1, ...meta.input_shape])) as tf.Tensor).dataSync()),
    );
    const tn = meta.target_normalization;
    return tn ? y.map((v) => v * tn.std + tn.mean) : y;
  } finally {
    model.dispose();
  }
}
