/**
 * Our own WebAssembly SIMD kernels (simd/kernels.wat), instantiated on tfjs-backend-wasm's memory
 * so they work on tensors in place. Used where XNNPACK, as tfjs drives it, does needless work:
 * its GEMM packs (copies, transposing) the whole right-hand matrix on every call, which for a
 * filter gradient — a reduction over every position of the batch — costs more than the
 * arithmetic.
 */
import { KERNELS_WASM_BASE64, KERNELS_WASM_RELAXED_BASE64 } from './simd/kernels-wasm.js';
import { kernelTuning } from './tuning.js';
import type { WasmBackend } from './wasm-backend.js';
import { relaxedSimdAvailable } from './wasm-features.js';

export interface SimdKernels {
  /** C[M,N] += A·B; A as M row byte-pointers at `rows`; M % 4 == 0, N % 8 == 0. */
  gemm_rows(rows: number, m: number, b: number, n: number, k: number, c: number): void;
  /**
   * C[M,N] (+)= Σ segments (aOff, bRow, len) of A[:, aOff..+len)·B[bRow..+len, :]; same padding.
   * acc = 0 overwrites C (no need to zero it first); otherwise the sum is added.
   */
  gemm_rows_seg(
    rows: number,
    m: number,
    b: number,
    n: number,
    c: number,
    segs: number,
    nseg: number,
    acc: number,
  ): void;
  /**
   * C[M,N] = Σ_t A(r,t)·W[t,:], A(r,t) = f32 at rows[r] + taps[t] (byte offsets): a direct
   * convolution for few input channels; M % 2 == 0, N % 16 == 0; C is overwritten.
   */
  conv_taps(
    rows: number,
    m: number,
    w: number,
    n: number,
    c: number,
    taps: number,
    ntaps: number,
  ): void;
  /** Non-overlapping max-pool gradient into dx (zero where no window covers it); geo = 10 int32 (n h w c oh ow kh kw top left). */
  max_pool_grad(x: number, dy: number, dx: number, geo: number): void;
  /** The same for 2×2 windows at stride 2 tiling the input (h = 2·oh, w = 2·ow); rows = n·oh. */
  max_pool_grad_2x2(x: number, dy: number, dx: number, rows: number, ow: number, c: number): void;
  /** Column-shifted channel planes of x for stride-1 filter gradients; geo = 10 int32 (see kernels.wat). */
  shift_planes(x: number, out: number, plane: number, geo: number): void;
  /** NHWC x (columns w0..w1) into channel planes (4×4 SIMD transposes); geo = 10 int32 (kernels.wat). */
  to_planes(x: number, out: number, plane: number, geo: number): void;
  /** dst[c] = column sums of a [rows, c] block; c % 4 == 0. */
  col_sum(src: number, rows: number, c: number, dst: number): void;
  /** Depthwise (multiplier 1) filter gradient into a zeroed acc; geo = 14 int32 (see kernels.wat). */
  depthwise_filter_grad(x: number, dy: number, acc: number, geo: number): void;
  /** Depthwise (multiplier 1) input gradient into a zeroed dx; same geo. */
  depthwise_input_grad(w: number, dy: number, dx: number, geo: number): void;
  /** out[r·c + j] = x[r·c + j] + bias[j] for r < rows; c % 4 == 0. */
  add_bias(x: number, bias: number, rows: number, c: number, out: number): void;
  /** out[i] = a[i] · b[i] for i < n; n % 4 == 0. */
  mul(a: number, b: number, n: number, out: number): void;
  /** out[i] = dy[i] · step(x[i]) (NaN kept) for i < n; n % 4 == 0. */
  relu_grad(dy: number, x: number, n: number, out: number): void;
  /**
   * One Adam step over n floats (any n): m' = m·b1 + g·c1, v' = v·b2 + g²·c2,
   * w' = w − m' / (sqrt(v') / bc2 + eps) · lr, written at ow, om, ov; no fused multiply-adds.
   */
  adam_update(
    w: number,
    g: number,
    m: number,
    v: number,
    n: number,
    ow: number,
    om: number,
    ov: number,
    b1: number,
    c1: number,
    b2: number,
    c2: number,
    bc2: number,
    eps: number,
    lr: number,
  ): void;
  /**
   * One SGD step over n floats (any n): u = g (mode 0, 1) or buf·mu + g (mode 2); w' = w − u·lr
   * at ow, and u at ob for modes 1 and 2.
   */
  sgd_update(
    w: number,
    g: number,
    buf: number,
    n: number,
    ow: number,
    ob: number,
    mu: number,
    lr: number,
    mode: number,
  ): void;
  /** out[i] = x[i] > 0 ? 1 : alpha (NaN stays NaN) for i < n; n % 4 == 0. */
  step(x: number, n: number, alpha: number, out: number): void;
}

/** The bits of the WebAssembly JS API used here (this project's TS libs do not declare it). */
interface WasmApi {
  readonly Memory: abstract new (...args: never[]) => object;
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (module: object, imports: object) => { readonly exports: object };
}
const WA = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

let compiled: object | null = null;
const instances = new WeakMap<object, SimdKernels>();

/** The kernels bound to `backend`'s memory, or null when they cannot be had here. */
export function simdKernels(backend: WasmBackend): SimdKernels | null {
  if (!kernelTuning.simd) return null;
  const memory = (backend.wasm as unknown as { asm?: { memory?: unknown } }).asm?.memory;
  if (!(memory instanceof WA.Memory)) return null;
  let k = instances.get(memory);
  if (k) return k;
  try {
    compiled ??= new WA.Module(
      Buffer.from(
        relaxedSimdAvailable() ? KERNELS_WASM_RELAXED_BASE64 : KERNELS_WASM_BASE64,
        'base64',
      ),
    );
    const instance = new WA.Instance(compiled, { env: { memory } });
    k = instance.exports as unknown as SimdKernels;
  } catch {
    return null; // no wasm SIMD on this runtime: callers keep their XNNPACK path
  }
  instances.set(memory, k);
  return k;
}
