import type { EvalItemResult } from '../../src-shared/contract/index.js';
import type { BarTrace, PlotLayout, ScatterTrace } from './plot-types.js';
import { PREDICTIONS_LAYOUT, predictedVsActualTraces } from './regression-traces.js';

/** A regression evaluation's items that carry both numbers. */
export interface RegressionPoint {
  readonly filename: string;
  readonly target: number;
  readonly prediction: number;
}

export function regressionPoints(items: readonly EvalItemResult[]): RegressionPoint[] {
  return items.flatMap((i) =>
    i.target !== null && i.prediction !== null
      ? [{ filename: i.filename, target: i.target, prediction: i.prediction }]
      : [],
  );
}

/** Predicted against actual over every item, as the Regression screen draws its test part. */
export function predictedVsActual(points: readonly RegressionPoint[]): {
  traces: readonly ScatterTrace[];
  layout: PlotLayout;
} {
  return {
    traces: predictedVsActualTraces(
      points.map((p) => p.target),
      points.map((p) => p.prediction),
    ),
    layout: {
      ...PREDICTIONS_LAYOUT,
      height: 340,
      showlegend: false,
      uirevision: 'eval-predictions',
    },
  };
}

/**
 * Residuals (predicted − actual) in `bins` equal-width bins over their range: where a person
 * sees bias (off-centre) and outliers (long tails). Bin labels are the bins' centres.
 */
export function residualHistogram(
  points: readonly RegressionPoint[],
  bins = 20,
): { trace: BarTrace; layout: PlotLayout; counts: number[] } {
  const residuals = points.map((p) => p.prediction - p.target);
  const lo = residuals.length > 0 ? Math.min(...residuals) : 0;
  const hi = residuals.length > 0 ? Math.max(...residuals) : 0;
  const width = hi > lo ? (hi - lo) / bins : 1;
  const n = hi > lo ? bins : 1;
  const counts = new Array<number>(n).fill(0);
  for (const r of residuals) {
    const b = Math.min(n - 1, Math.floor((r - lo) / width));
    counts[b] = (counts[b] as number) + 1;
  }
  const centres = counts.map((_, i) => (hi > lo ? lo + (i + 0.5) * width : lo));
  return {
    counts,
    trace: {
      type: 'bar',
      name: 'residuals',
      x: centres,
      y: counts,
      marker: { color: '#0f766e' },
      hovertemplate: 'residual ≈ %{x:.3g}<br>%{y} items<extra></extra>',
    },
    layout: {
      height: 340,
      margin: { l: 50, r: 20, t: 20, b: 50 },
      xaxis: { title: { text: 'Residual (predicted − actual)' }, type: 'linear' },
      bargap: 0.05,
      yaxis: { title: { text: 'Items' } },
      showlegend: false,
    },
  };
}
