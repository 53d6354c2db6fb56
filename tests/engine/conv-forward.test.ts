/**
 * Forward Conv2D on wasm through our SIMD GEMM (conv2d-simd.ts; the direct conv_taps kernel where
 * patch runs are short, as on 1–2 channel inputs) against the cpu backend: strides,
 * same/valid/explicit padding, dilations (one patch run per filter row, or per tap), odd sizes,
 * output channels that are not a multiple of 8 and position counts that are not a multiple of 4;
 * and the stride-1 input gradient, which runs through the same kernel with the flipped filter.
 */
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerWasmKernels, wasmBinaryDir } from '../../src-main/core/engine/backends/index.js';
import { kernelTuning } from '../../src-main/core/engine/backends/kernels/tuning.js';
import { values } from './kernel-fixtures.js';

function tensor4(shape: [number, number, number, number], seed: number): tf.Tensor4D {
  return tf.tensor4d(values(shape[0] * shape[1] * shape[2] * shape[3], seed), shape);
}

async function on(backend: 'cpu' | 'wasm', f: () => tf.Tensor): Promise<Float32Array> {
  await tf.setBackend(backend);
  return tf.tidy(() => f().dataSync() as Float32Array);
}

function relErr(expected: Float32Array, actual: Float32Array): number {
  expect(actual.length).toBe(expected.length);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs((expected[i] as number) - (actual[i] as number)));
    scale = Math.max(scale, Math.abs(expected[i] as number));
  }
  return diff / Math.max(scale, 1e-12);
}

async function sameOnBoth(f: () => tf.Tensor): Promise<void> {
  const want = await on('cpu', f);
  const got = await on('wasm', f);
  expect(relErr(want, got)).toBeLessThan(1e-5);
}

beforeAll(async () => {
  setWasmPaths(wasmBinaryDir());
  tf.env().set('PROD', true);
  registerWasmKernels();
  expect(await tf.setBackend('wasm')).toBe(true);
});

afterAll(() => {
  kernelTuning.simd = true;
});

type Pad = 'same' | 'valid' | [[0, 0], [number, number], [number, number], [0, 0]];
// [batch, h, w, inC, kH, kW, outC, strides, pad, dilations]
type Case = [
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  [number, number],
  Pad,
  [number, number],
];

const cases: Case[] = [];
for (const [h, w] of [
  [7, 9],
  [8, 8],
  [5, 11],
] as const)
  for (const inC of [3, 8])
    for (const outC of [4, 8, 13])
      for (const pad of ['same', 'valid'] as const)
        for (const stride of [1, 2])
          cases.push([2, h, w, inC, 3, 3, outC, [stride, stride], pad, [1, 1]]);
cases.push(
  [2, 9, 7, 1, 3, 3, 16, [1, 1], 'same', [1, 1]],
  [3, 8, 9, 1, 3, 3, 8, [2, 2], 'valid', [1, 1]],
  [2, 9, 7, 2, 3, 3, 12, [1, 1], 'same', [1, 2]],
  [3, 7, 9, 2, 3, 3, 20, [2, 2], 'valid', [1, 1]],
  [1, 5, 7, 3, 1, 2, 16, [1, 1], 'same', [1, 1]],
  [2, 6, 5, 1, 5, 5, 32, [1, 1], 'same', [2, 1]],
  [2, 6, 5, 1, 5, 5, 32, [1, 2], 'valid', [1, 1]],
  [3, 10, 9, 5, 3, 5, 16, [1, 2], 'same', [1, 1]],
  [3, 10, 9, 5, 5, 3, 16, [2, 1], 'valid', [1, 1]],
  [1, 12, 12, 8, 3, 3, 8, [1, 1], 'same', [2, 2]],
  [2, 12, 11, 8, 3, 3, 9, [1, 1], 'valid', [2, 1]],
  [2, 12, 11, 8, 3, 3, 9, [1, 1], 'same', [1, 3]],
  [2, 9, 9, 16, 1, 1, 24, [1, 1], 'valid', [1, 1]],
  [2, 9, 9, 16, 1, 1, 24, [2, 2], 'same', [1, 1]],
  [
    2,
    9,
    8,
    4,
    3,
    3,
    8,
    [1, 1],
    [
      [0, 0],
      [2, 0],
      [1, 3],
      [0, 0],
    ],
    [1, 1],
  ],
  [
    2,
    9,
    8,
    4,
    3,
    3,
    8,
    [2, 2],
    [
      [0, 0],
      [0, 1],
      [3, 0],
      [0, 0],
    ],
    [1, 1],
  ],
  [1, 4, 4, 8, 5, 5, 8, [1, 1], 'same', [1, 1]],
);

describe.each([true, false])('forward Conv2D on wasm equals cpu (SIMD kernels: %s)', (simd) => {
  beforeAll(() => {
    kernelTuning.simd = simd;
  });

  it.each(cases)(
    '%i×%i×%i×%i, filter %i×%i → %i, strides %j, pad %j, dilations %j',
    async (n, h, w, inC, kH, kW, outC, strides, pad, dilations) => {
      await sameOnBoth(() =>
        tf.conv2d(
          tensor4([n, h, w, inC], 1),
          tensor4([kH, kW, inC, outC], 2),
          strides,
          pad,
          'NHWC',
          dilations,
        ),
      );
    },
  );

  it.each([
    ['same', 11, 9],
    ['valid', 9, 7],
  ] as const)(
    'the stride-1 input gradient (flipped filter through the same kernel), %s',
    async (pad, oh, ow) => {
      await sameOnBoth(() =>
        tf.conv2dTranspose(
          tensor4([2, oh, ow, 16], 3),
          tensor4([3, 3, 8, 16], 4),
          [2, 11, 9, 8],
          1,
          pad,
        ),
      );
    },
  );
});

describe('stride-1 filter gradients on wasm equal cpu: per-row segments and shifted planes', () => {
  // outW > 12 with ≥ 4 channels: one GEMM segment per output row; narrow rows or few channels:
  // column-shifted planes, one segment per image.
  it.each([
    [[2, 5, 17, 8], 'same'],
    [[2, 6, 19, 4], 'valid'],
    [[2, 9, 7, 8], 'same'],
    [[3, 8, 11, 5], 'valid'],
    [[2, 10, 20, 1], 'same'],
    [[1, 6, 15, 3], 'valid'],
    [[2, 4, 16, 12], 'same'],
    [[2, 3, 13, 4], 'same'],
  ] as const)('x %j, 3×3 → 12, %s', async (xs, pad) => {
    await sameOnBoth(() =>
      tf.grad((w: tf.Tensor) => {
        const y = tf.conv2d(tensor4([...xs], 5), w as tf.Tensor4D, 1, pad);
        return tf.sum(tf.mul(tf.sin(y), tensor4(y.shape, 7)));
      })(tensor4([3, 3, xs[3], 12], 6)),
    );
  });
});
