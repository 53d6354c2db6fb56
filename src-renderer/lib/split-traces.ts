import type { ClassDistribution } from '../../src-shared/contract/splits.js';
import type { BarTrace, PlotLayout } from './plot-types.js';

type Subset = 'train' | 'val' | 'test' | 'none';

/** One colour per subset, used by the chart, the legend chips and the stats table alike. */
export const SUBSET_COLORS: Readonly<Record<Subset, string>> = {
  train: '#2563eb',
  val: '#d97706',
  test: '#059669',
  none: '#9ca3af',
};

export const SUBSET_LABELS: Readonly<Record<Subset, string>> = {
  train: 'Train',
  val: 'Validation',
  test: 'Test',
  none: 'Unassigned',
};

/** Items without a class are counted under this label on the chart. */
export const UNLABELED = '(no class)';

/**
 * Stacked bars, one per class, one trace per subset. "Unassigned" only appears when some item
 * is actually left out, so an 80/10/10 split shows exactly three colours.
 */
export function distributionTraces(perClass: readonly ClassDistribution[]): BarTrace[] {
  const x = perClass.map((c) => c.class || UNLABELED);
  const subsets: Subset[] = ['train', 'val', 'test'];
  if (perClass.some((c) => c.none > 0)) subsets.push('none');
  return subsets.map((s) => ({
    type: 'bar',
    name: SUBSET_LABELS[s],
    x,
    y: perClass.map((c) => c[s]),
    marker: { color: SUBSET_COLORS[s] },
    hovertemplate: `%{x}<br>${SUBSET_LABELS[s]}: %{y}<extra></extra>`,
  }));
}

export function distributionLayout(classCount: number): PlotLayout {
  return {
    barmode: 'stack',
    height: Math.max(260, Math.min(420, 200 + classCount * 8)),
    margin: { l: 48, r: 16, t: 16, b: 64 },
    xaxis: { type: 'category', automargin: true, tickangle: classCount > 8 ? -35 : 0 },
    yaxis: { title: { text: 'Items' }, rangemode: 'tozero', gridcolor: '#e5e7eb' },
    // Plotly lists stacked traces bottom-up by default; keep the legend in Train, Val, Test order.
    legend: { orientation: 'h', y: -0.2, traceorder: 'normal' },
    font: {
      family: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
      size: 12,
      color: '#374151',
    },
    paper_bgcolor: 'rgba(0,0,0,0)',
    plot_bgcolor: 'rgba(0,0,0,0)',
  };
}

/** Per-subset totals of a distribution (checks the chart against the split's stats). */
export function subsetTotals(perClass: readonly ClassDistribution[]): Record<Subset, number> {
  const totals: Record<Subset, number> = { train: 0, val: 0, test: 0, none: 0 };
  for (const c of perClass) {
    totals.train += c.train;
    totals.val += c.val;
    totals.test += c.test;
    totals.none += c.none;
  }
  return totals;
}
