import '@tensorflow/tfjs-backend-cpu';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractImageFeatures } from '../../src-main/core/engine/features/image.js';
import { exportOnnx } from '../../src-main/core/engine/export/onnx/export-onnx.js';
import { encodeModel } from '../../src-main/core/engine/export/onnx/onnx-proto.js';
import { resolveOnnxOptions } from '../../src-main/core/engine/export/onnx/options.js';
import {
  FileModelRegistry,
  SessionCache,
  createPredictService,
} from '../../src-main/core/engine/runtime/index.js';
import {
  buildCase,
  maxAbsDiff,
  randomInputs,
  writeCheckpoint,
  ZOO_CASES,
} from './export-fixtures.js';

let dir = '';
let registryRoot = '';
let registry: FileModelRegistry;
let sessions: SessionCache;
beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = await mkdtemp(path.join(tmpdir(), 'assay-runtime-'));
  registryRoot = path.join(dir, 'models');
  registry = new FileModelRegistry(registryRoot);
  sessions = new SessionCache({ capacity: 2, threads: { intraOpNumThreads: 1 } });
});
afterAll(async () => {
  await sessions.close();
  await rm(dir, { recursive: true, force: true });
});

const zoo = (name: string) => ZOO_CASES.find((c) => c.name === name)!;
const predictTf = (model: tfl.LayersModel, x: Float32Array, shape: number[]): Float32Array =>
  tf.tidy(() => (model.predict(tf.tensor(x, shape)) as tf.Tensor).dataSync() as Float32Array);

describe('inference runtime', () => {
  it('a trained image classifier: files → the same features and probabilities as tfjs, labels by class', async () => {
    const c = zoo('small-cnn');
    const { model, root } = await writeCheckpoint(path.join(dir, 'run-img'), c, {
      features: { kind: 'image', input: { width: 20, height: 24, channels: 3 } },
    });
    const version = await registry.registerCheckpoint(path.join(root, 'best'), {
      runId: 'run-0000abcd',
      checkpoint: 'best',
    });
    expect(version).toMatchObject({
      source: 'trained',
      kind: 'classifier',
      input: { name: 'input', dims: ['batch', 3, 24, 20], layout: 'NCHW' },
    });
    const files: string[] = [];
    for (let i = 0; i < 5; i++) {
      const file = path.join(dir, `img${i}.png`);
      const px = Buffer.from(
        randomInputs(1, [30, 26, 3], 20 + i).map((v) => Math.round((v + 1) * 127)),
      );
      await writeFile(
        file,
        await sharp(px, { raw: { width: 26, height: 30, channels: 3 } })
          .png()
          .toBuffer(),
      );
      files.push(file);
    }
    const service = createPredictService({ registry, sessions });
    const preds = await service.predict(
      version.id,
      files.map((file) => ({ file })),
      { batchSize: 2, topK: 2 },
    );
    expect(preds).toHaveLength(5);
    for (const [i, file] of files.entries()) {
      const x = await extractImageFeatures(file, { width: 20, height: 24, channels: 3 });
      const want = predictTf(model, x, [1, 24, 20, 3]);
      const p = preds[i]!;
      expect(maxAbsDiff(p.output, want)).toBeLessThan(1e-4);
      const best = want.indexOf(Math.max(...want));
      expect(p.top).toMatchObject({ index: best, label: `class_${best}` });
      expect(p.top_k).toHaveLength(2);
    }
    // One session for the version, however many batches ran.
    expect(sessions.size).toBe(1);
    const again = await service.predict(
      version.id,
      files.slice(0, 3).map((file) => ({ file })),
      { batchSize: 32 },
    );
    expect(again.map((p) => p.output)).toEqual(preds.slice(0, 3).map((p) => p.output));
  });

  it('normalises features with the training statistics (audio: scalar mean/std)', async () => {
    const c = zoo('audio-cnn');
    const { model, root } = await writeCheckpoint(path.join(dir, 'run-audio'), c, {
      normalization: { mean: 1, std: 2 },
    });
    const version = await registry.registerCheckpoint(path.join(root, 'last'));
    const x = randomInputs(1, c.inputShape, 3);
    const [p] = await createPredictService({ registry, sessions }).predict(version.id, [
      { features: x },
    ]);
    const want = predictTf(
      model,
      x.map((v) => (v - 1) / 2),
      [1, ...c.inputShape],
    );
    expect(maxAbsDiff(p!.output, want)).toBeLessThan(1e-4);
  });

  it('a regressor takes table rows by column name and answers in target units', async () => {
    const c = zoo('mlp');
    const { model, root } = await writeCheckpoint(path.join(dir, 'run-tab'), c, {
      normalization: { mean: [0, 1, 2, 3, 4, 5, 6], std: [1, 2, 1, 2, 1, 2, 1] },
    });
    const version = await registry.registerCheckpoint(path.join(root, 'best'));
    const row = Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`x${i}`, i * 0.5]));
    const [p] = await createPredictService({ registry, sessions }).predict(version.id, [{ row }]);
    const xs = Float32Array.from({ length: 7 }, (_, i) => (i * 0.5 - i) / (i % 2 ? 2 : 1));
    const want = predictTf(model, xs, [1, 7])[0]! * 0.75 + 2.5;
    expect(Math.abs(p!.value! - want)).toBeLessThan(1e-4);
    await expect(
      createPredictService({ registry, sessions }).predict(version.id, [{ row: { x0: 1 } }]),
    ).rejects.toMatchObject({ code: 'bad_request' });
  });

  it('imports ONNX files: a fixed-batch model runs padded batches; non-ONNX and unloadable files are refused, nothing left behind', async () => {
    const c = zoo('mobilenet-lite');
    const model = buildCase(c);
    const onnx = exportOnnx(
      model,
      resolveOnnxOptions({ input_shape: [2, 3, 32, 32] }, c.inputShape),
    );
    const file = path.join(dir, 'mobilenet.onnx');
    await writeFile(file, onnx.bytes);
    const version = await registry.importOnnx(file, { classes: ['a', 'b', 'c'] });
    expect(version).toMatchObject({
      source: 'imported',
      kind: 'classifier',
      input: { dims: [2, 3, 32, 32], layout: 'NCHW' },
      features: { kind: 'image' },
    });
    const x = randomInputs(3, c.inputShape, 8);
    const size = 32 * 32 * 3;
    const preds = await createPredictService({ registry, sessions }).predict(
      version.id,
      [0, 1, 2].map((i) => ({ features: x.slice(i * size, (i + 1) * size) })),
    );
    expect(
      maxAbsDiff(
        preds.flatMap((p) => p.output),
        predictTf(model, x, [3, 32, 32, 3]),
      ),
    ).toBeLessThan(1e-4);

    const before = await readdir(registryRoot);
    const text = path.join(dir, 'notes.onnx');
    await writeFile(text, 'this is not a model\n');
    const empty = path.join(dir, 'empty.onnx');
    await writeFile(empty, '');
    const png = path.join(dir, 'img0.png');
    for (const f of [text, empty, png]) {
      await expect(registry.importOnnx(f)).rejects.toMatchObject({
        code: 'unsupported_media_type',
      });
    }
    const unknownOp = path.join(dir, 'unknown-op.onnx');
    await writeFile(
      unknownOp,
      encodeModel({
        irVersion: 8,
        opsetImport: [{ domain: '', version: 17 }],
        producerName: 'test',
        producerVersion: '1',
        graph: {
          name: 'g',
          node: [
            { name: 'n', opType: 'NoSuchOp', input: ['input'], output: ['output'], attribute: [] },
          ],
          initializer: [],
          input: [
            {
              name: 'input',
              type: { tensorType: { elemType: 1, shape: { dim: [{ dimValue: 1 }] } } },
            },
          ],
          output: [
            {
              name: 'output',
              type: { tensorType: { elemType: 1, shape: { dim: [{ dimValue: 1 }] } } },
            },
          ],
        },
        metadataProps: [],
      }),
    );
    await expect(registry.importOnnx(unknownOp)).rejects.toMatchObject({ code: 'unprocessable' });
    expect(await readdir(registryRoot)).toEqual(before);
    model.dispose();
  });

  it('lists, removes and reports unknown versions; thread settings are checked', async () => {
    const all = await registry.list();
    expect(all.length).toBeGreaterThanOrEqual(4);
    const victim = all[0]!;
    await sessions.evict(victim.id);
    await registry.remove(victim.id);
    await expect(registry.get(victim.id)).rejects.toMatchObject({ code: 'not_found' });
    await expect(
      createPredictService({ registry, sessions }).predict('mv-00000000', []),
    ).rejects.toMatchObject({ code: 'not_found' });
    await expect(sessions.setThreads({ intraOpNumThreads: -1 })).rejects.toMatchObject({
      code: 'bad_request',
    });
    expect(await sessions.setThreads({ intraOpNumThreads: 2 })).toEqual({
      intraOpNumThreads: 2,
      interOpNumThreads: 0,
    });
    expect(sessions.size).toBe(0);
  });

  it('recovers from crashes, skips damaged versions, refuses oversized and missing imports', async () => {
    const root = path.join(dir, 'models-recover');
    const small = new FileModelRegistry(root, { maxImportBytes: 64 });
    await mkdir(path.join(root, '.mv-0000abcd.tmp'), { recursive: true });
    await mkdir(path.join(root, '.mv-0000abce.deleted-12345678'), { recursive: true });
    await mkdir(path.join(root, 'mv-0000abcf'), { recursive: true });
    await writeFile(path.join(root, 'mv-0000abcf', 'version.json'), '{ damaged');
    await small.recover();
    expect((await readdir(root)).sort()).toEqual(['mv-0000abcf']);
    expect(await small.list()).toEqual([]);
    const big = path.join(dir, 'big.onnx');
    await writeFile(big, new Uint8Array(65));
    await expect(small.importOnnx(big)).rejects.toMatchObject({ code: 'payload_too_large' });
    await expect(small.importOnnx(path.join(dir, 'absent.onnx'))).rejects.toMatchObject({
      code: 'not_found',
    });
    expect((await readdir(root)).sort()).toEqual(['mv-0000abcf']);
  });
});
