/**
 * Where the TensorFlow.js packages are, resolved the way Node resolves them from this file, and
 * the folder of the wasm binaries. In a packaged Electron app node_modules lives inside app.asar;
 * electron-builder.yml unpacks tfjs-backend-wasm (asarUnpack) because a worker thread reads the
 * .wasm files with plain fs, so the path is rewritten to app.asar.unpacked when that exists.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';

export type ConcreteBackend = 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';

/** The npm package that provides each backend. */
export const BACKEND_PACKAGES: Readonly<Record<ConcreteBackend, string>> = {
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu',
  tensorflow: '@tensorflow/tfjs-node',
  wasm: '@tensorflow/tfjs-backend-wasm',
  cpu: '@tensorflow/tfjs-backend-cpu',
};

/** The name each package registers its backend under in tfjs-core (both native ones: 'tensorflow'). */
export const TF_BACKEND_NAME: Readonly<Record<ConcreteBackend, string>> = {
  'tensorflow-gpu': 'tensorflow',
  tensorflow: 'tensorflow',
  wasm: 'wasm',
  cpu: 'cpu',
};

const require = createRequire(import.meta.url);

/** The entry file of an installed package, or null when it is not installed. */
export function resolvePackage(pkg: string): string | null {
  try {
    return require.resolve(pkg);
  } catch {
    return null;
  }
}

/** Rewrites a path inside app.asar to app.asar.unpacked when the unpacked copy exists. */
export function unpackedPath(p: string, exists: (p: string) => boolean = existsSync): string {
  const marker = `app.asar${path.sep}`;
  const i = p.lastIndexOf(marker);
  if (i < 0) return p;
  const unpacked = `${p.slice(0, i)}app.asar.unpacked${path.sep}${p.slice(i + marker.length)}`;
  return exists(unpacked) ? unpacked : p;
}

/** The folder holding tfjs-backend-wasm's .wasm files, with a trailing separator (setWasmPaths wants a prefix). */
export function wasmBinaryDir(): string {
  const pkgJson = require.resolve('@tensorflow/tfjs-backend-wasm/package.json');
  return unpackedPath(path.join(path.dirname(pkgJson), 'dist')) + path.sep;
}
