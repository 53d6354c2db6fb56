/**
 * The fused MLP step (trainer/fused-mlp) against the tfjs step it replaces (step.ts `trainStep`
 * with our Optimizer), on the same initial weights and batches: metric sums, gradients, optimizer
 * slots and updated weights, for several layer shapes (odd batch, feature and unit counts) and
 * both builds of the SIMD module; then whole runs: deterministic, close to a tfjs run, and
 * stopped/resumed bit for bit.
 */
import * as tf from '@tensorflow/tfjs-core';
import { mkdir, rm } from 'node:fs/promises';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src-main/core/engine/backends/index.js';
import { resolveExperimentConfig } from '../../src-main/core/engine/config.js';
import type { Batch } from '../../src-main/core/engine/data/batches.js';
import { Prng } from '../../src-main/core/engine/data/prng.js';
import { FusedMlp } from '../../src-main/core/engine/trainer/fused-mlp/fused-mlp.js';
import {
  FusedLink,
  fusedMlpShape,
  fusedMlpTuning,
} from '../../src-main/core/engine/trainer/fused-mlp/fused-mlp-stepper.js';
import { Optimizer } from '../../src-main/core/engine/trainer/optimizers.js';
import {
  evaluate,
  gradients,
  type StepModel,
  trainStep,
} from '../../src-main/core/engine/trainer/step.js';
import { createStepper } from '../../src-main/core/engine/trainer/stepper.js';
import { buildModel } from '../../src-main/core/engine/zoo/index.js';
import type { TrainerEvent, TrainJob } from '../../src-main/core/engine/trainer/training-runner.js';
import { linearTable, tempDir } from './trainer-fixtures.js';
import {
  checkpointFile,
  checkpointState,
  epochs,
  learned,
  makeJob,
  runInline,
  started,
  terminal,
} from './trainer-harness.js';

let dir: string;
beforeAll(async () => {
  await selectBackend('wasm', 'cpu');
  dir = await tempDir('fused-mlp');
});
afterAll(async () => {
  fusedMlpTuning.enabled = true;
  await rm(dir, { recursive: true, force: true });
});

type Opt = { name: 'adam' } | { name: 'sgd'; momentum: number };

function stepModel(features: number, hidden: number[], opt: Opt, o: { dropout?: number } = {}) {
  const resolved = resolveExperimentConfig('regression', {
    hidden_layers: hidden.length > 0 ? hidden : [1],
    dropout: o.dropout ?? 0,
    seed: 5,
    optimizer:
      opt.name === 'adam'
        ? { name: 'adam', learning_rate: 0.01 }
        : { name: 'sgd', learning_rate: 0.01, momentum: opt.momentum },
  });
  // The config refuses no hidden layer; the zoo builds it (a linear model).
  const config = { ...resolved, hidden_layers: hidden };
  const model = buildModel(config, { inputShape: [features], outputs: 1 });
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const s: StepModel = {
    model,
    vars,
    inputShape: [features],
    head: 'regression',
    numClasses: 0,
    classWeights: null,
  };
  return { s, config, optimizer: Optimizer.fromConfig(config, vars) };
}

function batchOf(size: number, features: number, prng: Prng): Batch {
  return {
    x: Float32Array.from({ length: size * features }, () => prng.normal()),
    y: Float32Array.from({ length: size }, () => prng.normal()),
    size,
  };
}

/** max |a − b| / max(max |b|, 1e-3) */
function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let diff = 0;
  let scale = 1e-3;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs((a[i] as number) - (b[i] as number)));
    scale = Math.max(scale, Math.abs(b[i] as number));
  }
  return diff / scale;
}

const CASES: [string, number, number[], number[]][] = [
  ['the benchmark’s [5 → 64 → 32 → 1], batch 200 then 100', 5, [64, 32], [200, 100]],
  ['3 features, one hidden layer of 7, batches of 13 and 1', 3, [7], [13, 1]],
  ['13 features, [10, 9, 3], batch 30', 13, [10, 9, 3], [30, 30]],
  ['no hidden layer (linear regression), batch 6', 2, [], [6, 6]],
];

describe.each([true, false])(
  'fused step equals the tfjs step (relaxed SIMD build: %s)',
  (relaxed) => {
    it.each(CASES)('%s', (_name, features, hidden, sizes) => {
      const prng = Prng.fromSeed(9);
      const batches = sizes.map((n) => batchOf(n, features, prng));
      const tfjs = stepModel(features, hidden, { name: 'adam' });
      const fused = stepModel(features, hidden, { name: 'adam' });
      const fit = fusedMlpShape(fused.s);
      if ('reason' in fit) throw new Error(fit.reason);
      expect(fit.shape).toEqual({ features, units: [...hidden, 1] });
      const net = FusedMlp.create(fit.shape, { name: 'adam' }, 200, relaxed);
      if (!net) throw new Error('no wasm SIMD');
      const link = new FusedLink(net, fused.s.vars, fused.optimizer, fit.places);
      link.load();

      // Gradients of the first batch, before any update.
      const first = batches[0] as Batch;
      const g = gradients(tfjs.s, first, prng);
      const sums = net.trainStep(first, 0.01);
      expect(relErr(sums, g.sums)).toBeLessThan(1e-5);
      g.grads.forEach((t, i) => {
        const p = fit.places[i]!;
        expect(relErr(net.read(p.layer, p.part, 'grads'), t.dataSync())).toBeLessThan(1e-5);
      });
      tf.tidy(() => tfjs.optimizer.apply(g.grads, 0.01));
      tf.dispose(g.grads);

      // Then the other batches, through trainStep.
      for (const b of batches.slice(1)) {
        const want = trainStep(tfjs.s, tfjs.optimizer, b, 0.01, prng);
        expect(relErr(net.trainStep(b, 0.01), want)).toBeLessThan(1e-5);
      }
      link.store();
      tfjs.s.vars.forEach((v, i) => {
        expect(relErr(fused.s.vars[i]!.dataSync(), v.dataSync())).toBeLessThan(1e-4);
      });
      const [a, b] = [fused.optimizer.getState(), tfjs.optimizer.getState()];
      expect(a.step).toBe(sizes.length);
      expect(b.step).toBe(sizes.length);
      a.slots.forEach((slot, i) => expect(relErr(slot, b.slots[i]!)).toBeLessThan(1e-4));

      // Inference sums over a dataset, as step.ts evaluate (in batches of 4 here).
      const ds = { x: first.x, y: first.y, n: first.size, sampleSize: features };
      const norm = { mean: 0.1, std: 1.5 };
      expect(relErr(net.evaluate(ds, 4, norm), evaluate(tfjs.s, ds, 4, norm))).toBeLessThan(1e-4);
      for (const m of [tfjs, fused]) {
        m.s.model.dispose();
        m.optimizer.dispose();
      }
    });
  },
);

describe('fused SGD equals optimizers.ts SGD', () => {
  it.each([0, 0.9])('momentum %s', (momentum) => {
    const prng = Prng.fromSeed(2);
    const opt = { name: 'sgd', momentum } as const;
    const tfjs = stepModel(6, [12, 5], opt);
    const fused = stepModel(6, [12, 5], opt);
    const fit = fusedMlpShape(fused.s);
    if ('reason' in fit) throw new Error(fit.reason);
    const net = FusedMlp.create(fit.shape, opt, 32)!;
    const link = new FusedLink(net, fused.s.vars, fused.optimizer, fit.places);
    link.load();
    for (let i = 0; i < 4; i++) {
      const b = batchOf(i === 3 ? 17 : 32, 6, prng);
      const want = trainStep(tfjs.s, tfjs.optimizer, b, 0.05, prng);
      expect(relErr(net.trainStep(b, 0.05), want)).toBeLessThan(1e-5);
    }
    link.store();
    tfjs.s.vars.forEach((v, i) => {
      expect(relErr(fused.s.vars[i]!.dataSync(), v.dataSync())).toBeLessThan(1e-5);
    });
    const [a, b] = [fused.optimizer.getState(), tfjs.optimizer.getState()];
    expect(a.slots).toHaveLength(momentum > 0 ? 6 : 0);
    a.slots.forEach((slot, i) => expect(relErr(slot, b.slots[i]!)).toBeLessThan(1e-5));
  });
});

describe('which models are fused', () => {
  const stepperFor = async (dropout: number) => {
    const { s, config, optimizer } = stepModel(4, [8], { name: 'adam' }, { dropout });
    const logs: string[] = [];
    const stepper = await createStepper({
      step: s,
      optimizer,
      config,
      target: { inputShape: [4], outputs: 1 },
      classWeights: null,
      backend: 'wasm',
      maxBatch: 16,
      log: (_l, m) => logs.push(m),
    });
    await stepper.close();
    s.model.dispose();
    optimizer.dispose();
    return { stepper, logs };
  };

  it('the zoo mlp without dropout on one thread: fused (it syncs and evaluates itself)', async () => {
    const { stepper, logs } = await stepperFor(0);
    expect(stepper.sync).toBeTypeOf('function');
    expect(stepper.evaluate).toBeTypeOf('function');
    expect(logs).toEqual(['training step: fused MLP (WebAssembly SIMD)']);
  });

  it('dropout > 0: the tfjs step, with the reason logged', async () => {
    const { stepper, logs } = await stepperFor(0.2);
    expect(stepper.sync).toBeUndefined();
    expect(stepper.evaluate).toBeUndefined();
    expect(logs).toEqual(['fused MLP step not used: Dropout layer dropout1']);
  });
});

describe('fused training runs', () => {
  let table: string;
  beforeAll(async () => {
    await mkdir(path.join(dir, 'table'), { recursive: true });
    table = await linearTable(path.join(dir, 'table'), 300, 4);
  });
  const job = (name: string): TrainJob =>
    makeJob(
      path.join(dir, name),
      'regression',
      {
        kind: 'table',
        tables: [table],
        targetColumn: null,
        ratios: { train: 0.7, val: 0.15, test: 0.15 },
        seed: 1,
      },
      // 210 training rows: 6 batches of 32 and one of 18 per epoch.
      { hidden_layers: [16, 8], epochs: 4, batch_size: 32, optimizer: { learning_rate: 0.01 } },
    );

  it('is deterministic and learns what the tfjs step learns', async () => {
    const [a, b] = [job('a'), job('b')];
    const ea = await runInline(a);
    expect(terminal(ea)).toMatchObject({ type: 'completed' });
    await runInline(b);
    const wa = await checkpointFile(a, 'last', 'weights.bin');
    expect(wa.equals(await checkpointFile(b, 'last', 'weights.bin'))).toBe(true);

    fusedMlpTuning.enabled = false;
    let et;
    try {
      et = await runInline(job('tfjs'));
    } finally {
      fusedMlpTuning.enabled = true;
    }
    const fusedLog = (events: TrainerEvent[]) =>
      events.some((e) => e.type === 'log' && /fused MLP \(WebAssembly SIMD\)/.test(e.message));
    expect(fusedLog(ea)).toBe(true);
    expect(fusedLog(et)).toBe(false);
    const [fm, tm] = [epochs(ea), epochs(et)];
    expect(fm).toHaveLength(4);
    fm.forEach((m, i) => {
      for (const k of ['loss', 'mae', 'val_loss', 'val_mae'] as const) {
        expect(Math.abs((m[k] as number) - (tm[i]![k] as number))).toBeLessThan(
          1e-3 * Math.max(1, Math.abs(tm[i]![k] as number)),
        );
      }
    });
    expect(fm.at(-1)?.val_mse).toBeLessThan(fm[0]?.val_mse as number);
  });

  it('4 epochs straight = stopped after 2 epochs + resumed = stopped mid-epoch 3 + resumed (bit for bit)', async () => {
    const straight = job('straight');
    const full = await runInline(straight);
    expect(terminal(full)?.type).toBe('completed');

    const split = job('split');
    expect(terminal(await runInline(split, { stopAfter: { epochs: 2, batches: 0 } }))).toEqual({
      type: 'stopped',
    });
    const second = await runInline({ ...split, resume: true });
    expect(started(second)).toMatchObject({ resumedFromEpoch: 2 });
    expect(epochs(second).map((m) => m.epoch)).toEqual([3, 4]);

    const mid = job('mid');
    await runInline(mid, { stopAfter: { epochs: 2, batches: 3 } });
    expect((await checkpointState(mid)).partial).toMatchObject({ epoch: 2, batch: 3 });
    const rest = await runInline({ ...mid, resume: true });
    expect(epochs(rest).map((m) => m.epoch)).toEqual([3, 4]);

    for (const j of [split, mid]) {
      for (const file of ['weights.bin', 'optimizer.bin']) {
        expect(
          (await checkpointFile(j, 'last', file)).equals(
            await checkpointFile(straight, 'last', file),
          ),
        ).toBe(true);
      }
      expect((await checkpointState(j)).history.map(learned)).toEqual(
        (await checkpointState(straight)).history.map(learned),
      );
    }
    expect(epochs(rest).map(learned)).toEqual(epochs(full).slice(2).map(learned));
  });
});
