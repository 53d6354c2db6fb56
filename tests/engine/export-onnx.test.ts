import '@tensorflow/tfjs-backend-cpu';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportOnnx } from '../../src-main/core/engine/export/onnx/export-onnx.js';
import { resolveOnnxOptions } from '../../src-main/core/engine/export/onnx/options.js';
import {
  buildCase,
  checkOnnx,
  maxAbsDiff,
  nhwcToNchw,
  onnxChecker,
  randomInputs,
  ZOO_CASES,
} from './export-fixtures.js';

let dir = '';
const checker = onnxChecker();
/** Max |ONNX − tfjs| per architecture and variant, printed at the end for the record. */
const parity: Record<string, number> = {};

beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = await mkdtemp(path.join(tmpdir(), 'assay-export-onnx-'));
});
afterAll(async () => {
  console.log(`ONNX parity (max abs diff): ${JSON.stringify(parity, null, 1)}`);
  await rm(dir, { recursive: true, force: true });
});

async function runOrt(
  bytes: Uint8Array,
  input: Float32Array,
  dims: number[],
): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1 });
  try {
    const out = await session.run({ input: new ort.Tensor('float32', input, dims) });
    return out.output?.data as Float32Array;
  } finally {
    await session.release();
  }
}

describe.each(ZOO_CASES)('ONNX export of $name', (c) => {
  const variants = [
    { simplify: false, label: 'plain' },
    { simplify: true, label: 'simplified' },
  ];
  it.each(variants)(
    '$label: dynamic batch 1 and 3 match tfjs within 1e-4; passes the ONNX checker',
    async ({ simplify, label }) => {
      const model = buildCase(c);
      const target = c.task === 'regression' ? { mean: 2.5, std: 0.75 } : null;
      const options = resolveOnnxOptions(
        {
          opset_version: 17,
          dynamic_axes: { input: { '0': 'batch_size' }, output: { '0': 'batch_size' } },
          simplify,
        },
        c.inputShape,
      );
      const result = exportOnnx(model, options, { targetNormalization: target });
      expect(result.inputDims[0]).toBe('batch_size');
      const file = path.join(dir, `${c.name}-${label}.onnx`);
      await writeFile(file, result.bytes);
      for (const batch of [1, 3]) {
        const x = randomInputs(batch, c.inputShape, 100 + batch);
        const expected = tf.tidy(() => {
          const y = model.predict(tf.tensor(x, [batch, ...c.inputShape])) as tf.Tensor;
          return target ? tf.add(tf.mul(y, target.std), target.mean) : y;
        });
        const want = expected.dataSync();
        expected.dispose();
        const [h, w, ch] = c.inputShape as [number, number, number];
        const fed = c.inputShape.length === 3 ? nhwcToNchw(x, batch, h, w, ch) : x;
        const dims = c.inputShape.length === 3 ? [batch, ch, h, w] : [batch, ...c.inputShape];
        const got = await runOrt(result.bytes, fed, dims);
        const diff = maxAbsDiff(got, want);
        parity[`${c.name} ${label} batch ${batch}`] = diff;
        expect(got.length).toBe(batch * c.outputs);
        // Softmax outputs saturated at 0/1 would hide almost any error: the inputs must not do that.
        if (!target) expect(Math.min(...want)).toBeGreaterThan(1e-3);
        expect(diff).toBeLessThan(1e-4);
      }
      if (simplify) {
        const plain = exportOnnx(
          model,
          { ...options, simplify: false },
          { targetNormalization: target },
        );
        expect(result.nodes).toBeLessThan(plain.nodes);
      }
      const python = checker.optional();
      if (python) checkOnnx(python, file);
      model.dispose();
    },
  );

  it('a fixed batch from input_shape is written as such and runs', async () => {
    const model = buildCase(c);
    const sample =
      c.inputShape.length === 3
        ? [c.inputShape[2], c.inputShape[0], c.inputShape[1]]
        : [...c.inputShape];
    const options = resolveOnnxOptions(
      { opset_version: 13, input_shape: [2, ...(sample as number[])] },
      c.inputShape,
    );
    const result = exportOnnx(model, options);
    expect(result.inputDims).toEqual([2, ...sample]);
    const file = path.join(dir, `${c.name}-fixed.onnx`);
    await writeFile(file, result.bytes);
    const x = randomInputs(2, c.inputShape, 7);
    const [h, w, ch] = c.inputShape as [number, number, number];
    const fed = c.inputShape.length === 3 ? nhwcToNchw(x, 2, h, w, ch) : x;
    const got = await runOrt(result.bytes, fed, [2, ...(sample as number[])]);
    const want = tf.tidy(() =>
      (model.predict(tf.tensor(x, [2, ...c.inputShape])) as tf.Tensor).dataSync(),
    );
    expect(maxAbsDiff(got, want)).toBeLessThan(1e-4);
    const python = checker.optional();
    if (python) checkOnnx(python, file);
    model.dispose();
  });
});

describe('ONNX export options', () => {
  const image = [32, 32, 3];
  it('refuses unknown opsets with a 400 naming the supported range', () => {
    for (const opset_version of [9, 12, 18, 99]) {
      expect(() => resolveOnnxOptions({ opset_version }, image)).toThrow(
        expect.objectContaining({ code: 'bad_request', message: expect.stringContaining('13–17') }),
      );
    }
  });
  it("refuses an input_shape that contradicts the model with a 422 showing the model's", () => {
    for (const input_shape of [
      [1, 3, 224, 224],
      [1, 32, 32, 3],
      [1, 3, 32],
      [1, 1, 32, 32],
    ]) {
      expect(() => resolveOnnxOptions({ input_shape }, image)).toThrow(
        expect.objectContaining({
          code: 'unprocessable',
          message: expect.stringContaining('[N, 3, 32, 32]'),
        }),
      );
    }
    expect(resolveOnnxOptions({ input_shape: [4, 3, 32, 32] }, image).batch).toBe(4);
    expect(resolveOnnxOptions({ input_shape: [null, 3, 32, 32] }, image).batch).toBe('batch_size');
  });
  it('refuses dynamic axes other than the batch, unknown tensors and malformed options', () => {
    const bad = [
      { dynamic_axes: { input: { '2': 'height' } } },
      { dynamic_axes: { images: { '0': 'n' } } },
      { dynamic_axes: { output: { '0': 'n' } } },
      { dynamic_axes: { input: { '0': 'has space' } } },
      { input_shape: [0, 3, 32, 32] },
    ];
    for (const o of bad)
      expect(() => resolveOnnxOptions(o, image)).toThrow(
        expect.objectContaining({ code: 'bad_request' }),
      );
    for (const o of [{ opset_version: '17' }, { simplify: 'yes' }, { unknown: 1 }]) {
      expect(() => resolveOnnxOptions(o, image)).toThrow(
        expect.objectContaining({ code: 'validation_error' }),
      );
    }
  });
  it('defaults: opset 17, batch 1, not simplified', () => {
    expect(resolveOnnxOptions(undefined, image)).toEqual({
      opsetVersion: 17,
      batch: 1,
      outputBatch: 1,
      simplify: false,
    });
  });
  it('leaves no file behind when options are refused', async () => {
    expect(await readdir(dir)).not.toContain('refused.onnx');
  });
});
