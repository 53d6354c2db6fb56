import type { ExperimentConfig } from '../../../../src-shared/contract/training.js';
import { metricMode } from '../config.js';

/**
 * Learning rate of a 0-based epoch: linear warm-up over `warmup_epochs` (lr·(e+1)/(w+1)), then
 * constant, step (×gamma every step_epochs), exponential (×gamma per epoch) or cosine (from lr
 * down to min_learning_rate at the last epoch); never below min_learning_rate. A pure function
 * of the epoch, so the schedule's state is the epoch number.
 */
export function learningRateAt(config: ExperimentConfig, epoch: number): number {
  const base = config.optimizer.learning_rate;
  const s = config.lr_schedule;
  const floor = Math.min(s.min_learning_rate, base);
  if (epoch < s.warmup_epochs) return Math.max(floor, (base * (epoch + 1)) / (s.warmup_epochs + 1));
  const e = epoch - s.warmup_epochs;
  const span = Math.max(1, config.epochs - s.warmup_epochs - 1);
  let lr: number;
  switch (s.type) {
    case 'constant':
      lr = base;
      break;
    case 'step':
      lr = base * s.gamma ** Math.floor(e / s.step_epochs);
      break;
    case 'exponential':
      lr = base * s.gamma ** e;
      break;
    case 'cosine':
      lr = floor + ((base - floor) * (1 + Math.cos((Math.PI * Math.min(e, span)) / span))) / 2;
      break;
  }
  return Math.max(floor, lr);
}

/** Best value of a metric so far, by its direction. */
export interface BestState {
  readonly metric: string;
  readonly value: number | null;
  readonly epoch: number;
}

export function improves(
  metric: string,
  value: number,
  best: number | null,
  minDelta = 0,
): boolean {
  if (best === null) return true;
  return metricMode(metric) === 'min' ? value < best - minDelta : value > best + minDelta;
}

export interface EarlyStoppingState extends BestState {
  /** Epochs since the last improvement. */
  readonly wait: number;
}

/** Keras' EarlyStopping: stop once `patience` epochs in a row fail to improve by more than min_delta. */
export function earlyStoppingStep(
  config: ExperimentConfig['early_stopping'],
  state: EarlyStoppingState,
  value: number | null,
  epoch: number,
): { state: EarlyStoppingState; stop: boolean } {
  if (!config.enabled || value === null) return { state, stop: false };
  if (improves(state.metric, value, state.value, config.min_delta)) {
    return { state: { ...state, value, epoch, wait: 0 }, stop: false };
  }
  const wait = state.wait + 1;
  return { state: { ...state, wait }, stop: wait >= config.patience };
}
