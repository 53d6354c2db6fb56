/**
 * The one-kernel optimizer updates on wasm (AssayAdam, AssaySgd): over several steps, shapes whose
 * sizes are and are not multiples of 4, and changing learning rates, they give the same weights
 * and slots as the tf-op formula (on wasm: the same bits; on cpu: within float tolerance), with
 * and without our SIMD module, and an optimizer restored from getState continues exactly.
 */
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { registerWasmKernels, wasmBinaryDir } from '../../src-main/core/engine/backends/index.js';
import { kernelTuning } from '../../src-main/core/engine/backends/kernels/tuning.js';
import { Optimizer } from '../../src-main/core/engine/trainer/optimizers.js';
import { values } from './kernel-fixtures.js';

const SHAPES = [[3, 3, 1, 8], [10], [7], [5, 3], [1], [33, 17], [2, 2]];

interface Run {
  readonly weights: Float32Array[];
  readonly slots: Float32Array[];
  readonly kernels: Set<string>;
}

type Kind = { name: 'adam'; momentum: 0 } | { name: 'sgd'; momentum: number };
const KINDS: Kind[] = [
  { name: 'adam', momentum: 0 },
  { name: 'sgd', momentum: 0 },
  { name: 'sgd', momentum: 0.9 },
];

/** `steps` updates from fixed weights and gradients (some zero, some tiny), on `backend`. */
async function train(
  backend: 'wasm' | 'cpu',
  kind: Kind,
  fused: boolean,
  steps: number,
  resumeAt = -1,
): Promise<Run> {
  await tf.setBackend(backend);
  const vars = SHAPES.map((s, i) =>
    tf.variable(
      tf.tensor(
        values(
          s.reduce((a, b) => a * b, 1),
          100 + i,
        ),
        s,
      ),
    ),
  );
  let opt = new Optimizer(kind.name, kind.momentum, vars, fused);
  const kernels = new Set<string>();
  for (let step = 0; step < steps; step++) {
    if (step === resumeAt) {
      const state = opt.getState();
      opt.dispose();
      opt = new Optimizer(kind.name, kind.momentum, vars, fused);
      opt.setState({ ...state, slots: state.slots.map((s) => Float32Array.from(s)) });
    }
    const grads = SHAPES.map((s, i) => {
      const g = values(
        s.reduce((a, b) => a * b, 1),
        7 * step + i + 1,
        step === 2 ? 1e-6 : 0.1,
      );
      if (step === 1) g[0] = 0;
      return tf.tensor(g, s);
    });
    const lr = 0.01 / (1 + step);
    const info = await tf.profile(() => tf.tidy(() => opt.apply(grads, lr)));
    for (const k of info.kernels) kernels.add(k.name);
    tf.dispose(grads);
  }
  const run: Run = {
    weights: vars.map((v) => Float32Array.from(v.dataSync() as Float32Array)),
    slots: opt.getState().slots.map((s) => Float32Array.from(s)),
    kernels,
  };
  opt.dispose();
  tf.dispose(vars);
  return run;
}

function close(a: Float32Array[], b: Float32Array[], tol: number): void {
  expect(a.length).toBe(b.length);
  a.forEach((x, i) => {
    const y = b[i] as Float32Array;
    expect(x.length).toBe(y.length);
    for (let j = 0; j < x.length; j++) {
      const d = Math.abs((x[j] as number) - (y[j] as number));
      expect(d).toBeLessThanOrEqual(tol * Math.max(1e-3, Math.abs(y[j] as number)));
    }
  });
}

beforeAll(async () => {
  setWasmPaths(wasmBinaryDir());
  tf.env().set('PROD', true);
  registerWasmKernels();
  expect(await tf.setBackend('wasm')).toBe(true);
});

afterEach(() => {
  kernelTuning.simd = true;
});

describe.each(KINDS)('$name (momentum $momentum): one kernel per variable', (kind) => {
  const kernel = kind.name === 'adam' ? 'AssayAdam' : 'AssaySgd';

  it('equals the tf-op formula on wasm bit for bit, SIMD module or not', async () => {
    const ops = await train('wasm', kind, false, 6);
    expect(ops.kernels.has(kernel)).toBe(false);
    const fused = await train('wasm', kind, true, 6);
    expect(fused.kernels.has(kernel)).toBe(true);
    expect([...fused.kernels].filter((k) => k !== kernel)).toEqual([]);
    expect(fused.weights).toEqual(ops.weights);
    expect(fused.slots).toEqual(ops.slots);
    kernelTuning.simd = false;
    const scalar = await train('wasm', kind, true, 6);
    expect(scalar.kernels.has(kernel)).toBe(true);
    expect(scalar.weights).toEqual(ops.weights);
    expect(scalar.slots).toEqual(ops.slots);
  });

  it('is close to the tf-op formula on cpu', async () => {
    const cpu = await train('cpu', kind, true, 6);
    expect(cpu.kernels.has(kernel)).toBe(false);
    const fused = await train('wasm', kind, true, 6);
    close(fused.weights, cpu.weights, 1e-5);
    close(fused.slots, cpu.slots, 1e-5);
  });

  it('continues exactly after getState/setState', async () => {
    const straight = await train('wasm', kind, true, 6);
    const resumed = await train('wasm', kind, true, 6, 3);
    expect(resumed.weights).toEqual(straight.weights);
    expect(resumed.slots).toEqual(straight.slots);
  });
});
