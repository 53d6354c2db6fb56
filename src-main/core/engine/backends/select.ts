/**
 * Backend selection for training, inside the thread that trains. Best first for 'auto':
 * tfjs-node-gpu (CUDA) → tfjs-node (native CPU) → wasm with our kernels → plain JS cpu.
 * The two native packages are optional dependencies whose install downloads libtensorflow; where
 * that failed they are absent (or present without their binding) and are skipped.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendName } from '../../../../src-shared/contract/training.js';
import { registerWasmKernels } from './kernels/register.js';
import {
  BACKEND_PACKAGES,
  type ConcreteBackend,
  TF_BACKEND_NAME,
  resolvePackage,
  wasmBinaryDir,
} from './packages.js';

export interface SelectedBackend {
  readonly name: ConcreteBackend;
  /** 'cpu' or 'gpu:N'. */
  readonly device: string;
  /** Why better backends were passed over, for the run's log. */
  readonly skipped: readonly { name: ConcreteBackend; reason: string }[];
}

/** One load attempt per backend per thread: a package that failed to load fails again. */
const loads = new Map<ConcreteBackend, Promise<void>>();

async function loadPackage(name: ConcreteBackend): Promise<void> {
  const pkg = BACKEND_PACKAGES[name];
  if (name === 'cpu') {
    await import('@tensorflow/tfjs-backend-cpu');
    return;
  }
  if (name === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    wasm.setWasmPaths(wasmBinaryDir());
    registerWasmKernels();
    return;
  }
  if (!resolvePackage(pkg)) throw new Error(`${pkg} is not installed`);
  // Both native packages register their backend as 'tensorflow': one per thread.
  if (tf.findBackendFactory('tensorflow')) {
    throw new Error('the other native TensorFlow package is already loaded in this thread');
  }
  // A variable specifier: neither package is a build-time dependency.
  const spec: string = pkg;
  await import(spec);
  if (!tf.findBackendFactory('tensorflow')) throw new Error(`${pkg} did not register a backend`);
}

export function loadBackend(name: ConcreteBackend): Promise<void> {
  let p = loads.get(name);
  if (!p) {
    p = loadPackage(name);
    loads.set(name, p);
  }
  return p;
}

/** Makes `name` tfjs's active backend and checks that it computes; throws with the reason. */
export async function activateBackend(name: ConcreteBackend): Promise<void> {
  await loadBackend(name);
  const tfName = TF_BACKEND_NAME[name];
  const ok = await withoutProcessHooks(() => tf.setBackend(tfName));
  if (!ok) throw new Error(`backend ${name} failed to initialise`);
  const sum = tf.tidy(() => tf.add(tf.tensor1d([1, 2]), tf.tensor1d([3, 4])).dataSync());
  if (sum[0] !== 4 || sum[1] !== 6) throw new Error(`backend ${name} computes wrong results`);
}

const PROCESS_EVENTS = ['uncaughtException', 'unhandledRejection'] as const;

/**
 * Runs `f`, then removes process-wide error listeners it added. The wasm backend's Emscripten
 * glue installs handlers that rethrow every uncaught error from inside its one-line minified
 * module, so Node prints that whole module as the "source line" of any crash in the thread — and
 * turns unhandled rejections into exceptions. Node's defaults are better for us.
 */
type Listener = (...args: unknown[]) => void;
const listenersOf = (e: (typeof PROCESS_EVENTS)[number]): Listener[] =>
  process.listeners(e as 'uncaughtException') as unknown as Listener[];

async function withoutProcessHooks<T>(f: () => Promise<T>): Promise<T> {
  const before = new Map(PROCESS_EVENTS.map((e) => [e, new Set(listenersOf(e))]));
  try {
    return await f();
  } finally {
    for (const e of PROCESS_EVENTS) {
      for (const l of listenersOf(e)) {
        if (!before.get(e)?.has(l)) process.removeListener(e, l);
      }
    }
  }
}

/** The candidates, best first, for a requested backend and device. */
export function candidates(preferred: BackendName, device: string): ConcreteBackend[] {
  if (preferred !== 'auto') return [preferred];
  if (device.startsWith('gpu:')) return ['tensorflow-gpu'];
  const all: ConcreteBackend[] = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];
  return device === 'cpu' ? all.filter((b) => b !== 'tensorflow-gpu') : all;
}

/**
 * Activates the best available backend for `preferred` and `device` ('auto' | 'cpu' | 'gpu:N').
 * A named backend or a GPU device that cannot be had is an error (with the reason), never a silent
 * fallback: the user asked for it.
 */
export async function selectBackend(
  preferred: BackendName = 'auto',
  device = 'auto',
): Promise<SelectedBackend> {
  const skipped: { name: ConcreteBackend; reason: string }[] = [];
  for (const name of candidates(preferred, device)) {
    try {
      await activateBackend(name);
      return { name, device: name === 'tensorflow-gpu' ? gpuDevice(device) : 'cpu', skipped };
    } catch (err) {
      skipped.push({ name, reason: (err as Error).message });
    }
  }
  const why = skipped.map((s) => `${s.name}: ${s.reason}`).join('; ');
  throw new Error(`no usable backend for backend=${preferred} device=${device} (${why})`);
}

function gpuDevice(device: string): string {
  return device.startsWith('gpu:') ? device : 'gpu:0';
}
