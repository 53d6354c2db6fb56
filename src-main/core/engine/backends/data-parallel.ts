/**
 * Data-parallel gradients over worker threads: the second core for wasm training, where
 * `setThreadsCount` does nothing under Node.
 *
 * The training thread keeps the model, the optimizer and every decision; `threads − 1` helper
 * threads each hold a replica of the model. Per step the batch is cut into `threads` contiguous
 * parts; the helpers get the current weights and their part through SharedArrayBuffers (no
 * copies through postMessage), each side computes the gradients of the mean loss over its part,
 * and the parts' gradients are combined weighted by part size — the gradient of the mean over the
 * whole batch — in a fixed order, so a run is deterministic for a given thread count. The caller
 * applies the update as usual (checkpoints and resume are unchanged). Differences from one
 * thread: float summation order, and batch statistics (BatchNorm) come from each part, as with
 * PyTorch's DistributedDataParallel without SyncBatchNorm; the moving averages kept are the
 * training thread's.
 *
 * Usage (in the training thread):
 *   const dp = await DataParallel.start({ threads: 2, backend: 'wasm', local, replica: {
 *     module: new URL('./zoo-replica.js', import.meta.url).href, args } , maxBatch: 64 });
 *   const { grads, sums } = await dp.gradients(batch, [prng.seed(), prng.seed()]);
 *   optimizer.apply(grads, lr); tf.dispose(grads);
 *   ...
 *   await dp.close();
 */
import * as tf from '@tensorflow/tfjs-core';
import { Worker } from 'node:worker_threads';
import type { ConcreteBackend } from './packages.js';
import { CTRL, type HelperData, Command, type PartBatch, type Replica } from './replica.js';

export type { PartBatch, Replica, ReplicaSpec } from './replica.js';

/** How long a helper may take to start (load the backend, build its model). */
const START_TIMEOUT_MS = 120_000;

export interface DataParallelOptions {
  /** Threads in all, this one included (≥ 2 to start helpers). */
  readonly threads: number;
  readonly backend: ConcreteBackend;
  /** This thread's replica: its variables are the ones trained; their values go to the helpers. */
  readonly local: Replica;
  /** How helpers build theirs: a module exporting `createReplica(args)`, and its args. */
  readonly replica: { readonly module: string; readonly args: unknown };
  /** The largest batch `gradients` will be given. */
  readonly maxBatch: number;
  /**
   * Share of each batch this thread computes (default: an equal share). This thread also
   * combines the gradients and applies the update while helpers wait, so a slightly smaller
   * share evens the step out. Fixed, so a run stays deterministic.
   */
  readonly localShare?: number;
}

interface Helper {
  readonly worker: Worker;
  readonly ctrl: Int32Array;
  readonly x: Float32Array;
  readonly y: Float32Array;
  readonly grads: Float32Array;
  readonly sums: Float32Array;
  failure: Error | null;
}

/** Milliseconds spent in each part of `gradients` since start (the profile script reads them). */
export interface DataParallelTimings {
  publish: number;
  local: number;
  combineLocal: number;
  wait: number;
  combineHelpers: number;
  toTensors: number;
  steps: number;
}

export class DataParallel {
  private closed = false;
  /** Where `gradients` spends its time, summed over calls. */
  readonly timings: DataParallelTimings = {
    publish: 0,
    local: 0,
    combineLocal: 0,
    wait: 0,
    combineHelpers: 0,
    toTensors: 0,
    steps: 0,
  };

  private constructor(
    private readonly local: Replica,
    private readonly helpers: readonly Helper[],
    private readonly weights: Float32Array,
    private readonly sampleSize: number,
    private readonly localShare: number,
  ) {}

  get threads(): number {
    return this.helpers.length + 1;
  }

  static async start(opts: DataParallelOptions): Promise<DataParallel> {
    const { local } = opts;
    const sizes = local.vars.map((v) => v.size);
    const total = sizes.reduce((a, b) => a + b, 0);
    const sampleSize = local.inputShape.reduce((a, b) => a * b, 1);
    const weights = new Float32Array(new SharedArrayBuffer(total * 4));
    // Room for any split (localShare may leave a helper more than an equal share).
    const partMax = opts.maxBatch;
    const helpers: Helper[] = [];
    try {
      for (let i = 1; i < opts.threads; i++) {
        const buf = {
          ctrl: new SharedArrayBuffer(CTRL.length * 4),
          x: new SharedArrayBuffer(partMax * sampleSize * 4),
          y: new SharedArrayBuffer(partMax * 4),
          grads: new SharedArrayBuffer(total * 4),
          sums: new SharedArrayBuffer(8 * 4),
        };
        const data: HelperData = {
          backend: opts.backend,
          replica: opts.replica,
          varShapes: local.vars.map((v) => [...v.shape]),
          weights: weights.buffer as SharedArrayBuffer,
          ...buf,
        };
        const helper: Helper = {
          worker: spawnHelper(data),
          ctrl: new Int32Array(buf.ctrl),
          x: new Float32Array(buf.x),
          y: new Float32Array(buf.y),
          grads: new Float32Array(buf.grads),
          sums: new Float32Array(buf.sums),
          failure: null,
        };
        helpers.push(helper);
        helper.worker.on('error', (err) => (helper.failure ??= err));
        helper.worker.on('exit', (code) => {
          helper.failure ??= new Error(`data-parallel helper exited (code ${code})`);
          // Wake a pending wait so the failure is seen at once.
          Atomics.store(helper.ctrl, CTRL.done, -1);
          Atomics.notify(helper.ctrl, CTRL.done);
        });
      }
      await Promise.all(helpers.map(waitReady));
      for (const h of helpers) {
        h.worker.on('message', (m: { type: string; message?: string }) => {
          if (m.type === 'error') h.failure ??= new Error(`data-parallel helper: ${m.message}`);
        });
      }
    } catch (err) {
      await Promise.all(helpers.map((h) => h.worker.terminate()));
      throw err;
    }
    const share = opts.localShare ?? 1 / Math.max(1, opts.threads);
    return new DataParallel(local, helpers, weights, sampleSize, share);
  }

  /**
   * Gradients of the mean loss over `batch` (in `local.vars` order; the caller disposes them)
   * and the sum of every part's metric sums. `seeds` holds one seed per part (dropout masks).
   */
  async gradients(
    batch: PartBatch,
    seeds: readonly number[],
  ): Promise<{ grads: tf.Tensor[]; sums: Float32Array }> {
    if (this.closed) throw new Error('data-parallel workers are closed');
    const parts = splitBatch(batch.size, this.threads, this.localShare);
    const t = this.timings;
    let t0 = performance.now();
    this.publishWeights();
    let t1 = performance.now();
    t.publish += t1 - t0;
    // Hand each helper its part before computing ours, so all run at once.
    const pending: { helper: Helper; n: number; seq: number }[] = [];
    this.helpers.forEach((helper, i) => {
      const [start, n] = parts[i + 1] as [number, number];
      if (n === 0) return;
      helper.x.set(batch.x.subarray(start * this.sampleSize, (start + n) * this.sampleSize));
      helper.y.set(batch.y.subarray(start, start + n));
      const seq = Atomics.load(helper.ctrl, CTRL.request) + 1;
      Atomics.store(helper.ctrl, CTRL.size, n);
      Atomics.store(helper.ctrl, CTRL.seed, (seeds[i + 1] ?? 0) | 0);
      Atomics.store(helper.ctrl, CTRL.command, Command.step);
      Atomics.store(helper.ctrl, CTRL.request, seq);
      Atomics.notify(helper.ctrl, CTRL.request);
      pending.push({ helper, n, seq });
    });

    const [, n0] = parts[0] as [number, number];
    const mine = this.local.gradients(
      { x: batch.x.subarray(0, n0 * this.sampleSize), y: batch.y.subarray(0, n0), size: n0 },
      (seeds[0] ?? 0) | 0,
    );
    t0 = performance.now();
    t.local += t0 - t1;
    // Combine in JS, in a fixed order: (n0·g0 + n1·g1 + …) / n.
    const combined = mine.grads.map((g) => {
      const v = g.dataSync() as Float32Array;
      const out = new Float32Array(v.length);
      for (let i = 0; i < v.length; i++) out[i] = (v[i] as number) * n0;
      return out;
    });
    tf.dispose(mine.grads);
    const sums = Float32Array.from(mine.sums);
    t1 = performance.now();
    t.combineLocal += t1 - t0;

    for (const { helper, n, seq } of pending) {
      t0 = performance.now();
      await waitDone(helper, seq);
      t1 = performance.now();
      t.wait += t1 - t0;
      let off = 0;
      for (const out of combined) {
        for (let i = 0; i < out.length; i++) {
          out[i] = (out[i] as number) + (helper.grads[off + i] as number) * n;
        }
        off += out.length;
      }
      for (let i = 0; i < sums.length; i++) {
        sums[i] = (sums[i] as number) + (helper.sums[i] as number);
      }
      t.combineHelpers += performance.now() - t1;
    }
    t0 = performance.now();
    const inv = 1 / Math.max(1, batch.size);
    const grads = combined.map((out, i) => {
      for (let j = 0; j < out.length; j++) out[j] = (out[j] as number) * inv;
      return tf.tensor(out, this.local.vars[i]?.shape, 'float32');
    });
    t.toTensors += performance.now() - t0;
    t.steps++;
    return { grads, sums };
  }

  /** Stops the helpers (idempotent). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const h of this.helpers) {
      Atomics.store(h.ctrl, CTRL.command, Command.stop);
      Atomics.add(h.ctrl, CTRL.request, 1);
      Atomics.notify(h.ctrl, CTRL.request);
    }
    await Promise.all(
      this.helpers.map(
        (h) =>
          new Promise<void>((resolve) => {
            const timer = setTimeout(() => void h.worker.terminate().then(() => resolve()), 5000);
            h.worker.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
          }),
      ),
    );
  }

  private publishWeights(): void {
    let off = 0;
    for (const v of this.local.vars) {
      const values = v.dataSync() as Float32Array;
      this.weights.set(values, off);
      off += values.length;
    }
  }
}

/**
 * [start, count] per part, contiguous: part 0 (this thread) gets round(size · firstShare), the
 * rest is spread over the other parts, their sizes differing by at most one (larger first).
 */
export function splitBatch(
  size: number,
  parts: number,
  firstShare = 1 / parts,
): [number, number][] {
  const first = parts === 1 ? size : Math.min(size, Math.max(0, Math.round(size * firstShare)));
  const rest = size - first;
  const others = parts - 1;
  const out: [number, number][] = [[0, first]];
  let start = first;
  for (let i = 0; i < others; i++) {
    const n = Math.floor(rest / others) + (i < rest % others ? 1 : 0);
    out.push([start, n]);
    start += n;
  }
  return out;
}

function waitReady(h: Helper): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error('data-parallel helper did not start in time')),
      START_TIMEOUT_MS,
    );
    h.worker.once('message', (m: { type: string; message?: string }) => {
      clearTimeout(timer);
      if (m.type === 'ready') resolve();
      else reject(new Error(`data-parallel helper failed to start: ${m.message ?? m.type}`));
    });
    h.worker.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`data-parallel helper exited while starting (code ${code})`));
    });
  });
}

/** Atomics.waitAsync (Node ≥ 16; ES2024, newer than this project's lib setting). */
const waitAsync = (
  Atomics as unknown as {
    waitAsync(
      a: Int32Array,
      index: number,
      value: number,
      timeoutMs: number,
    ): { async: false; value: string } | { async: true; value: Promise<string> };
  }
).waitAsync.bind(Atomics);

async function waitDone(h: Helper, seq: number): Promise<void> {
  for (;;) {
    if (h.failure) throw h.failure;
    const done = Atomics.load(h.ctrl, CTRL.done);
    if (done === seq) break;
    if (done === -1) throw h.failure ?? new Error('data-parallel helper stopped');
    const r = waitAsync(h.ctrl, CTRL.done, done, 1000);
    if (r.async) await r.value;
  }
  if (Atomics.load(h.ctrl, CTRL.status) !== 0) {
    throw h.failure ?? new Error('data-parallel helper failed to compute its gradients');
  }
}

/**
 * The helper entry beside this file: `.js` from dist; from sources (vitest, tsx) a bootstrap
 * registers tsx inside the thread first (as the import worker does: Node 20 ignores
 * `--import tsx` in a Worker's execArgv).
 */
function spawnHelper(workerData: HelperData): Worker {
  if (!import.meta.url.endsWith('.ts')) {
    return new Worker(new URL('./data-parallel-worker.js', import.meta.url), { workerData });
  }
  const entry = new URL('./data-parallel-worker.ts', import.meta.url).href;
  let tsxApi = 'tsx/esm/api';
  try {
    tsxApi = import.meta.resolve('tsx/esm/api');
  } catch {
    /* the bare specifier then */
  }
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { eval: true, workerData });
}
