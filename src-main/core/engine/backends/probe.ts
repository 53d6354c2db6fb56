/**
 * Which training backends really work on this machine: each is loaded and made to compute in a
 * short-lived worker thread (a native package can be installed yet fail to load its binding, or
 * load and fail to initialise), so the calling process never loads libtensorflow itself. Results
 * are cached for the life of the process; `refresh` probes again.
 */
import { Worker } from 'node:worker_threads';
import {
  BACKEND_PACKAGES,
  type ConcreteBackend,
  TF_BACKEND_NAME,
  resolvePackage,
  wasmBinaryDir,
} from './packages.js';

export interface BackendAvailability {
  readonly name: ConcreteBackend;
  readonly package: string;
  readonly available: boolean;
  /** Why not, when not available. */
  readonly reason: string | null;
}

const ORDER: readonly ConcreteBackend[] = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];
const PROBE_TIMEOUT_MS = 60_000;

/** Plain CommonJS, evaluated in the worker: tfjs ships CommonJS builds for Node. */
const PROBE_SOURCE = `
const { parentPort, workerData: d } = require('node:worker_threads');
(async () => {
  try {
    const tf = require(d.core);
    if (d.name === 'wasm') require(d.entry).setWasmPaths(d.wasmDir);
    else require(d.entry);
    tf.env().set('PROD', true);
    if (!(await tf.setBackend(d.tfName))) throw new Error('the backend failed to initialise');
    const y = tf.add(tf.tensor1d([1, 2]), tf.tensor1d([3, 4])).dataSync();
    if (y[0] !== 4 || y[1] !== 6) throw new Error('the backend computes wrong results');
    parentPort.postMessage({ ok: true });
  } catch (e) {
    parentPort.postMessage({ ok: false, reason: String((e && e.message) || e).split('\\n')[0] });
  }
})();
`;

function probeInWorker(name: ConcreteBackend): Promise<string | null> {
  const pkg = BACKEND_PACKAGES[name];
  const entry = resolvePackage(pkg);
  if (!entry) return Promise.resolve(`${pkg} is not installed`);
  const core = resolvePackage('@tensorflow/tfjs-core');
  if (!core) return Promise.resolve('@tensorflow/tfjs-core is not installed');
  return new Promise((resolve) => {
    let settled = false;
    const finish = (reason: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(reason);
    };
    const worker = new Worker(PROBE_SOURCE, {
      eval: true,
      workerData: {
        name,
        entry,
        core,
        tfName: TF_BACKEND_NAME[name],
        wasmDir: name === 'wasm' ? wasmBinaryDir() : null,
      },
      stdout: true,
      stderr: true,
    });
    const timer = setTimeout(() => finish(`loading ${pkg} timed out`), PROBE_TIMEOUT_MS);
    worker.on('message', (m: { ok: boolean; reason?: string }) =>
      finish(m.ok ? null : `${pkg} failed to load: ${m.reason ?? 'unknown error'}`),
    );
    worker.on('error', (err) => finish(`${pkg} failed to load: ${err.message}`));
    worker.on('exit', (code) => finish(`${pkg} crashed its probe (exit code ${code})`));
  });
}

let cached: Promise<BackendAvailability[]> | null = null;

/** Every training backend, best first, with whether it works here and why not. */
export function availableBackends(refresh = false): Promise<BackendAvailability[]> {
  if (!cached || refresh) {
    // One at a time: two native probes at once would load libtensorflow twice.
    cached = (async () => {
      const out: BackendAvailability[] = [];
      for (const name of ORDER) {
        const reason = await probeInWorker(name);
        out.push({ name, package: BACKEND_PACKAGES[name], available: reason === null, reason });
      }
      return out;
    })();
  }
  return cached;
}
