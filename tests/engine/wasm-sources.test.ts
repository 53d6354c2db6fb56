// The committed WebAssembly modules (base64 in the generated *-wasm.ts files) are what their .wat
// sources assemble to: each is assembled again here with build.mjs's own steps and Debian wabt's
// wat2wasm, and the bytes compared, so an edited .wat without a rebuild (or a hand-edited module)
// fails.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  assembleModules,
  MODULES,
  type AssembledModule,
} from '../../src-main/core/engine/backends/kernels/simd/build.mjs';
import { hasCommand, oracle } from '../helpers/oracle.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
// The project's TS libs do not declare the WebAssembly JS API: the one call used here.
const WA = (globalThis as unknown as { WebAssembly: { validate(b: Uint8Array): boolean } })
  .WebAssembly;
const wat2wasm = oracle('wat2wasm', 'apt-get install wabt', () =>
  hasCommand('wat2wasm', ['--version']) ? 'wat2wasm' : null,
);
let built: AssembledModule[] | undefined;
const assembled = (ts: string): AssembledModule => {
  wat2wasm.get();
  built ??= assembleModules();
  const m = built.find((b) => b.ts === ts);
  if (!m) throw new Error(`build.mjs did not assemble ${ts}`);
  return m;
};

describe('WebAssembly modules match their .wat sources', () => {
  it('lists every committed module', () => {
    expect(MODULES.map(([, ts]) => path.basename(ts))).toEqual(['kernels-wasm.ts', 'mlp-wasm.ts']);
  });

  for (const [wat, ts, stem] of MODULES) {
    it.skipIf(wat2wasm.skip)(
      `${path.basename(wat)} assembles to ${path.basename(ts)}`,
      async () => {
        const m = assembled(ts);
        const committed = (await import(path.join(ROOT, ts))) as Record<string, string>;
        const relaxed = Buffer.from(committed[`${stem}_RELAXED_BASE64`] ?? '', 'base64');
        const plain = Buffer.from(committed[`${stem}_BASE64`] ?? '', 'base64');
        expect(relaxed.length).toBeGreaterThan(8);
        expect(relaxed.equals(m.relaxed)).toBe(true);
        expect(plain.equals(m.plain)).toBe(true);
        // The plain twin is the one every runtime here must load.
        expect(WA.validate(new Uint8Array(plain))).toBe(true);
        expect(plain.equals(relaxed)).toBe(false);
        expect(readFileSync(path.join(ROOT, ts), 'utf8')).toBe(m.source);
      },
    );
  }
});
