import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DataParallel,
  selectBackend,
  splitBatch,
} from '../../src-main/core/engine/backends/index.js';
import {
  createReplica,
  type ZooReplicaArgs,
} from '../../src-main/core/engine/backends/zoo-replica.js';
import { resolveExperimentConfig } from '../../src-main/core/engine/config.js';

const REPLICA = new URL('../../src-main/core/engine/backends/zoo-replica.ts', import.meta.url).href;

function args(seed: number, dropout = 0): ZooReplicaArgs {
  return {
    config: resolveExperimentConfig('classification', {
      architecture: 'small-cnn',
      input: { width: 12, height: 12, channels: 1 },
      dropout,
      seed,
    }),
    target: { inputShape: [12, 12, 1], numClasses: 3 },
    classWeights: [1, 2, 0.5],
  };
}

function batch(n: number) {
  let s = 7;
  const rand = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
  return {
    x: Float32Array.from({ length: n * 144 }, rand),
    y: Float32Array.from({ length: n }, (_, i) => i % 3),
    size: n,
  };
}

function relErr(a: tf.Tensor, b: tf.Tensor): number {
  const x = a.dataSync();
  const y = b.dataSync();
  let d = 0;
  let m = 0;
  for (let i = 0; i < x.length; i++) {
    d = Math.max(d, Math.abs((x[i] as number) - (y[i] as number)));
    m = Math.max(m, Math.abs(y[i] as number));
  }
  return d / Math.max(m, 1e-12);
}

let dp: DataParallel | null = null;
let local: ReturnType<typeof createReplica> | null = null;

beforeAll(async () => {
  await selectBackend('wasm', 'cpu');
});

afterAll(async () => {
  await dp?.close();
});

describe('data-parallel gradients', () => {
  it('two threads give the gradients and metric sums of the whole batch', async () => {
    const mine = createReplica(args(3));
    local = mine;
    dp = await DataParallel.start({
      threads: 2,
      backend: 'wasm',
      local: mine,
      replica: { module: REPLICA, args: args(3) },
      maxBatch: 16,
    });
    expect(dp.threads).toBe(2);
    for (const n of [16, 9, 1]) {
      const b = batch(n);
      const split = await dp.gradients(b, [11, 12]);
      const whole = mine.gradients(b, 11);
      expect(split.grads.length).toBe(mine.vars.length);
      split.grads.forEach((g, i) => {
        expect(g.shape).toEqual(mine.vars[i]?.shape);
        expect(relErr(g, whole.grads[i] as tf.Tensor)).toBeLessThan(1e-5);
      });
      expect(split.sums[0]).toBeCloseTo(whole.sums[0] as number, 3);
      expect(split.sums[1]).toBe(whole.sums[1]);
      tf.dispose([...split.grads, ...whole.grads]);
    }
  });

  it('helpers follow the trainer’s weights after every update', async () => {
    if (!dp || !local) throw new Error('needs the first test');
    const b = batch(16);
    // Change the trainer's weights: the helper computes its part with the new ones.
    local.vars.forEach((v) => tf.tidy(() => v.assign(tf.mul(v, 0.5))));
    const split = await dp.gradients(b, [1, 2]);
    const whole = local.gradients(b, 1);
    split.grads.forEach((g, i) =>
      expect(relErr(g, whole.grads[i] as tf.Tensor)).toBeLessThan(1e-5),
    );
    tf.dispose([...split.grads, ...whole.grads]);
  });

  it('close stops the helpers; a closed pool refuses work', async () => {
    if (!dp) throw new Error('needs the first test');
    await dp.close();
    await dp.close();
    await expect(dp.gradients(batch(4), [1, 2])).rejects.toThrow(/closed/);
    dp = null;
  });

  it('a helper that cannot build its replica fails start with the reason', async () => {
    const local = createReplica(args(3));
    const bad = { ...args(3), target: { inputShape: [144], numClasses: 3 } };
    await expect(
      DataParallel.start({
        threads: 2,
        backend: 'wasm',
        local,
        replica: { module: REPLICA, args: bad },
        maxBatch: 8,
      }),
    ).rejects.toThrow(/failed to start/);
  });

  it('splits batches into contiguous parts', () => {
    expect(splitBatch(10, 2)).toEqual([
      [0, 5],
      [5, 5],
    ]);
    expect(splitBatch(7, 3)).toEqual([
      [0, 2],
      [2, 3],
      [5, 2],
    ]);
    // A smaller share for the training thread, which also applies the update.
    expect(splitBatch(64, 2, 0.4)).toEqual([
      [0, 26],
      [26, 38],
    ]);
    expect(splitBatch(1, 2)).toEqual([
      [0, 1],
      [1, 0],
    ]);
  });
});
