/**
 * The fused MLP step's WebAssembly SIMD loops (mlp.wat), each instance on a memory of its own:
 * the stepper keeps weights, gradients, optimizer slots and activations there between steps.
 */
import { relaxedSimdAvailable } from '../../backends/kernels/wasm-features.js';
import { MLP_WASM_BASE64, MLP_WASM_RELAXED_BASE64 } from './mlp-wasm.js';

/** Pointers are byte addresses in the instance's memory; see mlp.wat for each contract. */
export interface MlpKernels {
  /** C[M,N] = bias + A·B, then ReLU and/or a mask; A(i,p) at a + i·ars + p·acs; M%4, N%8 == 0. */
  gemm(
    a: number,
    ars: number,
    acs: number,
    b: number,
    c: number,
    m: number,
    n: number,
    k: number,
    bias: number,
    relu: number,
    mask: number,
  ): void;
  transpose(src: number, rows: number, cols: number, dst: number): void;
  /** dst[N] = column sums of src[R,N]; N % 4 == 0. */
  col_sum(src: number, rows: number, n: number, dst: number): void;
  adam(
    w: number,
    g: number,
    m: number,
    v: number,
    count: number,
    beta1: number,
    oneMinusBeta1: number,
    beta2: number,
    oneMinusBeta2: number,
    bc2Sqrt: number,
    stepSize: number,
    eps: number,
  ): void;
  sgd(
    w: number,
    g: number,
    buf: number,
    count: number,
    lr: number,
    mu: number,
    first: number,
  ): void;
}

/** The bits of the WebAssembly JS API used here (this project's TS libs do not declare it). */
interface WasmApi {
  readonly Memory: new (descriptor: { initial: number }) => { readonly buffer: ArrayBuffer };
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (module: object, imports: object) => { readonly exports: object };
}
const WA = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

const PAGE_BYTES = 65536;
const compiled = new Map<boolean, object | null>();

/**
 * A fresh instance on `bytes` of zeroed memory, or null where wasm SIMD is not available.
 * `relaxedWanted` false: the plain build even where the fused multiply-add one would run.
 */
export function mlpKernels(
  bytes: number,
  relaxedWanted = true,
): { kernels: MlpKernels; heap: ArrayBuffer } | null {
  if (!WA) return null;
  // Called first in any case: it enables relaxed SIMD where the runtime needs a flag for it.
  const relaxed = relaxedSimdAvailable() && relaxedWanted;
  let module = compiled.get(relaxed);
  if (module === undefined) {
    try {
      module = new WA.Module(
        Buffer.from(relaxed ? MLP_WASM_RELAXED_BASE64 : MLP_WASM_BASE64, 'base64'),
      );
    } catch {
      module = null; // no wasm SIMD on this runtime
    }
    compiled.set(relaxed, module);
  }
  if (!module) return null;
  const memory = new WA.Memory({ initial: Math.ceil(bytes / PAGE_BYTES) });
  const instance = new WA.Instance(module, { env: { memory } });
  return { kernels: instance.exports as unknown as MlpKernels, heap: memory.buffer };
}
