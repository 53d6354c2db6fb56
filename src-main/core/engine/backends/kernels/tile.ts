/**
 * Tile for wasm. The backend's own computes a source index per output element (≈30 ns each
 * here); BatchNorm's gradient tiles per-channel vectors up to the full activation several times a
 * step, which made Tile the most expensive kernel of a MobileNet step. Here a tile is a sequence
 * of "repeat along one axis", innermost first, each a handful of block copies (memcpy).
 */
import { type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { alloc, asWasm } from './wasm-backend.js';

type Typed = Float32Array | Int32Array | Uint8Array;

function view(backend: ReturnType<typeof asWasm>, t: TensorInfo): Typed | null {
  const data = backend.dataIdMap.get(t.dataId);
  if (!data) return null;
  const size = t.shape.reduce((a, b) => a * b, 1);
  const buf = backend.wasm.HEAPU8.buffer;
  if (t.dtype === 'float32') return new Float32Array(buf, data.memoryOffset, size);
  if (t.dtype === 'int32') return new Int32Array(buf, data.memoryOffset, size);
  if (t.dtype === 'bool') return new Uint8Array(buf, data.memoryOffset, size);
  return null;
}

/** Repeats `src` (shape `shape`) `reps[d]` times along each axis d, into `dst`. */
export function tileInto(
  src: Typed,
  shape: readonly number[],
  reps: readonly number[],
  dst: Typed,
) {
  let cur: Typed = src;
  const dims = [...shape];
  const axes = dims.map((_, d) => d).filter((d) => (reps[d] ?? 1) > 1);
  if (axes.length === 0) {
    dst.set(src);
    return;
  }
  // Ping-pong between dst and one temporary; the last step must land in dst.
  const tmp = axes.length > 1 ? new (src.constructor as new (n: number) => Typed)(dst.length) : dst;
  for (let i = axes.length - 1, step = 0; i >= 0; i--, step++) {
    const d = axes[i] as number;
    const k = reps[d] as number;
    const target = (axes.length - 1 - step) % 2 === 0 ? dst : tmp;
    const outer = dims.slice(0, d).reduce((a, b) => a * b, 1);
    const block = dims.slice(d).reduce((a, b) => a * b, 1);
    for (let a = 0; a < outer; a++) {
      const from = cur.subarray(a * block, (a + 1) * block);
      for (let j = 0; j < k; j++) target.set(from, (a * k + j) * block);
    }
    dims[d] = (dims[d] as number) * k;
    cur = target;
  }
}

export function makeTileConfig(original: KernelConfig): KernelConfig {
  const kernelFunc = (args: {
    inputs: { x: TensorInfo };
    attrs: { reps: number[] };
    backend: unknown;
  }): TensorInfo => {
    const backend = asWasm(args.backend);
    const { x } = args.inputs;
    const { reps } = args.attrs;
    if (!['float32', 'int32', 'bool'].includes(x.dtype) || reps.length !== x.shape.length) {
      return original.kernelFunc(args as never) as TensorInfo;
    }
    const outShape = x.shape.map((s, i) => s * (reps[i] ?? 1));
    const out = alloc(backend, outShape, x.dtype);
    const src = view(backend, x);
    const dst = view(backend, out);
    if (!src || !dst) throw new Error('Tile: tensor not on the wasm backend');
    tileInto(src, x.shape, reps, dst);
    return out;
  };
  return { ...original, kernelFunc: kernelFunc as unknown as KernelFunc };
}
