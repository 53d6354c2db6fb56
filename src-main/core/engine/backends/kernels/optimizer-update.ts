/**
 * The optimizer update of one variable as one wasm kernel. optimizers.ts writes Adam with about
 * a dozen tf ops per variable (each a kernel dispatch and a full-size temporary); on wasm it runs
 * these instead, which compute the same float32 operations in the same order (no fused
 * multiply-adds), so both paths give the same bits:
 * - AssayAdam (w, g, m, v) → [w', m', v'], attrs b1, c1 = 1 − b1, b2, c2 = 1 − b2, bc2 (the square
 *   root of β2's bias correction), eps, lr (the step size: learning rate / β1's bias correction);
 * - AssaySgd (w, g[, buf]) → [w'] (mode 0, no momentum) or [w', buf'] (mode 1: the first step,
 *   buf' = g; mode 2: buf' = buf·mu + g), attrs mu, lr, mode.
 * Every scalar is rounded to float32 first, as a tf scalar would be. Not differentiable (an update
 * is never on a gradient tape).
 */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { simdKernels } from './simd.js';
import { alloc, asWasm, f32, offsetOf } from './wasm-backend.js';

export const ADAM_UPDATE = 'AssayAdam';
export const SGD_UPDATE = 'AssaySgd';

export interface AdamAttrs {
  readonly b1: number;
  readonly c1: number;
  readonly b2: number;
  readonly c2: number;
  readonly bc2: number;
  readonly eps: number;
  readonly lr: number;
}

export interface SgdAttrs {
  readonly mu: number;
  readonly lr: number;
  /** 0: no momentum buffer; 1: the buffer's first step; 2: later steps. */
  readonly mode: 0 | 1 | 2;
}

const fr = Math.fround;

function size(t: TensorInfo): number {
  return t.shape.reduce((a, b) => a * b, 1);
}

function checkFloat(...ts: TensorInfo[]): void {
  const n = size(ts[0] as TensorInfo);
  for (const t of ts) {
    if (t.dtype !== 'float32') throw new Error('optimizer update: float32 tensors only');
    if (size(t) !== n) throw new Error('optimizer update: tensors of different sizes');
  }
}

function adam(args: {
  inputs: { w: TensorInfo; g: TensorInfo; m: TensorInfo; v: TensorInfo };
  attrs: AdamAttrs;
  backend: unknown;
}): TensorInfo[] {
  const { w, g, m, v } = args.inputs;
  checkFloat(w, g, m, v);
  const backend = asWasm(args.backend);
  const n = size(w);
  const ow = alloc(backend, [...w.shape]);
  const om = alloc(backend, [...m.shape]);
  const ov = alloc(backend, [...v.shape]);
  const b1 = fr(args.attrs.b1);
  const c1 = fr(args.attrs.c1);
  const b2 = fr(args.attrs.b2);
  const c2 = fr(args.attrs.c2);
  const bc2 = fr(args.attrs.bc2);
  const eps = fr(args.attrs.eps);
  const lr = fr(args.attrs.lr);
  const simd = simdKernels(backend);
  if (simd) {
    const at = (t: TensorInfo) => offsetOf(backend, t);
    simd.adam_update(
      at(w),
      at(g),
      at(m),
      at(v),
      n,
      at(ow),
      at(om),
      at(ov),
      b1,
      c1,
      b2,
      c2,
      bc2,
      eps,
      lr,
    );
    return [ow, om, ov];
  }
  const [W, G, M, V, OW, OM, OV] = [w, g, m, v, ow, om, ov].map((t) => f32(backend, t)) as [
    Float32Array,
    Float32Array,
    Float32Array,
    Float32Array,
    Float32Array,
    Float32Array,
    Float32Array,
  ];
  for (let i = 0; i < n; i++) {
    const gi = G[i] as number;
    const mi = fr(fr((M[i] as number) * b1) + fr(gi * c1));
    const vi = fr(fr((V[i] as number) * b2) + fr(fr(gi * gi) * c2));
    const denom = fr(fr(fr(Math.sqrt(vi)) / bc2) + eps);
    OM[i] = mi;
    OV[i] = vi;
    OW[i] = (W[i] as number) - fr(fr(mi / denom) * lr);
  }
  return [ow, om, ov];
}

function sgd(args: {
  inputs: { w: TensorInfo; g: TensorInfo; buf?: TensorInfo };
  attrs: SgdAttrs;
  backend: unknown;
}): TensorInfo[] {
  const { w, g, buf } = args.inputs;
  const { mode } = args.attrs;
  if (mode === 2 && !buf) throw new Error('AssaySgd: mode 2 needs the momentum buffer');
  checkFloat(w, g, ...(mode === 2 && buf ? [buf] : []));
  const backend = asWasm(args.backend);
  const n = size(w);
  const ow = alloc(backend, [...w.shape]);
  const ob = mode === 0 ? null : alloc(backend, [...w.shape]);
  const mu = fr(args.attrs.mu);
  const lr = fr(args.attrs.lr);
  const out = ob ? [ow, ob] : [ow];
  const simd = simdKernels(backend);
  if (simd) {
    const at = (t: TensorInfo) => offsetOf(backend, t);
    // Modes 0 and 1 never read buf: any address will do.
    const bufAt = mode === 2 && buf ? at(buf) : at(g);
    simd.sgd_update(at(w), at(g), bufAt, n, at(ow), ob ? at(ob) : at(ow), mu, lr, mode);
    return out;
  }
  const W = f32(backend, w);
  const G = f32(backend, g);
  const B = mode === 2 && buf ? f32(backend, buf) : null;
  const OW = f32(backend, ow);
  const OB = ob ? f32(backend, ob) : null;
  for (let i = 0; i < n; i++) {
    const u = B ? fr(fr((B[i] as number) * mu) + (G[i] as number)) : (G[i] as number);
    if (OB) OB[i] = u;
    OW[i] = (W[i] as number) - fr(u * lr);
  }
  return out;
}

export const adamUpdateKernelConfig: KernelConfig = {
  kernelName: ADAM_UPDATE,
  backendName: 'wasm',
  kernelFunc: adam as unknown as KernelFunc,
};

export const sgdUpdateKernelConfig: KernelConfig = {
  kernelName: SGD_UPDATE,
  backendName: 'wasm',
  kernelFunc: sgd as unknown as KernelFunc,
};
