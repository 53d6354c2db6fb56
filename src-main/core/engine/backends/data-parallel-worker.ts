/**
 * A data-parallel helper thread: builds its replica, then serves gradient requests from the
 * training thread through shared memory until told to stop (see data-parallel.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import { parentPort, workerData } from 'node:worker_threads';
import { CTRL, Command, type HelperData, type Replica } from './replica.js';
import { selectBackend } from './select.js';

async function main(): Promise<void> {
  const data = workerData as HelperData;
  await selectBackend(data.backend, 'cpu');
  tf.env().set('PROD', true);
  const mod = (await import(data.replica.module)) as {
    createReplica(args: unknown): Promise<Replica> | Replica;
  };
  const replica = await mod.createReplica(data.replica.args);
  const shapes = replica.vars.map((v) => v.shape.join('x')).join(',');
  const expected = data.varShapes.map((s) => s.join('x')).join(',');
  if (shapes !== expected) {
    throw new Error(`replica variables ${shapes} differ from the trainer's ${expected}`);
  }
  const ctrl = new Int32Array(data.ctrl);
  const weights = new Float32Array(data.weights);
  const x = new Float32Array(data.x);
  const y = new Float32Array(data.y);
  const grads = new Float32Array(data.grads);
  const sums = new Float32Array(data.sums);
  const sampleSize = replica.inputShape.reduce((a, b) => a * b, 1);
  // The last request handled. Read before saying ready: the first request may be posted (and the
  // counter bumped) before this thread runs another line after postMessage.
  let seen = Atomics.load(ctrl, CTRL.request);
  parentPort?.postMessage({ type: 'ready' });
  for (;;) {
    Atomics.wait(ctrl, CTRL.request, seen);
    seen = Atomics.load(ctrl, CTRL.request);
    if (Atomics.load(ctrl, CTRL.command) === Command.stop) break;
    try {
      const n = Atomics.load(ctrl, CTRL.size);
      let off = 0;
      for (const v of replica.vars) {
        tf.tidy(() => v.assign(tf.tensor(weights.subarray(off, off + v.size), v.shape, 'float32')));
        off += v.size;
      }
      const r = replica.gradients(
        { x: x.subarray(0, n * sampleSize), y: y.subarray(0, n), size: n },
        Atomics.load(ctrl, CTRL.seed),
      );
      off = 0;
      for (const g of r.grads) {
        const v = g.dataSync() as Float32Array;
        grads.set(v, off);
        off += v.length;
      }
      tf.dispose(r.grads);
      sums.fill(0);
      sums.set(r.sums.subarray(0, sums.length));
      Atomics.store(ctrl, CTRL.status, 0);
    } catch (err) {
      Atomics.store(ctrl, CTRL.status, 1);
      parentPort?.postMessage({ type: 'error', message: (err as Error).message });
    }
    Atomics.store(ctrl, CTRL.done, seen);
    Atomics.notify(ctrl, CTRL.done);
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    parentPort?.postMessage({ type: 'error', message: (err as Error).message ?? String(err) });
    process.exit(1);
  },
);
