/**
 * The few internals of tfjs-backend-wasm our kernels touch, typed narrowly, and helpers to run the
 * backend's own kernels from inside a kernel. Kernels compose other kernels by calling their
 * `kernelFunc` directly (as tfjs-backend-wasm's own kernels do): going through tf ops would
 * re-enter the engine and record intermediate nodes on the gradient tape.
 */
import {
  type backend_util,
  getKernel,
  type DataType,
  type KernelBackend,
  type NamedAttrMap,
  type NamedTensorInfoMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core';

interface WasmTensorData {
  readonly id: number;
  readonly memoryOffset: number;
  readonly shape: number[];
  readonly dtype: DataType;
}

/** What we use of BackendWasm (dist/backend_wasm.d.ts) and its Emscripten module. */
export interface WasmBackend extends KernelBackend {
  readonly wasm: { readonly HEAPF32: Float32Array; readonly HEAPU8: Uint8Array };
  readonly dataIdMap: { get(dataId: object): WasmTensorData | undefined };
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  disposeData(dataId: object, force?: boolean): boolean;
  incRef(dataId: object): void;
}

export function asWasm(backend: unknown): WasmBackend {
  const b = backend as Partial<WasmBackend> | null;
  if (!b || typeof b !== 'object' || !b.wasm || !b.dataIdMap || !b.makeOutput) {
    throw new Error('this kernel runs on the wasm backend only');
  }
  return b as WasmBackend;
}

/**
 * A Float32Array over a tensor's memory on the wasm heap. Views go stale when the heap grows
 * (any allocation may grow it): take views after the last allocation of a step, never keep them.
 */
export function f32(backend: WasmBackend, t: TensorInfo): Float32Array {
  const data = backend.dataIdMap.get(t.dataId);
  if (!data) throw new Error('tensor is not on the wasm backend');
  const size = t.shape.reduce((a, b) => a * b, 1) * (t.dtype === 'complex64' ? 2 : 1);
  return new Float32Array(backend.wasm.HEAPF32.buffer, data.memoryOffset, size);
}

/** Byte address of a tensor's data on the wasm heap. */
export function offsetOf(backend: WasmBackend, t: TensorInfo): number {
  const data = backend.dataIdMap.get(t.dataId);
  if (!data) throw new Error('tensor is not on the wasm backend');
  return data.memoryOffset;
}

/** A fresh float32 output; its contents are whatever the allocator left there. */
export function alloc(backend: WasmBackend, shape: number[], dtype: DataType = 'float32') {
  return backend.makeOutput(shape, dtype);
}

export function free(backend: WasmBackend, ...infos: readonly TensorInfo[]): void {
  for (const t of infos) backend.disposeData(t.dataId);
}

/** Runs the kernel currently registered for `name` on the wasm backend, bypassing the engine. */
export function run(
  backend: WasmBackend,
  name: string,
  inputs: NamedTensorInfoMap,
  attrs: NamedAttrMap = {},
): TensorInfo {
  const kernel = getKernel(name, 'wasm');
  if (!kernel) throw new Error(`the wasm backend has no ${name} kernel`);
  const out = kernel.kernelFunc({ inputs, attrs, backend });
  if (Array.isArray(out)) throw new Error(`${name} returned several outputs`);
  return out as TensorInfo;
}

/** The wasm backend's own Conv2D (XNNPACK): NHWC input, HWIO filter, explicit per-side pads. */
export function conv2d(
  backend: WasmBackend,
  x: TensorInfo,
  filter: TensorInfo,
  strides: readonly [number, number],
  dilations: readonly [number, number],
  pads: { top: number; bottom: number; left: number; right: number },
): TensorInfo {
  const pad: backend_util.ExplicitPadding = [
    [0, 0],
    [pads.top, pads.bottom],
    [pads.left, pads.right],
    [0, 0],
  ];
  return run(backend, 'Conv2D', { x, filter }, {
    strides: [...strides],
    dilations: [...dilations],
    pad,
    dataFormat: 'NHWC',
    dimRoundingMode: undefined as unknown as string,
  } as unknown as NamedAttrMap);
}

/** [M,K] × [K,N] → [M,N] through XNNPACK's fully-connected operator (no transposes: see batch-matmul). */
export function matmul(backend: WasmBackend, a: TensorInfo, b: TensorInfo): TensorInfo {
  return run(backend, 'BatchMatMul', { a, b }, { transposeA: false, transposeB: false });
}

export function pair(v: number | readonly number[] | undefined, fallback = 1): [number, number] {
  if (v == null) return [fallback, fallback];
  if (typeof v === 'number') return [v, v];
  return [v[0] ?? fallback, v[1] ?? v[0] ?? fallback];
}
