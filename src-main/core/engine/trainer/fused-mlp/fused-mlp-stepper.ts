/**
 * The Stepper for the zoo's `mlp` regressor on one thread: tfjs spends ~1.3 ms per step of a
 * [5 → 64 → 32 → 1] MLP dispatching some 60 kernels (the arithmetic is ~3 MFLOP); FusedMlp does
 * the whole step in a dozen calls into our own SIMD module. The tf variables and the Optimizer
 * stay the run's record: the stepper loads them when it starts (a fresh or a resumed run) and
 * writes them back on `sync()`, which the trainer calls before anything reads them, so
 * checkpoints, resume, export and evaluation are unchanged.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { ExperimentConfig } from '../../../../../src-shared/contract/training.js';
import type { Optimizer } from '../optimizers.js';
import type { StepModel } from '../step.js';
import type { Stepper } from '../stepper.js';
import { FusedMlp, type MlpShape } from './fused-mlp.js';

/** Off switch for tests and comparisons; `ASSAY_FUSED_MLP=0` turns it off for a process. */
export const fusedMlpTuning = { enabled: process.env['ASSAY_FUSED_MLP'] !== '0' };

/** Where each of the StepModel's variables lies in the fused network. */
interface VarPlace {
  readonly layer: number;
  readonly part: 'kernel' | 'bias';
}

/**
 * The model as FusedMlp computes it, with each variable's place, or why it does not fit: dense
 * layers only (Dropout at rate 0 is skipped), ReLU on all but the last, a linear one-unit output,
 * biases, and the variables in use being exactly their kernels and biases.
 */
export function fusedMlpShape(
  s: StepModel,
): { shape: MlpShape; places: VarPlace[] } | { reason: string } {
  if (s.head !== 'regression') return { reason: 'only the regression head is fused' };
  if (s.inputShape.length !== 1) return { reason: 'the input is not a feature vector' };
  const dense: tfl.layers.Layer[] = [];
  for (const layer of s.model.layers) {
    const cls = layer.getClassName();
    if (cls === 'Dropout' && Number(layer.getConfig()['rate'] ?? 0) === 0) continue;
    if (cls !== 'Dense') return { reason: `${cls} layer ${layer.name}` };
    dense.push(layer);
  }
  if (dense.length === 0) return { reason: 'no dense layer' };
  const units: number[] = [];
  const places: (VarPlace | undefined)[] = s.vars.map(() => undefined);
  for (const [l, layer] of dense.entries()) {
    const c = layer.getConfig();
    const want = l === dense.length - 1 ? 'linear' : 'relu';
    if (c['activation'] !== want || c['useBias'] !== true) {
      return { reason: `dense layer ${layer.name} is not ${want} with a bias` };
    }
    units.push(Number(c['units']));
    for (const w of layer.trainableWeights) {
      const i = s.vars.indexOf(w.read() as tf.Variable);
      if (i < 0 || places[i]) return { reason: `${w.name} is not a trained variable` };
      places[i] = { layer: l, part: w.shape.length === 2 ? 'kernel' : 'bias' };
    }
  }
  if (units[units.length - 1] !== 1) return { reason: 'the output has more than one unit' };
  if (places.some((p) => !p)) return { reason: 'a trained variable is not a dense weight' };
  return { shape: { features: s.inputShape[0] as number, units }, places: places as VarPlace[] };
}

/** The fused stepper for this run, or null (with the reason logged) where it does not apply. */
export function fusedMlpStepper(o: {
  readonly step: StepModel;
  readonly optimizer: Optimizer;
  readonly config: ExperimentConfig;
  readonly maxBatch: number;
  readonly log: (level: 'info' | 'warn', message: string) => void;
}): Stepper | null {
  if (!fusedMlpTuning.enabled || o.config.architecture !== 'mlp') return null;
  const fit = fusedMlpShape(o.step);
  if ('reason' in fit) {
    o.log('info', `fused MLP step not used: ${fit.reason}`);
    return null;
  }
  const opt = o.config.optimizer;
  const net = FusedMlp.create(
    fit.shape,
    opt.name === 'adam' ? { name: 'adam' } : { name: 'sgd', momentum: opt.momentum },
    o.maxBatch,
  );
  if (!net) {
    o.log('info', 'fused MLP step not used: no WebAssembly SIMD here');
    return null;
  }
  const link = new FusedLink(net, o.step.vars, o.optimizer, fit.places);
  link.load();
  o.log('info', 'training step: fused MLP (WebAssembly SIMD)');
  return {
    threads: 1,
    step: async (batch, lr) => net.trainStep(batch, lr),
    sync: () => link.store(),
    evaluate: (ds, batchSize, normalization) => net.evaluate(ds, batchSize, normalization),
    close: async () => undefined,
  };
}

/** Copies weights and optimizer state between the tf variables / Optimizer and a FusedMlp. */
export class FusedLink {
  constructor(
    private readonly net: FusedMlp,
    private readonly vars: readonly tf.Variable[],
    private readonly optimizer: Optimizer,
    private readonly places: readonly VarPlace[],
  ) {}

  /** Variables and optimizer state → the fused network. */
  load(): void {
    const state = this.optimizer.getState();
    const per = this.net.slotsPerVar;
    if (state.slots.length !== per * this.vars.length) {
      throw new Error(`optimizer has ${state.slots.length} slots, ${per} per variable expected`);
    }
    this.places.forEach((p, i) => {
      const v = this.vars[i] as tf.Variable;
      this.net.write(p.layer, p.part, 'params', Float32Array.from(v.dataSync()));
      for (let s = 0; s < per; s++) {
        this.net.write(p.layer, p.part, s as 0 | 1, state.slots[i * per + s] as Float32Array);
      }
    });
    this.net.step = state.step;
  }

  /** The fused network → variables and optimizer state (bit for bit). */
  store(): void {
    const per = this.net.slotsPerVar;
    const slots: Float32Array[] = [];
    tf.tidy(() => {
      this.places.forEach((p, i) => {
        const v = this.vars[i] as tf.Variable;
        v.assign(tf.tensor(this.net.read(p.layer, p.part, 'params'), v.shape, 'float32'));
        for (let s = 0; s < per; s++) slots.push(this.net.read(p.layer, p.part, s as 0 | 1));
      });
      this.optimizer.setState({ name: this.optimizer.name, step: this.net.step, slots });
    });
  }
}
