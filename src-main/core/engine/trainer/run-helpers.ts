import type { EpochMetrics, ExperimentConfig } from '../../../../src-shared/contract/training.js';
import type { LoadedCheckpoint } from './checkpoint.js';
import type { TrainJob, TrainingTestOptions } from './training-runner.js';

/** Test hook: the checkpoint after epoch `failCheckpointAtEpoch` fails as a full disk would. */
export function faultHook(t: TrainingTestOptions): ((epoch: number, file: string) => void) | null {
  const at = t.failCheckpointAtEpoch;
  if (at === undefined) return null;
  const code = t.failCode ?? 'ENOSPC';
  return (epoch, file) => {
    if (epoch !== at || file !== 'weights.bin') return;
    const err = new Error(`${code}: no space left on device, write`) as NodeJS.ErrnoException;
    err.code = code;
    throw err;
  };
}

/** A val_* metric without a validation subset falls back to its training counterpart. */
export function usableMetric(
  metric: string,
  hasVal: boolean,
  log: (l: 'warn', m: string) => void,
): string {
  if (hasVal || !metric.startsWith('val_')) return metric;
  const fallback = metric === 'val_mse' ? 'loss' : metric.slice(4);
  log(
    'warn',
    `the split has no validation items: ${metric} is not measured, ${fallback} is used instead`,
  );
  return fallback;
}

export function nullMetrics(head: 'classification' | 'regression'): Record<string, null> {
  return head === 'classification'
    ? { val_loss: null, val_accuracy: null }
    : { val_loss: null, val_mae: null, val_mse: null };
}

export function metricValue(m: EpochMetrics, name: string): number | null {
  const v = m[name];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** A checkpoint from another model or optimizer cannot continue this run. */
export function checkResumable(loaded: LoadedCheckpoint, job: TrainJob): void {
  const keyOf = (c: ExperimentConfig): string =>
    JSON.stringify([
      c.architecture,
      c.input,
      c.hidden_layers,
      c.width_multiplier,
      c.optimizer.name,
      c.seed,
      c.fine_tune ?? false,
    ]);
  if (keyOf(loaded.state.config) !== keyOf(job.config)) {
    throw new Error(
      'the last checkpoint was trained with another model, input, optimizer or seed; it cannot be resumed with this config',
    );
  }
  if (loaded.state.meta.classes.join('\u0000') !== job.classes.join('\u0000')) {
    throw new Error(
      'the project’s classes changed since the last checkpoint; it cannot be resumed',
    );
  }
}
