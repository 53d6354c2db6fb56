/**
 * MaxPoolGrad for wasm. The backend's own is a scalar loop that takes longer than the two
 * convolutions around it in a small CNN (13 ms for a 2×2 pool over 64×28×28×16, measured); this
 * one walks the input once with the channel axis innermost (contiguous), keeping a running max
 * per channel, and routes dy to the first maximum of each window in row-major order — the same
 * tie rule as the cpu backend.
 */
import {
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
  backend_util,
} from '@tensorflow/tfjs-core';
import { type PadAttr } from './conv-geometry.js';
import { simdKernels } from './simd.js';
import { alloc, asWasm, f32, free, offsetOf } from './wasm-backend.js';

interface MaxPoolGradAttrs {
  readonly filterSize: number | [number, number];
  readonly strides: number | [number, number];
  readonly pad: PadAttr;
  readonly dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

function maxPoolGrad(args: {
  inputs: { dy: TensorInfo; input: TensorInfo; output: TensorInfo };
  attrs: MaxPoolGradAttrs;
  backend: unknown;
}): TensorInfo {
  const backend = asWasm(args.backend);
  const { dy, input } = args.inputs;
  const { filterSize, strides, pad, dimRoundingMode } = args.attrs;
  const info = backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    filterSize,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const { batchSize, inHeight: h, inWidth: w, inChannels: c, outHeight, outWidth } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const { top, left } = info.padInfo;
  const simd = simdKernels(backend);
  // Windows that tile the input: every pixel of every window is written (dy or 0).
  const tiled = top === 0 && left === 0 && outHeight * kh === h && outWidth * kw === w;
  if (simd && kh === 2 && kw === 2 && sh === 2 && sw === 2 && tiled && c % 4 === 0) {
    const dx = alloc(backend, [...input.shape]);
    simd.max_pool_grad_2x2(
      offsetOf(backend, input),
      offsetOf(backend, dy),
      offsetOf(backend, dx),
      batchSize * outHeight,
      outWidth,
      c,
    );
    return dx;
  }
  if (simd && kh === sh && kw === sw && c % 4 === 0) {
    // Windows do not overlap: the SIMD kernel routes four channels at a time; only pixels no
    // window covers need zeroing first.
    const dx = alloc(backend, [...input.shape]);
    const geo = alloc(backend, [10], 'int32');
    if (!tiled) f32(backend, dx).fill(0);
    new Int32Array(f32(backend, geo).buffer, offsetOf(backend, geo), 10).set([
      batchSize,
      h,
      w,
      c,
      outHeight,
      outWidth,
      kh,
      kw,
      top,
      left,
    ]);
    simd.max_pool_grad(
      offsetOf(backend, input),
      offsetOf(backend, dy),
      offsetOf(backend, dx),
      offsetOf(backend, geo),
    );
    free(backend, geo);
    return dx;
  }
  const dx = alloc(backend, [...input.shape]);
  const x = f32(backend, input);
  const g = f32(backend, dy);
  const out = f32(backend, dx);
  out.fill(0);
  route(x, g, out, {
    n: batchSize,
    h,
    w,
    c,
    oh: outHeight,
    ow: outWidth,
    kh,
    kw,
    sh,
    sw,
    top,
    left,
  });
  return dx;
}

interface PoolShape {
  readonly n: number;
  readonly h: number;
  readonly w: number;
  readonly c: number;
  readonly oh: number;
  readonly ow: number;
  readonly kh: number;
  readonly kw: number;
  readonly sh: number;
  readonly sw: number;
  readonly top: number;
  readonly left: number;
}

/** Adds dy[o] to dx at the first maximum of window o, per channel. */
function route(x: Float32Array, dy: Float32Array, dx: Float32Array, p: PoolShape): void {
  const { n, h, w, c } = p;
  const best = new Float32Array(c);
  const where = new Int32Array(c);
  let o = 0;
  for (let b = 0; b < n; b++) {
    for (let oi = 0; oi < p.oh; oi++) {
      const h0 = oi * p.sh - p.top;
      const i0 = h0 < 0 ? 0 : h0;
      const i1 = h0 + p.kh > h ? h : h0 + p.kh;
      for (let oj = 0; oj < p.ow; oj++, o += c) {
        const w0 = oj * p.sw - p.left;
        const j0 = w0 < 0 ? 0 : w0;
        const j1 = w0 + p.kw > w ? w : w0 + p.kw;
        let first = true;
        for (let i = i0; i < i1; i++) {
          let base = ((b * h + i) * w + j0) * c;
          for (let j = j0; j < j1; j++, base += c) {
            if (first) {
              // The window's first pixel seeds the running max (NaN seeds nothing, as on cpu).
              for (let k = 0; k < c; k++) {
                const v = x[base + k] as number;
                const ok = v > -Infinity;
                best[k] = ok ? v : -Infinity;
                where[k] = ok ? base + k : -1;
              }
              first = false;
              continue;
            }
            for (let k = 0; k < c; k++) {
              const v = x[base + k] as number;
              if (v > (best[k] as number)) {
                best[k] = v;
                where[k] = base + k;
              }
            }
          }
        }
        if (first) continue;
        for (let k = 0; k < c; k++) {
          const at = where[k] as number;
          if (at >= 0) dx[at] = (dx[at] as number) + (dy[o + k] as number);
        }
      }
    }
  }
}

export const maxPoolGradConfig: KernelConfig = {
  kernelName: 'MaxPoolGrad',
  backendName: 'wasm',
  kernelFunc: maxPoolGrad as unknown as KernelFunc,
};
