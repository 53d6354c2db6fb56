import '@tensorflow/tfjs-backend-cpu';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { strFromU8, unzipSync } from 'fflate';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportMetadata } from '../../src-main/core/engine/export/export-metadata.js';
import { createExportPackage } from '../../src-main/core/engine/export/export-package.js';
import {
  maxAbsDiff,
  nhwcToNchw,
  randomInputs,
  writeCheckpoint,
  ZOO_CASES,
} from './export-fixtures.js';

let dir = '';
beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = await mkdtemp(path.join(tmpdir(), 'assay-export-pkg-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const smallCnn = ZOO_CASES.find((c) => c.name === 'small-cnn')!;
const mlp = ZOO_CASES.find((c) => c.name === 'mlp')!;

describe('export packages', () => {
  it('onnx: a ZIP with model.onnx, metadata.json and README.md; the model answers as training did', async () => {
    const runDir = path.join(dir, 'run-img');
    const { model, root } = await writeCheckpoint(runDir, smallCnn);
    const outFile = path.join(dir, 'img-onnx.zip');
    const res = await createExportPackage({
      checkpointDir: path.join(root, 'best'),
      format: 'onnx',
      options: {
        opset_version: 17,
        input_shape: [1, 3, 24, 20],
        dynamic_axes: { input: { '0': 'batch_size' }, output: { '0': 'batch_size' } },
        simplify: true,
      },
      outFile,
    });
    expect([...res.entries].sort()).toEqual(['README.md', 'metadata.json', 'model.onnx']);
    const zip = unzipSync(new Uint8Array(await readFile(outFile)));
    const meta = JSON.parse(strFromU8(zip['metadata.json']!)) as ExportMetadata;
    expect(meta).toMatchObject({
      format: 'onnx',
      classes: ['class_0', 'class_1', 'class_2', 'class_3'],
      input: { name: 'input', shape: ['batch_size', 3, 24, 20], layout: 'NCHW' },
      output: { name: 'output', shape: ['batch_size', 4], kind: 'probabilities' },
      normalization: { mean: 0, std: 1 },
      feature_pipeline: { kind: 'image' },
      metrics: { epochs: 1, last: { val_accuracy: 0.7 } },
    });
    expect(strFromU8(zip['README.md']!)).toContain('class_0, class_1');
    const x = randomInputs(3, smallCnn.inputShape, 9);
    const want = tf.tidy(() =>
      (model.predict(tf.tensor(x, [3, 24, 20, 3])) as tf.Tensor).dataSync(),
    );
    const session = await ort.InferenceSession.create(zip['model.onnx']!);
    const out = await session.run({
      input: new ort.Tensor('float32', nhwcToNchw(x, 3, 24, 20, 3), [3, 3, 24, 20]),
    });
    await session.release();
    expect(maxAbsDiff(out.output!.data as Float32Array, want)).toBeLessThan(1e-4);
  });

  it('onnx regression: the target de-normalisation is inside the model', async () => {
    const { model, root } = await writeCheckpoint(path.join(dir, 'run-tab'), mlp);
    const outFile = path.join(dir, 'tab.zip');
    await createExportPackage({ checkpointDir: path.join(root, 'last'), format: 'onnx', outFile });
    const zip = unzipSync(new Uint8Array(await readFile(outFile)));
    const meta = JSON.parse(strFromU8(zip['metadata.json']!)) as ExportMetadata;
    expect(meta.target_normalization).toEqual({ mean: 2.5, std: 0.75, in_model: true });
    expect(meta.input).toMatchObject({ shape: [1, 7], layout: 'NF' });
    const x = randomInputs(1, [7], 4);
    const y = tf.tidy(() => (model.predict(tf.tensor(x, [1, 7])) as tf.Tensor).dataSync()[0]!);
    const session = await ort.InferenceSession.create(zip['model.onnx']!);
    const out = await session.run({ input: new ort.Tensor('float32', x, [1, 7]) });
    await session.release();
    expect(Math.abs((out.output!.data as Float32Array)[0]! - (y * 0.75 + 2.5))).toBeLessThan(1e-4);
  });

  it('tfjs: the layers format loads back and predicts the same', async () => {
    const { model, root } = await writeCheckpoint(path.join(dir, 'run-tfjs'), smallCnn);
    const outFile = path.join(dir, 'img-tfjs.zip');
    const res = await createExportPackage({
      checkpointDir: path.join(root, 'best'),
      format: 'tfjs',
      outFile,
    });
    expect([...res.entries].sort()).toEqual([
      'README.md',
      'metadata.json',
      'model/model.json',
      'model/weights.bin',
    ]);
    const zip = unzipSync(new Uint8Array(await readFile(outFile)));
    expect(Object.keys(zip).sort()).toEqual([
      'README.md',
      'metadata.json',
      'model/model.json',
      'model/weights.bin',
    ]);
    const json = JSON.parse(strFromU8(zip['model/model.json']!)) as {
      modelTopology: object;
      weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[];
    };
    const w = zip['model/weights.bin']!;
    const loaded = await tfl.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: json.modelTopology,
        weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
        weightData: w.buffer.slice(w.byteOffset, w.byteOffset + w.byteLength) as ArrayBuffer,
      }),
    );
    const x = tf.tensor(randomInputs(2, smallCnn.inputShape, 1), [2, 24, 20, 3]);
    expect(
      maxAbsDiff(
        (loaded.predict(x) as tf.Tensor).dataSync(),
        (model.predict(x) as tf.Tensor).dataSync(),
      ),
    ).toBe(0);
    const meta = JSON.parse(strFromU8(zip['metadata.json']!)) as ExportMetadata;
    expect(meta.input).toMatchObject({ shape: [null, 24, 20, 3], layout: 'NHWC' });
  });

  it('refuses bad requests with 4xx before writing anything', async () => {
    const { root } = await writeCheckpoint(path.join(dir, 'run-bad'), smallCnn);
    const out = path.join(dir, 'bad');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(out);
    const cases: [Parameters<typeof createExportPackage>[0], string][] = [
      [
        { checkpointDir: path.join(root, 'best'), format: 'pt', outFile: path.join(out, 'a.zip') },
        'bad_request',
      ],
      [
        {
          checkpointDir: path.join(root, 'best'),
          format: 'onnx',
          options: { opset_version: 11 },
          outFile: path.join(out, 'b.zip'),
        },
        'bad_request',
      ],
      [
        {
          checkpointDir: path.join(root, 'best'),
          format: 'onnx',
          options: { input_shape: [1, 3, 224, 224] },
          outFile: path.join(out, 'c.zip'),
        },
        'unprocessable',
      ],
      [
        {
          checkpointDir: path.join(root, 'best'),
          format: 'tfjs',
          options: { simplify: true },
          outFile: path.join(out, 'd.zip'),
        },
        'bad_request',
      ],
      [
        {
          checkpointDir: path.join(dir, 'no-run', 'checkpoints', 'best'),
          format: 'onnx',
          outFile: path.join(out, 'e.zip'),
        },
        'not_found',
      ],
    ];
    for (const [req, code] of cases) {
      await expect(createExportPackage(req)).rejects.toMatchObject({ code });
    }
    expect(await readdir(out)).toEqual([]);
  });
});
