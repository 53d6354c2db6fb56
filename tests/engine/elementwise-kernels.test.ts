/**
 * The element-wise and reduction kernels a convolution layer's training step runs, on wasm against
 * the cpu backend: bias adds (either operand order, any leading ones, channel counts the SIMD path
 * does not take), same-dtype casts (shared buffer, still correct after the source is disposed),
 * Step (NaN, alpha, sizes that are not a multiple of 4), sums and means over the spatial axes
 * (global average pooling), and max-pool gradients whose windows tile the input or do not.
 */
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmKernels, wasmBinaryDir } from '../../src-main/core/engine/backends/index.js';
import { tensor, values } from './kernel-fixtures.js';

async function on(
  backend: 'cpu' | 'wasm',
  f: () => tf.Tensor,
): Promise<{ shape: number[]; v: Float32Array }> {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const t = f();
    return { shape: t.shape, v: Float32Array.from(t.dataSync() as Float32Array) };
  });
}

async function sameOnBoth(f: () => tf.Tensor, tol = 1e-6): Promise<void> {
  const want = await on('cpu', f);
  const got = await on('wasm', f);
  expect(got.shape).toEqual(want.shape);
  expect(got.v.length).toBe(want.v.length);
  for (let i = 0; i < want.v.length; i++) {
    const w = want.v[i] as number;
    const g = got.v[i] as number;
    if (Number.isNaN(w)) expect(g).toBeNaN();
    else if (!Number.isFinite(w)) expect(g).toBe(w);
    else expect(Math.abs(w - g)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(w)));
  }
}

beforeAll(async () => {
  setWasmPaths(wasmBinaryDir());
  tf.env().set('PROD', true);
  registerWasmKernels();
  expect(await tf.setBackend('wasm')).toBe(true);
});

describe('bias add on wasm equals cpu', () => {
  it.each([
    [[2, 5, 3, 16], [16]],
    [
      [2, 5, 3, 8],
      [1, 1, 8],
    ],
    [
      [7, 12],
      [1, 12],
    ],
    [[3, 4, 6], [6]],
    [[3, 4, 5], [5]],
    [[4], [4]],
  ])('%j + %j, both orders', async (xs, bs) => {
    await sameOnBoth(() => tf.add(tensor(xs, 1), tensor(bs, 2)));
    await sameOnBoth(() => tf.add(tensor(bs, 3), tensor(xs, 4)));
  });

  it('a bias add and its gradients', async () => {
    await sameOnBoth(() =>
      tf.grad((b: tf.Tensor) => tf.sum(tf.sin(tf.add(tensor([2, 3, 3, 12], 5), b))))(
        tensor([12], 6),
      ),
    );
  });
});

describe('same-dtype cast and Step on wasm equal cpu', () => {
  it('a cast to its own dtype is equal and outlives its source', async () => {
    await tf.setBackend('wasm');
    const x = tensor([3, 5], 7);
    const want = Float32Array.from(x.dataSync() as Float32Array);
    const y = tf.cast(x, 'float32');
    x.dispose();
    expect(Float32Array.from(y.dataSync() as Float32Array)).toEqual(want);
    y.dispose();
    const i = tf.tensor1d([1, -2, 3], 'int32');
    const j = tf.cast(i, 'int32');
    i.dispose();
    expect(Array.from(j.dataSync())).toEqual([1, -2, 3]);
    j.dispose();
  });

  it.each([0, 0.25])(
    'Step with alpha %d, NaN and a tail that is not a multiple of 4',
    async (alpha) => {
      const data = [-1, 0, -0, 2, NaN, 1e-30, -1e-30, Infinity, -Infinity, 3, -4];
      await sameOnBoth(() => tf.step(tf.tensor1d(data), alpha));
      await sameOnBoth(() => tf.step(tensor([4, 7, 9], 8), alpha));
    },
  );

  it.each([[[4, 7, 9, 5]], [[3, 343]], [[1031]], [[8, 16]]])(
    'same-shape multiply %j (SIMD body and scalar tail; small ones stay on the backend)',
    async (shape) => {
      await sameOnBoth(() => tf.mul(tensor(shape, 16), tensor(shape, 17)));
      // NaN, infinities and signed zeros spread through a tensor large enough for the SIMD path.
      const special = [NaN, Infinity, -Infinity, -0, 0, 3];
      const a = values(2051, 18).map((v, i) => (i % 7 === 0 ? (special[i % 6] as number) : v));
      const b = values(2051, 19).map((v, i) => (i % 5 === 0 ? (special[i % 6] as number) : v));
      await sameOnBoth(() => tf.mul(tf.tensor1d(a), tf.tensor1d(b)));
    },
  );

  it('the ReLU gradient with NaN, infinities and signed zeros in x and dy (one kernel on wasm)', async () => {
    const special = [NaN, Infinity, -Infinity, -0, 0, 3, -2];
    const x = values(1027, 20).map((v, i) => (i % 5 === 0 ? (special[i % 7] as number) : v));
    const c = values(1027, 21).map((v, i) => (i % 3 === 0 ? (special[(i + 2) % 7] as number) : v));
    await sameOnBoth(() =>
      tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.relu(t), tf.tensor1d(c))))(tf.tensor1d(x)),
    );
  });

  it('second derivatives through the fused ReLU gradient', async () => {
    const x = tensor([3, 5, 8], 22);
    const d = tensor([3, 5, 8], 23);
    await sameOnBoth(() =>
      tf.grad((c: tf.Tensor) =>
        tf.sum(tf.mul(tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.relu(t), c)))(x), d)),
      )(tensor([3, 5, 8], 24)),
    );
    await sameOnBoth(() =>
      tf.grad((t: tf.Tensor) =>
        tf.sum(tf.mul(tf.grad((u: tf.Tensor) => tf.sum(tf.mul(tf.relu(u), d)))(t), d)),
      )(x),
    );
  });

  it('the ReLU gradient (Step, cast, multiply)', async () => {
    await sameOnBoth(() =>
      tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.relu(x), tensor([2, 5, 5, 8], 9))))(
        tensor([2, 5, 5, 8], 10),
      ),
    );
  });
});

describe('sums and means over the spatial axes on wasm equal cpu', () => {
  it.each([
    [
      [3, 5, 7, 8],
      [1, 2],
    ],
    [
      [3, 5, 7, 6],
      [1, 2],
    ],
    [
      [2, 3, 4, 5, 8],
      [2, 3],
    ],
    [
      [2, 3, 4, 5, 8],
      [1, 2, 3],
    ],
    [[4, 9, 12], [1]],
    [
      [4, 9, 12],
      [0, 1],
    ],
  ])('%j over axes %j, keepDims or not', async (shape, axes) => {
    for (const keep of [false, true]) {
      await sameOnBoth(() => tf.sum(tensor(shape, 11), axes, keep), 1e-5);
      await sameOnBoth(() => tf.mean(tensor(shape, 12), axes, keep), 1e-5);
    }
  });

  it('global average pooling and its gradient', async () => {
    await sameOnBoth(
      () =>
        tf.grad((x: tf.Tensor) => tf.sum(tf.sin(tf.mean(x, [1, 2]))))(tensor([3, 7, 7, 16], 13)),
      1e-5,
    );
  });
});

describe('max-pool gradients on wasm equal cpu', () => {
  it.each([
    [[2, 8, 8, 16], 'valid'],
    [[2, 7, 9, 8], 'valid'],
    [[2, 7, 9, 8], 'same'],
    [[1, 6, 6, 4], 'same'],
  ] as const)('%j, 2×2 windows, %s', async (shape, pad) => {
    await sameOnBoth(() =>
      tf.grad((x: tf.Tensor) =>
        tf.sum(tf.mul(tf.maxPool(x as tf.Tensor4D, 2, 2, pad), tf.scalar(3))),
      )(tensor([...shape], 14)),
    );
  });
  it.each(['valid', 'same'] as const)('ties, NaN and −inf inside 2×2 windows (%s)', async (pad) => {
    // Values from a small set (many ties), with NaN and −inf at fixed places.
    const shape = [2, 6, 8, 8] as const;
    const v = values(2 * 6 * 8 * 8, 15).map((x, i) =>
      i % 37 === 0 ? NaN : i % 41 === 0 ? -Infinity : Math.round(x * 3),
    );
    await sameOnBoth(() =>
      tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(x as tf.Tensor4D, 2, 2, pad), 2)))(
        tf.tensor4d(v, [...shape]),
      ),
    );
  });
});
