// Transfer learning through the HTTP API, end to end on the real trainer: a classification
// project on the three-shapes set (colour says nothing about the class), the DEFAULT experiment
// (no config at all: mobilenet-v2-transfer), trained, evaluated on the test subset (100 %), and
// exported as ONE ONNX graph from 224×224×3 pixels to probabilities that agrees with TF.js.
import '@tensorflow/tfjs-backend-cpu';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { strFromU8, unzipSync } from 'fflate';
import * as ort from 'onnxruntime-node';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportStarted } from '../../src-shared/contract/datasets.js';
import { Evaluation } from '../../src-shared/contract/evaluation.js';
import { Export } from '../../src-shared/contract/export.js';
import { Experiment, Run, RunStarted } from '../../src-shared/contract/training.js';
import { extractImageFeatures } from '../../src-main/core/engine/features/image.js';
import { writeShapesFolder } from '../../e2e/helpers/images.js';
import {
  createProject,
  okData,
  openTestApp,
  waitForJob,
  type TestApp,
} from './helpers/test-app.js';
import { sleep } from './training-helpers.js';

let t: TestApp;
let pid = '';
let expId = '';
let runId = '';
let dataDir = '';

const binary = (res: request.Response, cb: (err: Error | null, body: Buffer) => void): void => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

async function waitFor<T extends { status: string }>(
  url: string,
  schema: { parse: (v: unknown) => T },
  done: readonly string[],
): Promise<T> {
  for (;;) {
    const v = okData(await request(t.app).get(url), schema as never) as T;
    if (done.includes(v.status)) return v;
    await sleep(100);
  }
}

async function exportOf(
  format: 'onnx' | 'tfjs',
  exp = expId,
  run = runId,
): Promise<Record<string, Uint8Array>> {
  const created = okData(
    await request(t.app)
      .post(`/api/export/${pid}`)
      .send({
        experiment_id: exp,
        run_id: run,
        checkpoint: 'best',
        format,
        ...(format === 'onnx' ? { options: { dynamic_axes: { input: { '0': 'batch' } } } } : {}),
      }),
    Export,
  );
  const done = await waitFor(`/api/export/${pid}/${created.export_id}`, Export, [
    'completed',
    'failed',
  ]);
  expect(done.status, done.message ?? '').toBe('completed');
  const res = await request(t.app).get(done.download_url!).buffer(true).parse(binary);
  return unzipSync(new Uint8Array(res.body as Buffer));
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  t = await openTestApp();
  pid = (await createProject(t.app, 'Shapes')).id;
  dataDir = await writeShapesFolder(path.join(t.root, 'shapes'), 60);
  const started = okData(
    await request(t.app).post(`/api/datasets/${pid}/import/local`).send({ path: dataDir }),
    ImportStarted,
  );
  expect((await waitForJob(t.app, started.job_id)).status).toBe('completed');
  await request(t.app)
    .post(`/api/splits/${pid}`)
    .send({ name: 'shapes', ratios: { train: 0.6, val: 0.2, test: 0.2 }, seed: 11 })
    .expect(200);
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe('mobilenet-v2-transfer, the default image experiment', () => {
  it('is what an experiment without a config trains, and it reaches 100 % test accuracy', async () => {
    const exp = okData(
      await request(t.app).post(`/api/training/${pid}/experiments`).send({ name: 'default' }),
      Experiment,
    );
    expId = exp.id;
    expect(exp.config).toMatchObject({
      architecture: 'mobilenet-v2-transfer',
      input: { width: 224, height: 224, channels: 3 },
    });
    runId = okData(
      await request(t.app).post(`/api/training/${pid}/experiments/${expId}/run`),
      RunStarted,
    ).run_id;
    const run = await waitFor(`/api/training/${pid}/runs/${runId}`, Run, [
      'completed',
      'failed',
      'interrupted',
      'stopped',
    ]);
    expect(run.status, run.message ?? '').toBe('completed');
    console.log(
      JSON.stringify(
        run.metrics.history.map((e) =>
          [e.epoch, e.loss, e.accuracy, e.val_loss, e.val_accuracy].map((v) =>
            Number(Number(v).toFixed(3)),
          ),
        ),
      ),
    );

    // The converted backbone sits in the workspace's model cache, the features in the project's.
    expect(await readdir(path.join(t.workspaceDir, 'cache', 'models'))).toEqual(
      expect.arrayContaining([expect.stringMatching(/^mobilenet-v2-[0-9a-f]{16}-c\d+\.onnx$/)]),
    );
    const featureDirs = await readdir(
      path.join(t.workspaceDir, 'projects', pid, 'cache', 'features'),
    );
    expect(featureDirs.some((d) => d.startsWith('backbone-'))).toBe(true);

    const created = okData(
      await request(t.app).post(`/api/evaluation/${pid}`).send({
        experiment_id: expId,
        run_id: runId,
        checkpoint: 'best',
        split_index: 0,
        split_subset: 'test',
      }),
      Evaluation,
    );
    const ev = await waitFor(`/api/evaluation/${pid}/${created.eval_id}`, Evaluation, [
      'completed',
      'failed',
    ]);
    expect(ev.status, ev.message ?? '').toBe('completed');
    const metrics = ev.metrics as { accuracy: number; count: number };
    expect(metrics.count).toBe(36);
    expect(metrics.accuracy).toBe(1);
  }, 600_000);

  it('exports one ONNX graph from pixels to probabilities, matching the TF.js export', async () => {
    const onnxZip = await exportOf('onnx');
    const meta = JSON.parse(strFromU8(onnxZip['metadata.json']!)) as {
      input: { shape: unknown[] };
    };
    expect(meta.input.shape).toEqual(['batch', 3, 224, 224]);

    // Three real images, one per shape, decoded exactly as training decoded them.
    const files = ['circle', 'square', 'triangle'].map((s) =>
      path.join(dataDir, s, 'shape-000.png'),
    );
    const hwc = await Promise.all(
      files.map((f) => extractImageFeatures(f, { width: 224, height: 224, channels: 3 })),
    );
    const n = hwc.length;
    const nhwc = new Float32Array(n * 224 * 224 * 3);
    hwc.forEach((x, i) => nhwc.set(x, i * x.length));
    const nchw = new Float32Array(nhwc.length);
    for (let b = 0; b < n; b++)
      for (let p = 0; p < 224 * 224; p++)
        for (let c = 0; c < 3; c++)
          nchw[(b * 3 + c) * 224 * 224 + p] = nhwc[(b * 224 * 224 + p) * 3 + c]!;
    const session = await ort.InferenceSession.create(onnxZip['model.onnx']!);
    const onnxProbs = (
      await session.run({ input: new ort.Tensor('float32', nchw, [n, 3, 224, 224]) })
    ).output!.data as Float32Array;
    await session.release();
    expect(onnxProbs).toHaveLength(n * 3);

    const tfjsZip = await exportOf('tfjs');
    const modelJson = JSON.parse(strFromU8(tfjsZip['model/model.json']!)) as tf.io.ModelJSON;
    const weights = tfjsZip['model/weights.bin']!;
    const model = await tfl.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: modelJson.modelTopology,
        weightSpecs: modelJson.weightsManifest.flatMap((g) => g.weights),
        weightData: weights.buffer.slice(
          weights.byteOffset,
          weights.byteOffset + weights.byteLength,
        ) as ArrayBuffer,
      }),
    );
    expect(model.inputs[0]!.shape).toEqual([null, 224, 224, 3]);
    const tfjsProbs = tf.tidy(
      () =>
        (
          model.predict(tf.tensor4d(nhwc, [n, 224, 224, 3])) as tf.Tensor
        ).dataSync() as Float32Array,
    );
    model.dispose();
    let worst = 0;
    for (let i = 0; i < onnxProbs.length; i++)
      worst = Math.max(worst, Math.abs(onnxProbs[i]! - tfjsProbs[i]!));
    expect(worst).toBeLessThan(1e-4);
    // Each shape's own image is classified as that shape by the shipped graph.
    const classes = ['circle', 'square', 'triangle'];
    for (let i = 0; i < n; i++) {
      const p = Array.from(onnxProbs.subarray(i * 3, i * 3 + 3));
      expect(classes[p.indexOf(Math.max(...p))]).toBe(classes[i]);
    }
  }, 300_000);

  it('fine-tunes block_13_expand as an option, trained and exported the same way', async () => {
    const exp = okData(
      await request(t.app)
        .post(`/api/training/${pid}/experiments`)
        .send({ name: 'fine-tuned', config: { fine_tune: true, epochs: 30 } }),
      Experiment,
    );
    expect(exp.config).toMatchObject({ architecture: 'mobilenet-v2-transfer', fine_tune: true });
    const run = okData(
      await request(t.app).post(`/api/training/${pid}/experiments/${exp.id}/run`),
      RunStarted,
    ).run_id;
    const done = await waitFor(`/api/training/${pid}/runs/${run}`, Run, [
      'completed',
      'failed',
      'interrupted',
      'stopped',
    ]);
    expect(done.status, done.message ?? '').toBe('completed');
    const featureDirs = await readdir(
      path.join(t.workspaceDir, 'projects', pid, 'cache', 'features'),
    );
    // Its own cache: the fine-tuned layer's input, not the pooled features.
    expect(featureDirs.filter((d) => d.startsWith('backbone-'))).toHaveLength(2);
    const created = okData(
      await request(t.app).post(`/api/evaluation/${pid}`).send({
        experiment_id: exp.id,
        run_id: run,
        checkpoint: 'best',
        split_index: 0,
        split_subset: 'test',
      }),
      Evaluation,
    );
    const ev = await waitFor(`/api/evaluation/${pid}/${created.eval_id}`, Evaluation, [
      'completed',
      'failed',
    ]);
    expect(ev.status, ev.message ?? '').toBe('completed');
    expect((ev.metrics as { accuracy: number }).accuracy).toBeGreaterThanOrEqual(0.9);
    // Its export is one graph too: pixels in, the fine-tuned layer inside, probabilities out.
    const zip = await exportOf('onnx', exp.id, run);
    const session = await ort.InferenceSession.create(zip['model.onnx']!);
    const x = await extractImageFeatures(path.join(dataDir, 'square', 'shape-000.png'), {
      width: 224,
      height: 224,
      channels: 3,
    });
    const nchw = new Float32Array(x.length);
    for (let p = 0; p < 224 * 224; p++)
      for (let c = 0; c < 3; c++) nchw[c * 224 * 224 + p] = x[p * 3 + c]!;
    const probs = (await session.run({ input: new ort.Tensor('float32', nchw, [1, 3, 224, 224]) }))
      .output!.data as Float32Array;
    await session.release();
    expect(probs).toHaveLength(3);
    expect(probs[0]! + probs[1]! + probs[2]!).toBeCloseTo(1, 5);
    const tfjsZip = await exportOf('tfjs', exp.id, run);
    const modelJson = JSON.parse(strFromU8(tfjsZip['model/model.json']!)) as tf.io.ModelJSON;
    const w = tfjsZip['model/weights.bin']!;
    const model = await tfl.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: modelJson.modelTopology,
        weightSpecs: modelJson.weightsManifest.flatMap((g) => g.weights),
        weightData: w.buffer.slice(w.byteOffset, w.byteOffset + w.byteLength) as ArrayBuffer,
      }),
    );
    const ref = tf.tidy(
      () =>
        (model.predict(tf.tensor4d(x, [1, 224, 224, 3])) as tf.Tensor).dataSync() as Float32Array,
    );
    model.dispose();
    for (let i = 0; i < 3; i++) expect(Math.abs(probs[i]! - ref[i]!)).toBeLessThan(1e-4);
  }, 600_000);
});
