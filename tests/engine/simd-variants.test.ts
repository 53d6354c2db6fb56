// Both builds of our SIMD module — relaxed (fused multiply-add) and plain — compute the same GEMM
// as a straightforward loop, and the relaxed one is the one picked where the runtime allows it.
import { describe, expect, it } from 'vitest';
import {
  KERNELS_WASM_BASE64,
  KERNELS_WASM_RELAXED_BASE64,
} from '../../src-main/core/engine/backends/kernels/simd/kernels-wasm.js';
import { relaxedSimdAvailable } from '../../src-main/core/engine/backends/kernels/wasm-features.js';

/** The bits of the WebAssembly JS API used here (the project's TS libs do not declare it). */
const WA = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
interface WasmApi {
  readonly Memory: new (d: { initial: number }) => { readonly buffer: ArrayBuffer };
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (module: object, imports: object) => { readonly exports: object };
}

interface Gemm {
  gemm_rows(rows: number, m: number, b: number, n: number, k: number, c: number): void;
}

function runGemm(base64: string, m: number, n: number, k: number, seed: number) {
  const memory = new WA.Memory({ initial: 16 });
  const module = new WA.Module(Buffer.from(base64, 'base64'));
  const { gemm_rows } = new WA.Instance(module, { env: { memory } }).exports as unknown as Gemm;
  const f = new Float32Array(memory.buffer);
  const i32 = new Int32Array(memory.buffer);
  let s = seed;
  const rnd = (): number => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
  const [aAt, bAt, cAt, rowsAt] = [0, 64 * 1024, 128 * 1024, 192 * 1024]; // byte offsets
  for (let i = 0; i < m * k; i++) f[aAt / 4 + i] = rnd();
  for (let i = 0; i < k * n; i++) f[bAt / 4 + i] = rnd();
  for (let i = 0; i < m * n; i++) f[cAt / 4 + i] = rnd();
  for (let r = 0; r < m; r++) i32[rowsAt / 4 + r] = aAt + r * k * 4;
  const expected = new Float64Array(m * n);
  for (let r = 0; r < m; r++)
    for (let j = 0; j < n; j++) {
      let acc = f[cAt / 4 + r * n + j]!;
      for (let q = 0; q < k; q++) acc += f[aAt / 4 + r * k + q]! * f[bAt / 4 + q * n + j]!;
      expected[r * n + j] = acc;
    }
  gemm_rows(rowsAt, m, bAt, n, k, cAt);
  return { got: f.slice(cAt / 4, cAt / 4 + m * n), expected };
}

describe('SIMD module builds', () => {
  it('the plain build computes C += A·B (K over two 256-blocks)', () => {
    const { got, expected } = runGemm(KERNELS_WASM_BASE64, 8, 16, 300, 3);
    got.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 3));
  });

  it('relaxed SIMD is found here (Node 20 via the V8 flag) and its build agrees', () => {
    expect(relaxedSimdAvailable()).toBe(true);
    const { got, expected } = runGemm(KERNELS_WASM_RELAXED_BASE64, 12, 24, 257, 5);
    got.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 3));
    const plain = runGemm(KERNELS_WASM_BASE64, 12, 24, 257, 5).got;
    const worst = Math.max(...got.map((v, i) => Math.abs(v - plain[i]!)));
    expect(worst).toBeLessThan(1e-4);
  });
});
