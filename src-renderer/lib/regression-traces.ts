import type { RegressionModelInfo } from '../../src-shared/contract/regression.js';
import type { PlotLayout, ScatterTrace } from './plot-types.js';

/** The Regression screen's two plots, built as plain plotly figures (pure, unit-tested). */

const TRAIN = '#2563eb';
const VAL = '#ea580c';
const IDEAL = '#dc2626';

export function learningCurveTraces(
  history: RegressionModelInfo['history'],
): readonly ScatterTrace[] {
  const x = history.map((h) => h.epoch);
  const traces: ScatterTrace[] = [
    {
      type: 'scatter',
      mode: 'lines',
      name: 'Train loss',
      x,
      y: history.map((h) => h.loss),
      line: { color: TRAIN, width: 2 },
      hovertemplate: 'epoch %{x}<br>train loss %{y:.4f}<extra></extra>',
    },
  ];
  if (history.some((h) => h.val_loss !== null)) {
    traces.push({
      type: 'scatter',
      mode: 'lines',
      name: 'Validation loss',
      x,
      y: history.map((h) => h.val_loss),
      line: { color: VAL, width: 2 },
      hovertemplate: 'epoch %{x}<br>validation loss %{y:.4f}<extra></extra>',
    });
  }
  return traces;
}

export const LEARNING_CURVE_LAYOUT: PlotLayout = {
  height: 320,
  margin: { l: 56, r: 16, t: 16, b: 44 },
  xaxis: { title: { text: 'Epoch' } },
  yaxis: { title: { text: 'MSE' }, rangemode: 'tozero' },
  legend: { orientation: 'h', y: 1.12 },
  hovermode: 'x unified',
  uirevision: 'learning-curve',
};

/**
 * The learning curve on a linear or log y axis: losses fall by orders of magnitude, and on a
 * linear axis everything after the first epochs is a flat line. A log axis cannot start at zero.
 */
export function learningCurveLayout(log: boolean): PlotLayout {
  return log
    ? {
        ...LEARNING_CURVE_LAYOUT,
        yaxis: { title: { text: 'MSE (log)' }, type: 'log', autorange: true },
        // A zoom kept from the linear axis would be read as powers of ten on the log one.
        uirevision: 'learning-curve-log',
      }
    : LEARNING_CURVE_LAYOUT;
}

/**
 * Test points plus the y = x line spanning both axes, so a perfect model lies on it. The line
 * comes last so it is drawn over the points, solid and wide enough to read through a dense cloud.
 */
export function predictedVsActualTraces(
  actual: readonly number[],
  predicted: readonly number[],
): readonly ScatterTrace[] {
  const n = Math.min(actual.length, predicted.length);
  if (n === 0) return [];
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    lo = Math.min(lo, actual[i] as number, predicted[i] as number);
    hi = Math.max(hi, actual[i] as number, predicted[i] as number);
  }
  if (hi === lo) {
    // One value everywhere: a zero-length line would not show at all.
    lo -= 0.5;
    hi += 0.5;
  }
  return [
    {
      type: 'scatter',
      mode: 'markers',
      name: 'Test samples',
      x: actual.slice(0, n),
      y: predicted.slice(0, n),
      marker: { color: TRAIN, size: 5 },
      hovertemplate: 'actual %{x:.3f}<br>predicted %{y:.3f}<extra></extra>',
    },
    {
      type: 'scatter',
      mode: 'lines',
      name: 'Ideal (y = x)',
      x: [lo, hi],
      y: [lo, hi],
      line: { color: IDEAL, width: 2 },
      hovertemplate: '<extra></extra>',
    },
  ];
}

export const PREDICTIONS_LAYOUT: PlotLayout = {
  height: 320,
  margin: { l: 56, r: 16, t: 16, b: 44 },
  xaxis: { title: { text: 'Actual' } },
  yaxis: { title: { text: 'Predicted' } },
  legend: { orientation: 'h', y: 1.12 },
  hovermode: 'closest',
  uirevision: 'predictions',
};

/** "64, 32" / "64 32" / "[64,32]" → [64, 32]; null when any entry is not a positive integer. */
export function parseHiddenLayers(text: string): number[] | null {
  const parts = text
    .replace(/[[\]]/g, ' ')
    .split(/[\s,]+/)
    .filter((p) => p !== '');
  if (parts.length === 0 || parts.length > 8) return null;
  const layers = parts.map(Number);
  return layers.every((n) => Number.isInteger(n) && n >= 1 && n <= 4096) ? layers : null;
}

/** Comma- or space-separated numbers for the predict form; null unless every entry is finite. */
export function parseInputs(text: string): number[] | null {
  const parts = text.split(/[\s,;]+/).filter((p) => p !== '');
  if (parts.length === 0) return null;
  const values = parts.map(Number);
  return values.every((v) => Number.isFinite(v)) ? values : null;
}
