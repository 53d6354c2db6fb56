/**
 * Element-wise kernels every convolution layer runs in training, where the wasm backend's own is
 * slow or copies for nothing:
 * - Add of a [..., C] tensor and a C-vector (a layer's bias add): the backend's broadcasting add
 *   walks index arithmetic per element; ours adds the vector to each row with SIMD.
 * - Cast to the dtype the tensor already has (ReLU's gradient casts its step mask): shares the
 *   buffer with a reference count, as Identity does, instead of copying.
 * - Step (ReLU's gradient mask): four lanes at a time.
 * - Multiply of two float32 tensors of one shape (ReLU's gradient, dy · mask): a plain SIMD loop
 *   (the backend's goes through XNNPACK's broadcasting operator, slower on large tensors).
 */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { simdKernels } from './simd.js';
import { alloc, asWasm, f32, offsetOf } from './wasm-backend.js';

const size = (t: TensorInfo): number => t.shape.reduce((a, b) => a * b, 1);

/** Whether `v` is a C-vector (any leading ones) and `x` a [..., C] tensor. */
function isBiasOf(x: TensorInfo, v: TensorInfo): boolean {
  const c = x.shape[x.shape.length - 1];
  return (
    c !== undefined &&
    v.shape.length >= 1 &&
    v.shape.length <= x.shape.length &&
    v.shape[v.shape.length - 1] === c &&
    size(v) === c
  );
}

export function makeAddConfig(original: KernelConfig): KernelConfig {
  const kernelFunc = (args: {
    inputs: { a: TensorInfo; b: TensorInfo };
    backend: unknown;
  }): TensorInfo => {
    const { a, b } = args.inputs;
    if (a.dtype === 'float32' && b.dtype === 'float32' && size(a) !== size(b)) {
      const [x, v] = isBiasOf(a, b) ? [a, b] : isBiasOf(b, a) ? [b, a] : [null, null];
      const c = x?.shape[x.shape.length - 1] ?? 0;
      const backend = asWasm(args.backend);
      const simd = x && v && c % 4 === 0 ? simdKernels(backend) : null;
      if (x && v && simd) {
        const out = alloc(backend, [...x.shape]);
        simd.add_bias(
          offsetOf(backend, x),
          offsetOf(backend, v),
          size(x) / c,
          c,
          offsetOf(backend, out),
        );
        return out;
      }
    }
    return original.kernelFunc(args as never) as TensorInfo;
  };
  return { ...original, kernelFunc: kernelFunc as unknown as KernelFunc };
}

export function makeCastConfig(original: KernelConfig): KernelConfig {
  const kernelFunc = (args: {
    inputs: { x: TensorInfo };
    attrs: { dtype: string };
    backend: unknown;
  }): TensorInfo => {
    const { x } = args.inputs;
    if (x.dtype !== args.attrs.dtype || x.dtype === 'complex64' || x.dtype === 'string') {
      return original.kernelFunc(args as never) as TensorInfo;
    }
    asWasm(args.backend).incRef(x.dataId);
    return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
  };
  return { ...original, kernelFunc: kernelFunc as unknown as KernelFunc };
}

export function makeStepConfig(original: KernelConfig): KernelConfig {
  const kernelFunc = (args: {
    inputs: { x: TensorInfo };
    attrs: { alpha: number };
    backend: unknown;
  }): TensorInfo => {
    const { x } = args.inputs;
    const backend = asWasm(args.backend);
    const simd = x.dtype === 'float32' ? simdKernels(backend) : null;
    if (!simd) return original.kernelFunc(args as never) as TensorInfo;
    const alpha = args.attrs.alpha ?? 0;
    const n = size(x);
    const body = n - (n % 4);
    const out = alloc(backend, [...x.shape]);
    simd.step(offsetOf(backend, x), body, alpha, offsetOf(backend, out));
    if (body < n) {
      const xv = f32(backend, x);
      const ov = f32(backend, out);
      for (let i = body; i < n; i++) {
        const v = xv[i] as number;
        ov[i] = Number.isNaN(v) ? NaN : v > 0 ? 1 : alpha;
      }
    }
    return out;
  };
  return { ...original, kernelFunc: kernelFunc as unknown as KernelFunc };
}

/** Below this many elements the backend's own multiply is as fast (and handles everything). */
const MIN_MUL = 1024;

export function makeMultiplyConfig(original: KernelConfig): KernelConfig {
  const kernelFunc = (args: {
    inputs: { a: TensorInfo; b: TensorInfo };
    backend: unknown;
  }): TensorInfo => {
    const { a, b } = args.inputs;
    const n = size(a);
    const same =
      a.dtype === 'float32' &&
      b.dtype === 'float32' &&
      n >= MIN_MUL &&
      a.shape.length === b.shape.length &&
      a.shape.every((d, i) => d === b.shape[i]);
    const backend = asWasm(args.backend);
    const simd = same ? simdKernels(backend) : null;
    if (!simd) return original.kernelFunc(args as never) as TensorInfo;
    const body = n - (n % 4);
    const out = alloc(backend, [...a.shape]);
    simd.mul(offsetOf(backend, a), offsetOf(backend, b), body, offsetOf(backend, out));
    if (body < n) {
      const av = f32(backend, a);
      const bv = f32(backend, b);
      const ov = f32(backend, out);
      for (let i = body; i < n; i++) ov[i] = (av[i] as number) * (bv[i] as number);
    }
    return out;
  };
  return { ...original, kernelFunc: kernelFunc as unknown as KernelFunc };
}
