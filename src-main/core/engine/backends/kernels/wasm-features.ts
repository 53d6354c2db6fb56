/**
 * Relaxed SIMD (WebAssembly's fused multiply-add, `f32x4.relaxed_madd`) where the runtime has it.
 * V8 ships it from 11.4 (Electron ≥ 25, Node ≥ 22); Node 20's V8 has it behind
 * `--experimental-wasm-relaxed-simd`, which is set here (V8 reads wasm feature flags when a module
 * is validated, so setting it at run time works, and it is process-wide: worker threads see it).
 * With FMA a multiply-add is one instruction instead of two, which is what our GEMM loops are made
 * of. `ASSAY_WASM_RELAXED_SIMD=0` turns it off (the plain-SIMD twin of every module is used).
 */
import v8 from 'node:v8';

/** A module of one function using `f32x4.relaxed_madd` (wat2wasm --enable-relaxed-simd). */
const PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x01, 0x60, 0x03, 0x7b, 0x7b, 0x7b,
  0x01, 0x7b, 0x03, 0x02, 0x01, 0x00, 0x0a, 0x0d, 0x01, 0x0b, 0x00, 0x20, 0x00, 0x20, 0x01, 0x20,
  0x02, 0xfd, 0x85, 0x02, 0x0b,
]);

interface WasmValidate {
  validate(bytes: Uint8Array): boolean;
}
const WA = (globalThis as unknown as { WebAssembly: WasmValidate }).WebAssembly;

let relaxed: boolean | undefined;

/** Whether modules using relaxed SIMD can be compiled here (enabling it first where needed). */
export function relaxedSimdAvailable(): boolean {
  if (relaxed !== undefined) return relaxed;
  if (process.env['ASSAY_WASM_RELAXED_SIMD'] === '0') return (relaxed = false);
  try {
    if (!WA.validate(PROBE)) v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
    relaxed = WA.validate(PROBE);
  } catch {
    relaxed = false;
  }
  return relaxed;
}
