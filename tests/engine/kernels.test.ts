/**
 * Our wasm kernels against the cpu backend (tfjs's reference implementation) or, where cpu has no
 * equivalent (conv2d gradients with dilation), against a direct loop checked against cpu itself.
 * Everything is compared as max |a − b| relative to max |cpu|.
 */
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveExperimentConfig } from '../../src-main/core/engine/config.js';
import {
  registerWasmKernels,
  unregisterWasmKernels,
  wasmBinaryDir,
} from '../../src-main/core/engine/backends/index.js';
import { kernelTuning } from '../../src-main/core/engine/backends/kernels/tuning.js';
import { buildModel } from '../../src-main/core/engine/zoo/index.js';
import { tensor, values } from './kernel-fixtures.js';

type Backend = 'cpu' | 'wasm';
type Pad = 'same' | 'valid';
const TOLERANCE = 1e-5;

/** Runs f with `backend` active and returns its results as plain arrays. */
async function on(backend: Backend, f: () => tf.Tensor | tf.Tensor[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const r = f();
    return (Array.isArray(r) ? r : [r]).map((t) => t.dataSync() as Float32Array);
  });
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

async function sameOnBoth(f: () => tf.Tensor | tf.Tensor[], tol = TOLERANCE): Promise<void> {
  const want = await on('cpu', f);
  const got = await on('wasm', f);
  expect(got.length).toBe(want.length);
  want.forEach((w, i) => expect(relErr(w, got[i] as Float32Array)).toBeLessThan(tol));
}

/** A loss whose gradient is a different number at every output position. */
function weightedSum(y: tf.Tensor): tf.Scalar {
  const w = tf.reshape(tf.div(tf.range(1, y.size + 1), y.size), y.shape);
  return tf.sum(tf.mul(tf.sin(y), w));
}

const saved = { ...kernelTuning };

beforeAll(async () => {
  setWasmPaths(wasmBinaryDir());
  tf.env().set('PROD', true);
  registerWasmKernels();
  expect(await tf.setBackend('wasm')).toBe(true);
  // Tiny chunks: every shape below runs the GEMM kernels over several chunks.
  kernelTuning.filterChunkFloats = 600;
  kernelTuning.col2imChunkFloats = 600;
});

afterAll(() => Object.assign(kernelTuning, saved));

describe.each([true, false])('Conv2D gradients on wasm equal cpu (SIMD kernels: %s)', (simd) => {
  beforeAll(() => {
    kernelTuning.simd = simd;
  });
  afterAll(() => {
    kernelTuning.simd = true;
  });

  const cases: [number, number, number, Pad, number][] = [];
  for (const batch of [1, 3])
    for (const inC of [1, 3, 5])
      for (const k of [1, 3, 5])
        for (const pad of ['same', 'valid'] as const)
          for (const stride of [1, 2]) cases.push([batch, inC, k, pad, stride]);

  it.each(cases)(
    'batch %i, 7×9×%i, filter %i, %s, stride %i',
    async (batch, inC, k, pad, stride) => {
      const x = (): tf.Tensor4D => tensor([batch, 7, 9, inC], 1) as tf.Tensor4D;
      const w = (): tf.Tensor4D => tensor([k, k, inC, 4], 2) as tf.Tensor4D;
      await sameOnBoth(() =>
        tf.grads((a: tf.Tensor, b: tf.Tensor) =>
          weightedSum(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, stride, pad)),
        )([x(), w()]),
      );
    },
  );

  it('a 3×3 layer over 16×16×8 → 16 (many chunks, rectangular strides)', async () => {
    await sameOnBoth(() =>
      tf.grads((a: tf.Tensor, b: tf.Tensor) =>
        weightedSum(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, [1, 2], 'same')),
      )([tensor([3, 16, 16, 8], 3), tensor([3, 3, 8, 16], 4)]),
    );
  });
});

/** Direct loops: the definition of the two gradients, any dilation. */
function referenceGrads(
  x: Float32Array,
  xs: readonly number[],
  w: Float32Array,
  ws: readonly number[],
  dy: Float32Array,
  ys: readonly number[],
  s: number,
  d: number,
  top: number,
  left: number,
): { dx: Float32Array; dw: Float32Array } {
  const [n, h, wd, c] = xs as [number, number, number, number];
  const [kh, kw, , co] = ws as [number, number, number, number];
  const [, oh, ow] = ys as [number, number, number, number];
  const dx = new Float32Array(x.length);
  const dw = new Float32Array(w.length);
  for (let b = 0; b < n; b++)
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < ow; j++)
        for (let p = 0; p < kh; p++)
          for (let q = 0; q < kw; q++) {
            const y = i * s + p * d - top;
            const z = j * s + q * d - left;
            if (y < 0 || y >= h || z < 0 || z >= wd) continue;
            for (let ci = 0; ci < c; ci++)
              for (let o = 0; o < co; o++) {
                const g = dy[((b * oh + i) * ow + j) * co + o] as number;
                const xi = ((b * h + y) * wd + z) * c + ci;
                const wi = ((p * kw + q) * c + ci) * co + o;
                dx[xi] = (dx[xi] as number) + g * (w[wi] as number);
                dw[wi] = (dw[wi] as number) + g * (x[xi] as number);
              }
          }
  return { dx, dw };
}

describe('Conv2D gradient kernels with dilation (tfjs-core refuses dilated conv gradients)', () => {
  it.each([
    [1, 'same', 1, 3],
    [2, 'same', 1, 3],
    [2, 'valid', 1, 3],
    [1, 'valid', 2, 3],
    [2, 'same', 1, 4],
    [3, 'valid', 1, 8],
    [1, 'same', 2, 4],
  ] as const)('dilation %i, %s, stride %i, %i channels', async (dil, pad, stride, channels) => {
    const xs = [3, 9, 7, channels];
    const ws = [3, 3, channels, 5];
    await tf.setBackend('wasm');
    const x = tensor(xs, 5);
    const w = tensor(ws, 6);
    const y = tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, stride, pad, 'NHWC', dil);
    const dy = tensor(y.shape, 7);
    const attrs = { strides: [stride, stride], pad, dilations: [dil, dil], dataFormat: 'NHWC' };
    const dx = tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: w }, {
      ...attrs,
      inputShape: xs,
    } as never) as tf.Tensor;
    const dw = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, {
      ...attrs,
      filterShape: ws,
    } as never) as tf.Tensor;
    const info = tf.backend_util.computeConv2DInfo(
      xs as [number, number, number, number],
      ws as [number, number, number, number],
      stride,
      dil,
      pad,
    );
    const ref = referenceGrads(
      x.dataSync() as Float32Array,
      xs,
      w.dataSync() as Float32Array,
      ws,
      dy.dataSync() as Float32Array,
      y.shape,
      stride,
      dil,
      info.padInfo.top,
      info.padInfo.left,
    );
    expect(relErr(ref.dx, dx.dataSync() as Float32Array)).toBeLessThan(TOLERANCE);
    expect(relErr(ref.dw, dw.dataSync() as Float32Array)).toBeLessThan(TOLERANCE);
    if (dil === 1) {
      // The reference itself agrees with cpu where cpu can answer.
      const cpu = await on('cpu', () =>
        tf.grads((a: tf.Tensor, b: tf.Tensor) =>
          tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, stride, pad), dy)),
        )([x, w]),
      );
      expect(relErr(cpu[0] as Float32Array, ref.dx)).toBeLessThan(TOLERANCE);
      expect(relErr(cpu[1] as Float32Array, ref.dw)).toBeLessThan(TOLERANCE);
    }
    tf.dispose([x, w, y, dy, dx, dw]);
  });
});

describe.each([true, false])('depthwise gradients on wasm equal cpu (SIMD kernels: %s)', (simd) => {
  beforeAll(() => {
    kernelTuning.simd = simd;
  });
  afterAll(() => {
    kernelTuning.simd = true;
  });
  const cases: [number, number, number, Pad, number][] = [];
  for (const batch of [1, 3])
    for (const c of [1, 3, 4, 8])
      for (const mult of [1, 2])
        for (const pad of ['same', 'valid'] as const)
          for (const stride of [1, 2]) cases.push([batch, c, mult, pad, stride]);

  it.each(cases)('batch %i, 7×9×%i, multiplier %i, 3×3 %s, stride %i', async (b, c, m, pad, s) => {
    await sameOnBoth(() =>
      tf.grads((a: tf.Tensor, f: tf.Tensor) =>
        weightedSum(tf.depthwiseConv2d(a as tf.Tensor4D, f as tf.Tensor4D, s, pad)),
      )([tensor([b, 7, 9, c], 8), tensor([3, 3, c, m], 9)]),
    );
  });

  it.each([
    [1, 'same', 1, 3],
    [2, 'same', 1, 3],
    [2, 'valid', 1, 3],
    [1, 'same', 2, 3],
    [1, 'same', 1, 4],
    [1, 'valid', 2, 8],
  ] as const)(
    '5×5 filter, multiplier %i, dilation 2, %s, stride %i, %i channels: kernels vs direct loops (cpu is wrong here)',
    async (m, pad, stride, channels) => {
      // The cpu backend's depthwise backprop kernels ignore dilation (tfjs-core never calls them
      // with one), so the reference is the definition, itself checked against cpu at dilation 1.
      for (const dil of [1, 2]) {
        const xs = [2, 11, 9, channels];
        const fs = [5, 5, channels, m];
        const attrs = { strides: [stride, stride], pad, dilations: [dil, dil] };
        await tf.setBackend('wasm');
        const x = tensor(xs, 10);
        const f = tensor(fs, 11);
        const y = tf.depthwiseConv2d(x as tf.Tensor4D, f as tf.Tensor4D, stride, pad, 'NHWC', dil);
        const dy = tensor(y.shape, 12);
        const dx = tf.engine().runKernel('DepthwiseConv2dNativeBackpropInput', { dy, filter: f }, {
          ...attrs,
          inputShape: xs,
        } as never) as tf.Tensor;
        const dw = tf.engine().runKernel('DepthwiseConv2dNativeBackpropFilter', { x, dy }, {
          ...attrs,
          filterShape: fs,
        } as never) as tf.Tensor;
        const info = tf.backend_util.computeConv2DInfo(
          xs as [number, number, number, number],
          fs as [number, number, number, number],
          stride,
          dil,
          pad,
          undefined,
          true,
        );
        const ref = referenceDepthwiseGrads(
          x.dataSync() as Float32Array,
          xs,
          f.dataSync() as Float32Array,
          fs,
          dy.dataSync() as Float32Array,
          y.shape,
          stride,
          dil,
          info.padInfo.top,
          info.padInfo.left,
        );
        expect(relErr(ref.dx, dx.dataSync() as Float32Array)).toBeLessThan(TOLERANCE);
        expect(relErr(ref.dw, dw.dataSync() as Float32Array)).toBeLessThan(TOLERANCE);
        if (dil === 1) {
          const cpu = await on('cpu', () =>
            tf.grads((a: tf.Tensor, b: tf.Tensor) =>
              tf.sum(
                tf.mul(tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, stride, pad), dy),
              ),
            )([x, f]),
          );
          expect(relErr(cpu[0] as Float32Array, ref.dx)).toBeLessThan(TOLERANCE);
          expect(relErr(cpu[1] as Float32Array, ref.dw)).toBeLessThan(TOLERANCE);
        }
        tf.dispose([x, f, y, dy, dx, dw]);
      }
    },
  );
});

/** Direct loops for the depthwise gradients (channel multiplier m: dy channel = c·m + k). */
function referenceDepthwiseGrads(
  x: Float32Array,
  xs: readonly number[],
  w: Float32Array,
  ws: readonly number[],
  dy: Float32Array,
  ys: readonly number[],
  s: number,
  d: number,
  top: number,
  left: number,
): { dx: Float32Array; dw: Float32Array } {
  const [n, h, wd, c] = xs as [number, number, number, number];
  const [kh, kw, , m] = ws as [number, number, number, number];
  const [, oh, ow] = ys as [number, number, number, number];
  const dx = new Float32Array(x.length);
  const dw = new Float32Array(w.length);
  for (let b = 0; b < n; b++)
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < ow; j++)
        for (let p = 0; p < kh; p++)
          for (let q = 0; q < kw; q++) {
            const y = i * s + p * d - top;
            const z = j * s + q * d - left;
            if (y < 0 || y >= h || z < 0 || z >= wd) continue;
            for (let ci = 0; ci < c; ci++)
              for (let k = 0; k < m; k++) {
                const g = dy[((b * oh + i) * ow + j) * c * m + ci * m + k] as number;
                const xi = ((b * h + y) * wd + z) * c + ci;
                const wi = ((p * kw + q) * c + ci) * m + k;
                dx[xi] = (dx[xi] as number) + g * (w[wi] as number);
                dw[wi] = (dw[wi] as number) + g * (x[xi] as number);
              }
          }
  return { dx, dw };
}

describe('FFT on wasm equals cpu', () => {
  it.each([1, 2, 8, 64, 7, 12, 100])('fft and ifft of length %i (batched)', async (n) => {
    await sameOnBoth(() => {
      const c = tf.complex(tensor([3, n], 13 + n), tensor([3, n], 14 + n));
      const f = tf.spectral.fft(c);
      const i = tf.spectral.ifft(f);
      return [tf.real(f), tf.imag(f), tf.real(i), tf.imag(i), tf.abs(f)];
    }, 1e-5);
  });

  it('rfft, irfft and stft', async () => {
    await sameOnBoth(() => {
      const signal = tensor([2, 256], 15);
      const r = tf.spectral.rfft(signal);
      const back = tf.spectral.irfft(r);
      const s = tf.signal.stft(tensor([400], 16) as tf.Tensor1D, 64, 32);
      return [tf.real(r), tf.imag(r), back, tf.abs(s)];
    }, 1e-5);
  });

  it('a naive DFT agrees too (length 5)', async () => {
    const x = Array.from(values(5, 17));
    const [re, im] = await on('wasm', () => {
      const f = tf.spectral.fft(tf.complex(tf.tensor1d(x), tf.zeros([5])));
      return [tf.real(f), tf.imag(f)];
    });
    for (let k = 0; k < 5; k++) {
      let sr = 0;
      let si = 0;
      x.forEach((v, j) => {
        sr += v * Math.cos((-2 * Math.PI * j * k) / 5);
        si += v * Math.sin((-2 * Math.PI * j * k) / 5);
      });
      expect(re?.[k]).toBeCloseTo(sr, 5);
      expect(im?.[k]).toBeCloseTo(si, 5);
    }
  });
});

describe('dense gradients (transposed BatchMatMul) on wasm equal cpu', () => {
  it.each([
    [4, 10, 3],
    [64, 200, 100],
  ])('x %i×%i, W %i×… ', async (m, k, n) => {
    await sameOnBoth(() =>
      tf.grads((a: tf.Tensor, b: tf.Tensor) =>
        weightedSum(tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D)),
      )([tensor([m, k], 18), tensor([k, n], 19)]),
    );
  });
});

describe.each([true, false])(
  'pooling, reductions and clones on wasm equal cpu (SIMD kernels: %s)',
  (simd) => {
    beforeAll(() => {
      kernelTuning.simd = simd;
    });
    afterAll(() => {
      kernelTuning.simd = true;
    });

    it.each([
      [2, 2, 'valid', 8],
      [2, 2, 'same', 8],
      [2, 2, 'valid', 5],
      [3, 3, 'same', 4],
      [3, 2, 'same', 8],
      [3, 1, 'same', 5],
      [2, 1, 'valid', 4],
    ] as const)(
      'max pool window %i stride %i %s, %i channels: gradient, ties included',
      async (k, stride, pad, channels) => {
        await sameOnBoth(() => {
          // Rounded values and ReLU zeros: many windows hold their maximum twice.
          const x = tf.relu(tf.round(tf.mul(tensor([3, 7, 9, channels], 22), 8))) as tf.Tensor4D;
          return tf.grad((a: tf.Tensor) =>
            weightedSum(tf.maxPool(a as tf.Tensor4D, k, stride, pad)),
          )(x);
        }, 1e-6);
      },
    );

    it('sums over leading axes (bias gradients) and over other axes', async () => {
      await sameOnBoth(() => {
        const x = tensor([3, 5, 7, 6], 23);
        const y = tensor([2, 50, 30, 8], 27);
        return [
          tf.sum(y, [0, 1, 2]),
          tf.mean(y, [0, 1, 2]),
          tf.mean(x, [0, 1, 2], true),
          tf.mean(x, [1, 2]),
          tf.sum(x, [0, 1, 2], true),
          tf.sum(x, [1, 2]),
          tf.sum(x, 3),
          tf.sum(tf.reshape(x, [105, 6]), 0),
        ];
      });
    });

    it('tiles float, int and bool tensors', async () => {
      await sameOnBoth(() => {
        const v = tensor([1, 1, 1, 8], 28);
        const m = tensor([2, 3], 29);
        return [
          tf.tile(v, [2, 3, 4, 1]),
          tf.tile(m, [3, 2]),
          tf.tile(m, [1, 1]),
          tf.cast(tf.tile(tf.tensor2d([1, 2, 3, 4], [2, 2], 'int32'), [2, 3]), 'float32'),
          tf.cast(tf.tile(tf.tensor1d([true, false, true], 'bool'), [3]), 'float32'),
        ];
      });
    });

    it('a clone is a separate tensor that outlives its source', async () => {
      await tf.setBackend('wasm');
      const a = tf.tensor1d([1, 2, 3]);
      const b = tf.clone(a);
      a.dispose();
      expect(Array.from(b.dataSync())).toEqual([1, 2, 3]);
      b.dispose();
    });
  },
);

describe('every zoo model trains on wasm with the gradients cpu computes', () => {
  const zoo = [
    ['classification', 'small-cnn', [20, 20, 3]],
    ['classification', 'mobilenet-lite', [24, 24, 3]],
    ['audio-classification', 'audio-cnn', [24, 16, 1]],
    ['regression', 'mlp', [12]],
  ] as const;

  it.each(zoo)('%s / %s', async (task, architecture, inputShape) => {
    const config = resolveExperimentConfig(task, { architecture, dropout: 0, seed: 3 });
    const x = [4, ...inputShape];
    const grads = () => {
      const target =
        task === 'regression' ? { inputShape, outputs: 2 } : { inputShape, numClasses: 3 };
      const model = buildModel(config, target);
      const input = tensor(x, 20);
      const { grads } = tf.variableGrads(() => {
        const y = model.apply(input, { training: true }) as tf.Tensor;
        return weightedSum(y);
      });
      return Object.keys(grads)
        .sort()
        .map((name) => grads[name] as tf.Tensor);
    };
    await sameOnBoth(grads, 1e-4);
  });

  it('dropout, max/avg pooling and batch norm have wasm gradients', async () => {
    await tf.setBackend('wasm');
    const g = tf.tidy(() => {
      const x = tensor([2, 8, 8, 4], 21) as tf.Tensor4D;
      return tf
        .grad((a: tf.Tensor) => {
          const p = tf.maxPool(a as tf.Tensor4D, 2, 2, 'same');
          const q = tf.avgPool(p, 2, 1, 'valid');
          const { mean, variance } = tf.moments(q, [0, 1, 2]);
          const n = tf.batchNorm(q, mean, variance, tf.zeros([4]), tf.ones([4]), 1e-3);
          return tf.sum(tf.dropout(n, 0.5));
        })(x)
        .dataSync();
    });
    expect(g.length).toBe(2 * 8 * 8 * 4);
    expect(g.every((v) => Number.isFinite(v))).toBe(true);
  });
});

describe('registration', () => {
  it('unregistering restores the backend’s own kernels, which still work', async () => {
    await tf.setBackend('wasm');
    const conv = () =>
      tf.tidy(() =>
        tf
          .conv2dTranspose(
            tensor([1, 4, 4, 2], 24) as tf.Tensor4D,
            tensor([3, 3, 3, 2], 25) as tf.Tensor4D,
            [1, 4, 4, 3],
            1,
            'same',
          )
          .dataSync(),
      );
    const ours = conv() as Float32Array;
    const ourKernel = tf.getKernel('Conv2DBackpropInput', 'wasm');
    const ourReluGrad = tf.getGradient('Relu');
    const reluGrad = () =>
      tf.tidy(() =>
        tf
          .grad((a: tf.Tensor) => tf.sum(tf.relu(a)))(tensor([2, 9], 27))
          .dataSync(),
      );
    const fusedRelu = reluGrad() as Float32Array;
    unregisterWasmKernels();
    try {
      expect(tf.getKernel('Conv2DBackpropInput', 'wasm')).not.toBe(ourKernel);
      expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeUndefined();
      expect(tf.getKernel('AssayReluGrad', 'wasm')).toBeUndefined();
      expect(tf.getGradient('Relu')).not.toBe(ourReluGrad);
      expect(Array.from(reluGrad())).toEqual(Array.from(fusedRelu));
      expect(relErr(ours, conv() as Float32Array)).toBeLessThan(TOLERANCE);
      const pooled = tf.tidy(() =>
        tf
          .grad((a: tf.Tensor) => tf.sum(tf.maxPool(a as tf.Tensor4D, 2, 2, 'valid')))(
            tensor([1, 4, 4, 2], 26),
          )
          .dataSync(),
      );
      expect(pooled.length).toBe(32);
    } finally {
      registerWasmKernels();
    }
    expect(tf.getKernel('Conv2DBackpropInput', 'wasm')).toBe(ourKernel);
    expect(tf.getGradient('Relu')).toBe(ourReluGrad);
  });
});
