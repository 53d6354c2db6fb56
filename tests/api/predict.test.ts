// The predict operation over HTTP against a real workstation and the real trainer: image, audio
// and regression runs, answers checked against TensorFlow.js on the same checkpoint, every 4xx,
// nothing left in the workspace's tmp folder, and /health counting the open onnxruntime sessions.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Health } from '../../src-shared/contract/system.js';
import { Experiment } from '../../src-shared/contract/training.js';
import {
  ModelInfo,
  ModelsList,
  Prediction,
  RunPrediction,
} from '../../src-shared/contract/predict.js';
import { truncatedJpeg, wavBuffer } from './helpers/media.js';
import { expectError, okData, openTestApp, type TestApp } from './helpers/test-app.js';
import {
  gridCsv,
  startRun,
  tfjsReference,
  toneFiles,
  trainRun,
  type TrainedRun,
} from './predict-helpers.js';
import { tinyConfig, writeImageDataset } from './training-helpers.js';

let t: TestApp;
let image: TrainedRun;
let png: Buffer;
const runDir = (r: TrainedRun) => path.join(t.workspaceDir, 'projects', r.pid, 'runs', r.runId);
const url = (r: TrainedRun, q = '') => `/api/training/${r.pid}/runs/${r.runId}/predict${q}`;
const modelsLoaded = async () =>
  okData(await request(t.app).get('/api/system/health'), Health).models_loaded;
const tmpEmpty = async () =>
  expect(
    (await readdir(path.join(t.workspaceDir, 'tmp'))).filter((n) => !n.startsWith('.')),
  ).toEqual([]);
const maxDiff = (a: readonly number[], b: readonly number[]) =>
  Math.max(...a.map((v, i) => Math.abs(v - (b[i] as number))));

beforeAll(async () => {
  // A small upload limit, so "too big" is cheap to send (it bounds predict files too).
  t = await openTestApp({ limits: { maxUploadBytes: 300_000 } });
  const files: Record<string, Uint8Array> = {};
  const dir = path.join(t.root, 'images');
  await writeImageDataset(dir, 6, ['left', 'right']);
  for (const cls of ['left', 'right'])
    for (const f of await readdir(path.join(dir, cls)))
      files[`${cls}/${f}`] = await readFile(path.join(dir, cls, f));
  png = Buffer.from(files['right/right-0.png']!);
  image = await trainRun(t, 'classification', files, tinyConfig({ epochs: 1 }));
});
afterAll(async () => {
  await t?.close();
});

describe('predict on a run', () => {
  it('an image: every class, sorted, summing to 1, equal to TensorFlow.js; exported once, then served from the session', async () => {
    expect(await modelsLoaded()).toBe(0);
    const first = okData(
      await request(t.app).post(url(image)).attach('file', png, 'probe.png'),
      RunPrediction,
    );
    expect(first).toMatchObject({
      project_id: image.pid,
      run_id: image.runId,
      checkpoint: 'best',
      task: 'classification',
      kind: 'classification',
      value: null,
      first_use: true,
    });
    expect(first.probabilities.map((p) => p.label).sort()).toEqual(['left', 'right']);
    const probs = first.probabilities.map((p) => p.probability);
    expect(probs).toEqual([...probs].sort((a, b) => b - a));
    expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(first.top).toEqual(first.probabilities[0]);
    expect(first.time_ms).toBeGreaterThanOrEqual(0);
    expect(first.total_ms).toBeGreaterThanOrEqual(first.time_ms);

    const probe = path.join(t.root, 'probe.png');
    await writeFile(probe, png);
    const want = await tfjsReference(path.join(runDir(image), 'checkpoints', 'best'), {
      file: probe,
    });
    expect(maxDiff(first.output, want)).toBeLessThan(1e-4);

    // The ONNX export is cached in the run's folder; the second call reuses it and its session.
    const inference = path.join(runDir(image), 'inference');
    expect((await readdir(inference)).filter((n) => n.startsWith('mv-'))).toEqual([first.model_id]);
    expect(await modelsLoaded()).toBe(1);
    const again = okData(
      await request(t.app).post(url(image)).attach('file', png, 'probe.png'),
      RunPrediction,
    );
    expect(again).toMatchObject({
      model_id: first.model_id,
      first_use: false,
      output: first.output,
    });
    expect(await modelsLoaded()).toBe(1);
    const listed = okData(await request(t.app).get('/api/system/models'), ModelsList);
    expect(listed.models_loaded).toBe(1);
    expect(listed.models).toEqual([
      expect.objectContaining({
        id: first.model_id,
        source: 'trained',
        run_id: image.runId,
        loaded: true,
      }),
    ]);
    // The last checkpoint is a model (and a session) of its own.
    const last = okData(
      await request(t.app).post(url(image, '?checkpoint=last')).attach('file', png, 'probe.png'),
      RunPrediction,
    );
    expect(last.checkpoint).toBe('last');
    expect(last.model_id).not.toBe(first.model_id);
    expect(await modelsLoaded()).toBe(2);
    await tmpEmpty();
  });

  it('refuses bad calls with clear 4xx, nothing left behind', async () => {
    const other = `/api/training/${image.pid}/runs/run-00000000/predict`;
    expectError(await request(t.app).post(other).attach('file', png, 'a.png'), 404, 'not_found');
    expectError(
      await request(t.app)
        .post('/api/training/proj-00000000/runs/run-00000000/predict')
        .attach('file', png, 'a.png'),
      404,
      'not_found',
    );
    expectError(
      await request(t.app).post(`/api/training/${image.pid}/runs/nope/predict`),
      400,
      'validation_error',
    );
    expectError(
      await request(t.app).post(url(image, '?checkpoint=worst')).attach('file', png, 'a.png'),
      400,
      'validation_error',
    );
    // Wrong media for the task: a sound, a text file, a table row.
    const wav = wavBuffer({ seconds: 0.2 });
    const e1 = expectError(
      await request(t.app).post(url(image)).attach('file', wav, 'tone.wav'),
      415,
      'unsupported_media_type',
    );
    expect(e1.error.message).toContain('tone.wav');
    expectError(
      await request(t.app)
        .post(url(image))
        .attach('file', Buffer.from('just some text\n'.repeat(10)), 'notes.png'),
      415,
      'unsupported_media_type',
    );
    expectError(
      await request(t.app)
        .post(url(image))
        .send({ row: [1, 2] }),
      415,
      'unsupported_media_type',
    );
    expectError(
      await request(t.app).post(url(image)).set('Content-Type', 'text/plain').send('hello'),
      415,
      'unsupported_media_type',
    );
    expectError(await request(t.app).post(url(image)), 415, 'unsupported_media_type');
    // An image that cannot be decoded.
    const bad = expectError(
      await request(t.app)
        .post(url(image))
        .attach('file', await truncatedJpeg(), 'broken.jpg'),
      422,
      'unprocessable',
    );
    expect(bad.error.message).toContain('broken.jpg');
    expect(bad.error.message).not.toContain('upload-');
    // Too big, and more than one file.
    expectError(
      await request(t.app).post(url(image)).attach('file', Buffer.alloc(400_000, 1), 'huge.png'),
      413,
      'payload_too_large',
    );
    const two = await request(t.app)
      .post(url(image))
      .attach('file', png, 'a.png')
      .attach('file', png, 'b.png');
    expect([400, 413]).toContain(two.status);
    // Wrong method under the path.
    expectError(await request(t.app).get(url(image)), 404, 'not_found');
    await tmpEmpty();
  });

  it('a run that has not completed answers 409', async () => {
    const exp = okData(
      await request(t.app)
        .post(`/api/training/${image.pid}/experiments`)
        .send({ name: 'long', split_index: 0, config: tinyConfig({ epochs: 2000 }) }),
      Experiment,
    );
    const runId = await startRun(t, image.pid, exp.id);
    const live = { ...image, runId };
    expectError(await request(t.app).post(url(live)).attach('file', png, 'a.png'), 409, 'conflict');
    expectError(await request(t.app).post(`${url(live)}/prepare`), 409, 'conflict');
    await request(t.app).post(`/api/training/${image.pid}/runs/${runId}/stop`).expect(200);
    await tmpEmpty();
  });

  it('an audio run takes sound files and refuses images', async () => {
    const audio = await trainRun(t, 'audio-classification', toneFiles(), {
      architecture: 'audio-cnn',
      input: { sample_rate: 8000, clip_seconds: 0.5, n_mels: 16 },
      epochs: 1,
      batch_size: 4,
      seed: 7,
      early_stopping: { enabled: false },
    });
    // Prepared ahead (as the Try it panel does on opening): the first item finds it loaded.
    const before = await modelsLoaded();
    const prepared = okData(
      await request(t.app).post(`/api/training/${audio.pid}/runs/${audio.runId}/predict/prepare`),
      ModelInfo,
    );
    expect(prepared).toMatchObject({ source: 'trained', run_id: audio.runId, loaded: true });
    expect(await modelsLoaded()).toBe(before + 1);
    const wav = wavBuffer({ seconds: 0.5, freq: 1210 });
    const p = okData(
      await request(t.app).post(url(audio)).attach('file', wav, 'tone.wav'),
      RunPrediction,
    );
    expect(p.task).toBe('audio-classification');
    expect(p).toMatchObject({ model_id: prepared.id, first_use: false });
    expect(p.probabilities.map((c) => c.label).sort()).toEqual(['high', 'low']);
    const file = path.join(t.root, 'tone.wav');
    await writeFile(file, wav);
    const want = await tfjsReference(path.join(runDir(audio), 'checkpoints', 'best'), { file });
    expect(maxDiff(p.output, want)).toBeLessThan(1e-4);
    expectError(
      await request(t.app).post(url(audio)).attach('file', png, 'a.png'),
      415,
      'unsupported_media_type',
    );
    // Deleting the run deletes its exports; its session is no longer counted.
    const loaded = await modelsLoaded();
    await request(t.app).delete(`/api/training/${audio.pid}/runs/${audio.runId}`).expect(200);
    expect(await modelsLoaded()).toBe(loaded - 1);
  });

  it('a regression run takes a row by column name or in column order and answers the value', async () => {
    const reg = await trainRun(
      t,
      'regression',
      { 'grid.csv': gridCsv() },
      {
        architecture: 'mlp',
        hidden_layers: [8],
        epochs: 2,
        batch_size: 8,
        seed: 7,
        early_stopping: { enabled: false },
      },
    );
    const byName = okData(
      await request(t.app)
        .post(url(reg))
        .send({ row: { a: 0.5, b: 0.25 } }),
      RunPrediction,
    );
    expect(byName).toMatchObject({
      kind: 'regression',
      top: null,
      probabilities: [],
      task: 'regression',
    });
    const want = await tfjsReference(path.join(runDir(reg), 'checkpoints', 'best'), {
      values: [0.5, 0.25],
    });
    expect(Math.abs(byName.value! - want[0]!)).toBeLessThan(1e-4);
    const byOrder = okData(
      await request(t.app)
        .post(url(reg))
        .send({ row: [0.5, 0.25] }),
      RunPrediction,
    );
    expect(byOrder.value).toBe(byName.value);
    expectError(
      await request(t.app)
        .post(url(reg))
        .send({ row: { a: 1 } }),
      400,
      'bad_request',
    );
    expectError(
      await request(t.app)
        .post(url(reg))
        .send({ row: [1, 2, 3] }),
      400,
      'bad_request',
    );
    expectError(
      await request(t.app)
        .post(url(reg))
        .send({ row: { a: 'x', b: 1 } }),
      400,
      'validation_error',
    );
    expectError(
      await request(t.app).post(url(reg)).attach('file', png, 'a.png'),
      415,
      'unsupported_media_type',
    );
  });
});

describe('imported ONNX models', () => {
  it('imports a model file, lists it, predicts with it, deletes it; non-ONNX is refused', async () => {
    const runs = await readdir(path.join(runDir(image), 'inference'));
    const onnx = await readFile(
      path.join(
        runDir(image),
        'inference',
        runs.find((n) => n.startsWith('mv-'))!,
        'model.onnx',
      ),
    );
    const before = await modelsLoaded();
    const imported = okData(
      await request(t.app)
        .post('/api/system/models/import')
        .field('classes', JSON.stringify(['left', 'right']))
        .attach('file', onnx, 'left-right.onnx'),
      ModelInfo,
    );
    expect(imported).toMatchObject({
      source: 'imported',
      kind: 'classifier',
      name: 'left-right.onnx',
      loaded: false,
    });
    const p = okData(
      await request(t.app)
        .post(`/api/system/models/${imported.id}/predict`)
        .attach('file', png, 'a.png'),
      Prediction,
    );
    const viaRun = okData(
      await request(t.app).post(url(image)).attach('file', png, 'a.png'),
      RunPrediction,
    );
    expect(maxDiff(p.output, viaRun.output)).toBeLessThan(1e-6);
    expect(p.top?.label).toBe(viaRun.top?.label);
    expect(await modelsLoaded()).toBe(before + 1);
    const listed = okData(await request(t.app).get('/api/system/models'), ModelsList);
    expect(listed.models.find((m) => m.id === imported.id)).toMatchObject({ loaded: true });

    expectError(
      await request(t.app)
        .post('/api/system/models/import')
        .attach('file', Buffer.from('not a model'), 'x.onnx'),
      415,
      'unsupported_media_type',
    );
    expectError(
      await request(t.app).post('/api/system/models/import').send({}),
      415,
      'unsupported_media_type',
    );
    expectError(
      await request(t.app)
        .post('/api/system/models/import')
        .field('classes', '[oops')
        .attach('file', onnx, 'm.onnx'),
      400,
      'bad_request',
    );
    await request(t.app).delete(`/api/system/models/${imported.id}`).expect(200);
    expect(await modelsLoaded()).toBe(before);
    expectError(await request(t.app).delete(`/api/system/models/${imported.id}`), 404, 'not_found');
    expectError(
      await request(t.app)
        .post(`/api/system/models/${imported.id}/predict`)
        .attach('file', png, 'a.png'),
      404,
      'not_found',
    );
    await tmpEmpty();
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await request(t.app).get('/openapi.json')).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    expect(doc.paths['/api/training/{project_id}/runs/{run_id}/predict']?.post).toBeDefined();
    expect(doc.paths['/api/system/models']?.get).toBeDefined();
    expect(doc.paths['/api/system/models/import']?.post).toBeDefined();
  });
});
