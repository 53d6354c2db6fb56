import type { EpochMetrics } from '../../src-shared/contract/training.js';
import type { Task } from '../../src-shared/contract/projects.js';
import type { PlotLayout, ScatterTrace } from './plot-types.js';
import { SUBSET_COLORS } from './split-traces.js';

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

const isPercent = (name: string): boolean => name === 'accuracy' || name === 'val_accuracy';

/**
 * One trace per series (train solid, validation dashed), x = epoch. A series with no value in any
 * epoch is left out: a run without a validation subset shows its training curve alone instead of
 * an empty legend entry. Epochs are sorted so a late-arriving row cannot draw a zigzag.
 */
function seriesTraces(
  history: readonly EpochMetrics[],
  names: readonly [train: string, val: string],
): ScatterTrace[] {
  const rows = [...history].sort((a, b) => a.epoch - b.epoch);
  const x = rows.map((r) => r.epoch);
  return names.flatMap((name, i): ScatterTrace[] => {
    const y = rows.map((r) => metricValue(r, name));
    if (y.every((v) => v === null)) return [];
    const color = i === 0 ? SUBSET_COLORS.train : SUBSET_COLORS.val;
    const fmt = isPercent(name) ? '%{y:.1%}' : '%{y:.4g}';
    return [
      {
        type: 'scatter',
        mode: 'lines+markers',
        name: METRIC_LABELS[name] ?? name,
        x,
        y,
        line: { color, width: 2, dash: i === 0 ? 'solid' : 'dash' },
        marker: { color, size: 6 },
        hovertemplate: `${METRIC_LABELS[name] ?? name}: ${fmt}<extra></extra>`,
      },
    ];
  });
}

/** Training and validation loss per epoch. */
export function lossTraces(history: readonly EpochMetrics[]): ScatterTrace[] {
  return seriesTraces(history, ['loss', 'val_loss']);
}

/** Training and validation accuracy (or MAE) per epoch. */
export function metricTraces(
  history: readonly EpochMetrics[],
  metric: CurveMetric,
): ScatterTrace[] {
  return seriesTraces(history, [metric, `val_${metric}`]);
}

/**
 * A ring around the best epoch on the curve of the metric that picks the best checkpoint, so the
 * chart shows which weights "best" means. Empty when that metric is not on this chart.
 */
export function bestMarkerTrace(
  history: readonly EpochMetrics[],
  best: { readonly epoch: number; readonly metric: string } | null,
  plotted: readonly string[],
): ScatterTrace[] {
  if (best === null || !plotted.includes(best.metric)) return [];
  const row = history.find((r) => r.epoch === best.epoch);
  const y = row === undefined ? null : metricValue(row, best.metric);
  if (y === null) return [];
  return [
    {
      type: 'scatter',
      mode: 'markers',
      name: 'Best checkpoint',
      x: [best.epoch],
      y: [y],
      marker: {
        color: 'rgba(0,0,0,0)',
        size: 14,
        symbol: 'circle',
        line: { color: '#059669', width: 2 },
      },
      hovertemplate: `Best checkpoint (epoch ${best.epoch})<extra></extra>`,
    },
  ];
}

export interface CurveLayoutOptions {
  readonly yTitle: string;
  /** The run's planned epochs: the x axis spans all of them, so the curve visibly fills it. */
  readonly epochs: number;
  readonly percent?: boolean;
  /** Stable per run: Plotly keeps a zoom or hidden series while epochs arrive. */
  readonly revision: string;
}

export function curveLayout({ yTitle, epochs, percent, revision }: CurveLayoutOptions): PlotLayout {
  const last = Math.max(1, epochs);
  return {
    height: 280,
    margin: { l: 56, r: 16, t: 28, b: 44 },
    xaxis: {
      title: { text: 'Epoch' },
      range: [0.5, last + 0.5],
      dtick: last <= 20 ? 1 : undefined,
      gridcolor: '#f0f1f3',
      zeroline: false,
    },
    yaxis: percent
      ? { title: { text: yTitle }, range: [0, 1.02], tickformat: '.0%', gridcolor: '#e5e7eb' }
      : { title: { text: yTitle }, rangemode: 'tozero', gridcolor: '#e5e7eb', zeroline: false },
    legend: { orientation: 'h', x: 0, y: 1, yanchor: 'bottom', traceorder: 'normal' },
    hovermode: 'x unified',
    uirevision: revision,
    font: {
      family: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
      size: 12,
      color: '#374151',
    },
    paper_bgcolor: 'rgba(0,0,0,0)',
    plot_bgcolor: 'rgba(0,0,0,0)',
  };
}
