import type { EpochMetrics } from '../../src-shared/contract/training.js';
import type { Task } from '../../src-shared/contract/projects.js';

/** The metric plotted beside the loss: accuracy for classifiers, mean absolute error for regression. */
export type CurveMetric = 'accuracy' | 'mae';

export function curveMetricFor(task: Task): CurveMetric {
  return task === 'regression' ? 'mae' : 'accuracy';
}

export const METRIC_LABELS: Readonly<Record<string, string>> = {
  loss: 'Loss',
  val_loss: 'Validation loss',
  accuracy: 'Accuracy',
  val_accuracy: 'Validation accuracy',
  mae: 'MAE',
  val_mae: 'Validation MAE',
  mse: 'MSE',
  val_mse: 'Validation MSE',
};

/** Shorter names for choosing a metric in a narrow select. */
export const METRIC_SHORT_LABELS: Readonly<Record<string, string>> = {
  loss: 'Train loss',
  val_loss: 'Val loss',
  accuracy: 'Train accuracy',
  val_accuracy: 'Val accuracy',
  mae: 'Train MAE',
  val_mae: 'Val MAE',
  mse: 'Train MSE',
  val_mse: 'Val MSE',
};

/** The value of one named metric in an epoch row; null when the row lacks it or it is not finite. */
export function metricValue(m: EpochMetrics, name: string): number | null {
  const v = (m as Readonly<Record<string, unknown>>)[name];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}
