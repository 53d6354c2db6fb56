/**
 * Two small kernels that every convolution layer hits in training:
 * - Identity: the engine clones every tensor it saves for the backward pass. The wasm backend
 *   copies the memory; tensors are immutable (a Variable's assign swaps the data id, kernels never
 *   write into inputs), so sharing the buffer with a reference count is enough — what the cpu
 *   backend does.
 * - Sum (and Mean) over all axes but the last (a bias gradient: Σ over batch, rows, columns), or
 *   over the spatial axes (global average pooling). The backend transposes the whole tensor to
 *   make the reduced axes innermost, then sums; summing rows into channel vectors reads it once.
 */
import {
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
  backend_util,
  util,
} from '@tensorflow/tfjs-core';
import { simdKernels } from './simd.js';
import { alloc, asWasm, f32, free, offsetOf } from './wasm-backend.js';

function identity(args: { inputs: { x: TensorInfo }; backend: unknown }): TensorInfo {
  const backend = asWasm(args.backend);
  const { x } = args.inputs;
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
}

export const identityConfig: KernelConfig = {
  kernelName: 'Identity',
  backendName: 'wasm',
  kernelFunc: identity as unknown as KernelFunc,
};

/** Rows per float32 SIMD partial sum (the partials are added in float64). */
const SUM_BLOCK_ROWS = 64;

/**
 * Sum over a run of axes that ends just before the last one, when that is what was asked (every
 * axis but the last: a bias gradient; the spatial axes of NHWC: global average pooling); null
 * otherwise. The tensor is read as [outer, rows, C]: each outer slice's rows summed into C.
 */
function sumLeadingAxes(args: {
  inputs: { x: TensorInfo };
  attrs: { axis: number | number[]; keepDims: boolean };
  backend: unknown;
}): TensorInfo | null {
  const { x } = args.inputs;
  const rank = x.shape.length;
  if (x.dtype !== 'float32' || rank < 2) return null;
  const axes = util.parseAxisParam(args.attrs.axis, x.shape).sort((a, b) => a - b);
  const first = axes[0] ?? 0;
  if (axes.length === 0 || axes.some((a, i) => a !== first + i) || axes.at(-1) !== rank - 2) {
    return null;
  }
  const backend = asWasm(args.backend);
  const c = x.shape[rank - 1] as number;
  const kept = x.shape.filter((_, i) => !axes.includes(i));
  const outShape = args.attrs.keepDims ? backend_util.expandShapeToKeepDim(kept, axes) : kept;
  const out = alloc(backend, outShape);
  const outer = x.shape.slice(0, first).reduce((a, b) => a * b, 1);
  const rows = x.shape.slice(first, -1).reduce((a, b) => a * b, 1);
  const acc = new Float64Array(outer * c);
  const simd = simdKernels(backend);
  if (simd && c % 4 === 0) {
    // SIMD column sums over blocks of rows, the blocks added in float64 (as the cpu backend sums).
    const part = alloc(backend, [c]);
    const base = offsetOf(backend, x);
    for (let o = 0; o < outer; o++) {
      for (let r = 0; r < rows; r += SUM_BLOCK_ROWS) {
        simd.col_sum(
          base + (o * rows + r) * c * 4,
          Math.min(SUM_BLOCK_ROWS, rows - r),
          c,
          offsetOf(backend, part),
        );
        const p = f32(backend, part);
        for (let k = 0; k < c; k++) acc[o * c + k] = (acc[o * c + k] as number) + (p[k] as number);
      }
    }
    free(backend, part);
  } else {
    const src = f32(backend, x);
    for (let i = 0; i < src.length; i += c) {
      const o = Math.floor(i / (rows * c)) * c;
      for (let k = 0; k < c; k++) acc[o + k] = (acc[o + k] as number) + (src[i + k] as number);
    }
  }
  f32(backend, out).set(acc);
  return out;
}

export function makeSumConfig(original: KernelConfig): KernelConfig {
  const kernelFunc = (args: Parameters<typeof sumLeadingAxes>[0]): TensorInfo =>
    sumLeadingAxes(args) ?? (original.kernelFunc(args as never) as TensorInfo);
  return { ...original, kernelFunc: kernelFunc as unknown as KernelFunc };
}

/** Mean over the same axes (BatchNorm's batch statistics, global average pooling): the sum, divided. */
export function makeMeanConfig(original: KernelConfig): KernelConfig {
  const kernelFunc = (args: Parameters<typeof sumLeadingAxes>[0]): TensorInfo => {
    const out = sumLeadingAxes(args);
    if (!out) return original.kernelFunc(args as never) as TensorInfo;
    const { x } = args.inputs;
    const count = util
      .parseAxisParam(args.attrs.axis, x.shape)
      .reduce((a, axis) => a * (x.shape[axis] as number), 1);
    const v = f32(asWasm(args.backend), out);
    for (let i = 0; i < v.length; i++) v[i] = (v[i] as number) / count;
    return out;
  };
  return { ...original, kernelFunc: kernelFunc as unknown as KernelFunc };
}
