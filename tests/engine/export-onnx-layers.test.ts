import '@tensorflow/tfjs-backend-cpu';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportOnnx } from '../../src-main/core/engine/export/onnx/export-onnx.js';
import { resolveOnnxOptions } from '../../src-main/core/engine/export/onnx/options.js';
import { Prng } from '../../src-main/core/engine/data/prng.js';
import { checkOnnx, maxAbsDiff, nhwcToNchw, onnxChecker, randomInputs } from './export-fixtures.js';

let dir = '';
beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = await mkdtemp(path.join(tmpdir(), 'assay-export-layers-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A functional graph using the layers the zoo does not (yet): every branch of the emitter. */
function kitchenSink(): tfl.LayersModel {
  const L = tfl.layers;
  const x = tfl.input({ shape: [12, 10, 3], name: 'image' });
  const a = L.conv2d({
    filters: 8,
    kernelSize: 3,
    padding: 'same',
    activation: 'relu',
    name: 'a',
  }).apply(x) as tfl.SymbolicTensor;
  const b = L.separableConv2d({
    filters: 8,
    kernelSize: 3,
    padding: 'same',
    depthMultiplier: 2,
    activation: 'relu6',
    name: 'b',
  }).apply(a) as tfl.SymbolicTensor;
  const s = L.add({ name: 's' }).apply([a, b]) as tfl.SymbolicTensor;
  const n = L.batchNormalization({ name: 'n' }).apply(s) as tfl.SymbolicTensor;
  const p = L.averagePooling2d({ poolSize: 2, padding: 'same', name: 'p' }).apply(
    n,
  ) as tfl.SymbolicTensor;
  const c1 = L.conv2d({ filters: 4, kernelSize: 1, activation: 'sigmoid', name: 'c1' }).apply(
    p,
  ) as tfl.SymbolicTensor;
  const c = L.concatenate({ name: 'c' }).apply([p, c1]) as tfl.SymbolicTensor;
  const d = L.depthwiseConv2d({
    kernelSize: 3,
    strides: 2,
    depthMultiplier: 2,
    useBias: true,
    activation: 'elu',
    name: 'd',
  }).apply(c) as tfl.SymbolicTensor;
  const r = L.reshape({ targetShape: [4, 24], name: 'r' }).apply(d) as tfl.SymbolicTensor;
  const g = L.globalAveragePooling1d({ name: 'g' }).apply(r) as tfl.SymbolicTensor;
  const q = L.permute({ dims: [2, 1, 3], name: 'q' }).apply(c) as tfl.SymbolicTensor;
  const f = L.flatten({ name: 'f' }).apply(q) as tfl.SymbolicTensor;
  const e = L.dense({ units: 6, activation: 'tanh', name: 'e' }).apply(f) as tfl.SymbolicTensor;
  const j = L.concatenate({ name: 'j' }).apply([g, e]) as tfl.SymbolicTensor;
  const k = L.dense({ units: 3, name: 'k' }).apply(j) as tfl.SymbolicTensor;
  const l = L.leakyReLU({ alpha: 0.2, name: 'l' }).apply(k) as tfl.SymbolicTensor;
  const o = L.softmax({ name: 'o' }).apply(l) as tfl.SymbolicTensor;
  const model = tfl.model({ inputs: x, outputs: o });
  const prng = Prng.fromSeed(5);
  const ws = model.weights.map((w) => {
    const n = w.shape.reduce<number>((acc, v) => acc * (v ?? 1), 1);
    if (w.originalName.endsWith('moving_variance'))
      return tf.tensor(
        Float32Array.from({ length: n }, () => prng.uniform(0.3, 2)),
        w.shape as number[],
      );
    if (/(bias|beta|moving_mean|gamma)$/.test(w.originalName))
      return tf.tensor(
        Float32Array.from({ length: n }, () => prng.uniform(-0.3, 0.3)),
        w.shape as number[],
      );
    return w.read().clone();
  });
  model.setWeights(ws);
  tf.dispose(ws);
  return model;
}

describe('ONNX export of the layers outside the zoo', () => {
  it.each([false, true])(
    'simplify=%s: a functional graph matches tfjs within 1e-4',
    async (simplify) => {
      const model = kitchenSink();
      const options = resolveOnnxOptions(
        { dynamic_axes: { input: { '0': 'n' } }, simplify, opset_version: 15 },
        [12, 10, 3],
      );
      const result = exportOnnx(model, options);
      const x = randomInputs(2, [12, 10, 3], 3);
      const want = tf.tidy(() =>
        (model.predict(tf.tensor(x, [2, 12, 10, 3])) as tf.Tensor).dataSync(),
      );
      const session = await ort.InferenceSession.create(result.bytes);
      const out = await session.run({
        input: new ort.Tensor('float32', nhwcToNchw(x, 2, 12, 10, 3), [2, 3, 12, 10]),
      });
      await session.release();
      expect(maxAbsDiff(out.output?.data as Float32Array, want)).toBeLessThan(1e-4);
      const python = onnxChecker().optional();
      if (python) {
        const file = path.join(dir, `sink-${simplify}.onnx`);
        await writeFile(file, result.bytes);
        checkOnnx(python, file);
      }
      model.dispose();
    },
  );

  it.each([false, true])(
    'simplify=%s: batch norm on vectors and sequences, dense on sequences',
    async (simplify) => {
      const L = tfl.layers;
      const x = tfl.input({ shape: [6, 5], name: 'seq' });
      const d = L.dense({ units: 4, name: 'per_step' }).apply(x) as tfl.SymbolicTensor;
      const n = L.batchNormalization({ name: 'seq_bn' }).apply(d) as tfl.SymbolicTensor;
      const g = L.globalAveragePooling1d({ name: 'avg' }).apply(n) as tfl.SymbolicTensor;
      const e = L.dense({ units: 3, name: 'e', useBias: false }).apply(g) as tfl.SymbolicTensor;
      const b = L.batchNormalization({ name: 'vec_bn', center: false }).apply(
        e,
      ) as tfl.SymbolicTensor;
      const o = L.activation({ activation: 'softplus', name: 'o' }).apply(b) as tfl.SymbolicTensor;
      const model = tfl.model({ inputs: x, outputs: o });
      const prng = Prng.fromSeed(9);
      const ws = model.weights.map((w) => {
        const size = w.shape.reduce<number>((acc, v) => acc * (v ?? 1), 1);
        const lo = w.originalName.endsWith('moving_variance') ? 0.3 : -0.5;
        return /(bias|beta|moving_mean|moving_variance|gamma)$/.test(w.originalName)
          ? tf.tensor(
              Float32Array.from({ length: size }, () => prng.uniform(lo, 1.5)),
              w.shape as number[],
            )
          : w.read().clone();
      });
      model.setWeights(ws);
      tf.dispose(ws);
      const result = exportOnnx(
        model,
        resolveOnnxOptions({ input_shape: [3, 6, 5], simplify }, [6, 5]),
      );
      const input = randomInputs(3, [6, 5], 2);
      const want = tf.tidy(() =>
        (model.predict(tf.tensor(input, [3, 6, 5])) as tf.Tensor).dataSync(),
      );
      const session = await ort.InferenceSession.create(result.bytes);
      const out = await session.run({ input: new ort.Tensor('float32', input, [3, 6, 5]) });
      await session.release();
      expect(maxAbsDiff(out.output?.data as Float32Array, want)).toBeLessThan(1e-4);
      const python = onnxChecker().optional();
      if (python) {
        const file = path.join(dir, `vectors-${simplify}.onnx`);
        await writeFile(file, result.bytes);
        checkOnnx(python, file);
      }
      model.dispose();
    },
  );

  it('refuses a layer it cannot convert with a 422 naming it', () => {
    const model = tfl.sequential({
      layers: [tfl.layers.upSampling2d({ size: [2, 2], inputShape: [4, 4, 1], name: 'up' })],
    });
    const options = resolveOnnxOptions({}, [4, 4, 1]);
    expect(() => exportOnnx(model, options)).toThrow(
      expect.objectContaining({
        code: 'unprocessable',
        message: expect.stringContaining('up (UpSampling2D)'),
      }),
    );
    model.dispose();
  });
});
