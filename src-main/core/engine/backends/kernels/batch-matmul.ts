/**
 * BatchMatMul for wasm with transposed operands. The backend sends only the plain, unbatched
 * product to XNNPACK; with transposeA or transposeB (every Dense layer's backward pass: dx = dy·Wᵀ,
 * dW = xᵀ·dy) it falls back to a scalar triple loop. Transposing the operand first (the backend's
 * own Transpose kernel) and then taking the XNNPACK path is several times faster once the product
 * is not tiny; tiny products keep the original kernel.
 */
import { type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { asWasm, free, run } from './wasm-backend.js';

/** Below this many multiply-adds the scalar loop beats two extra kernel calls. */
const MIN_MACS = 1 << 15;

export function makeBatchMatMulConfig(original: KernelConfig): KernelConfig {
  const kernelFunc = (args: {
    inputs: { a: TensorInfo; b: TensorInfo };
    attrs: { transposeA: boolean; transposeB: boolean };
    backend: unknown;
  }): TensorInfo => {
    const { a, b } = args.inputs;
    const { transposeA, transposeB } = args.attrs;
    const rankA = a.shape.length;
    const rankB = b.shape.length;
    const batchA = a.shape.slice(0, -2).reduce((x, y) => x * y, 1);
    const batchB = b.shape.slice(0, -2).reduce((x, y) => x * y, 1);
    const m = (transposeA ? a.shape[rankA - 1] : a.shape[rankA - 2]) ?? 1;
    const k = (transposeA ? a.shape[rankA - 2] : a.shape[rankA - 1]) ?? 1;
    const n = (transposeB ? b.shape[rankB - 2] : b.shape[rankB - 1]) ?? 1;
    const callOriginal = (inputs: { a: TensorInfo; b: TensorInfo }, tA: boolean, tB: boolean) =>
      original.kernelFunc({
        ...args,
        inputs,
        attrs: { transposeA: tA, transposeB: tB },
      } as never) as TensorInfo;
    if ((!transposeA && !transposeB) || batchA !== 1 || batchB !== 1 || m * n * k < MIN_MACS) {
      return callOriginal({ a, b }, transposeA, transposeB);
    }
    const backend = asWasm(args.backend);
    const flip = (t: TensorInfo): TensorInfo => {
      const r = t.shape.length;
      const perm = [...Array(r).keys()];
      [perm[r - 2], perm[r - 1]] = [r - 1, r - 2];
      return run(backend, 'Transpose', { x: t }, { perm });
    };
    const aa = transposeA ? flip(a) : a;
    const bb = transposeB ? flip(b) : b;
    const out = callOriginal({ a: aa, b: bb }, false, false);
    if (transposeA) free(backend, aa);
    if (transposeB) free(backend, bb);
    return out;
  };
  return { ...original, kernelFunc: kernelFunc as unknown as KernelFunc };
}
