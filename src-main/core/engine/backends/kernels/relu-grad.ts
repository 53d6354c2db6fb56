/**
 * ReLU's gradient in one pass on wasm. tfjs computes it as mul(dy, cast(step(x))): three kernels
 * and two full-size temporaries per layer per step, all memory-bound. We register a replacement
 * gradient for Relu that, while the wasm backend is active, runs one kernel (AssayReluGrad)
 * computing the same products — dy · 1, dy · 0 (signed zeros and NaN from dy kept) and NaN where
 * x is NaN — and otherwise (any other backend) the original formula. AssayReluGrad has its own
 * gradient, so second derivatives still work.
 */
import {
  type GradConfig,
  type KernelConfig,
  type KernelFunc,
  type Tensor,
  type TensorInfo,
  cast,
  engine,
  getBackend,
  getKernel,
  mul,
  step,
  zerosLike,
} from '@tensorflow/tfjs-core';
import { simdKernels } from './simd.js';
import { alloc, asWasm, f32, offsetOf } from './wasm-backend.js';

export const RELU_GRAD = 'AssayReluGrad';

function reluGrad(args: { inputs: { dy: TensorInfo; x: TensorInfo }; backend: unknown }) {
  const { dy, x } = args.inputs;
  const backend = asWasm(args.backend);
  const n = dy.shape.reduce((a, b) => a * b, 1);
  const out = alloc(backend, [...x.shape]);
  const simd = simdKernels(backend);
  const body = simd ? n - (n % 4) : 0;
  if (simd)
    simd.relu_grad(offsetOf(backend, dy), offsetOf(backend, x), body, offsetOf(backend, out));
  if (body < n) {
    const g = f32(backend, dy);
    const xv = f32(backend, x);
    const o = f32(backend, out);
    for (let i = body; i < n; i++) {
      const v = xv[i] as number;
      o[i] = (g[i] as number) * (Number.isNaN(v) ? NaN : v > 0 ? 1 : 0);
    }
  }
  return out;
}

export const reluGradKernelConfig: KernelConfig = {
  kernelName: RELU_GRAD,
  backendName: 'wasm',
  kernelFunc: reluGrad as unknown as KernelFunc,
};

/** Relu's gradient: one AssayReluGrad kernel on wasm, tfjs's own formula elsewhere. */
export const reluGradientConfig: GradConfig = {
  kernelName: 'Relu',
  inputsToSave: ['x'],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[]) => {
    const [x] = saved as [Tensor];
    const g = dy as Tensor;
    const fused =
      getBackend() === 'wasm' &&
      g.dtype === 'float32' &&
      x.dtype === 'float32' &&
      getKernel(RELU_GRAD, 'wasm');
    return {
      x: () =>
        fused
          ? (engine().runKernel(RELU_GRAD, { dy: g, x }) as Tensor)
          : mul(g, cast(step(x), 'float32')),
    };
  },
};

/** AssayReluGrad's own gradient (second derivatives): d/d(dy) = step(x), d/dx = 0. */
export const reluGradGradientConfig: GradConfig = {
  kernelName: RELU_GRAD,
  inputsToSave: ['x'],
  gradFunc: (ddy: Tensor | Tensor[], saved: Tensor[]) => {
    const [x] = saved as [Tensor];
    return {
      dy: () => mul(ddy as Tensor, cast(step(x), 'float32')),
      x: () => zerosLike(x),
    };
  },
};
