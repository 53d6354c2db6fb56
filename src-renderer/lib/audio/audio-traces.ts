import type { BarTrace, HeatmapTrace, PlotLayout, ScatterTrace } from '../plot-types.js';
import type { FamilyPerformance } from './performance.js';

/** Trace builders for the audio screens: pure, unit-tested, drawn by <PlotPanel>. */

export const CLASS_COLORS: Readonly<Record<string, string>> = {
  gold: '#d4a017',
  iron: '#6b7b8c',
  other: '#8a6fbf',
};
const FALLBACK = '#4c78a8';
export const colorOf = (label: string): string => CLASS_COLORS[label] ?? FALLBACK;

export const FAMILY_COLORS: Readonly<Record<string, string>> = {
  CNN: '#2f7ed8',
  TRANSFORMER: '#e4572e',
  TRADITIONAL: '#3aa655',
  VOTE: '#222b36',
};
const familyColor = (f: string): string => FAMILY_COLORS[f] ?? FALLBACK;

export const compactLayout = (height: number, extra: PlotLayout = {}): PlotLayout => ({
  height,
  margin: { l: 48, r: 12, t: 12, b: 36 },
  paper_bgcolor: 'rgba(0,0,0,0)',
  plot_bgcolor: 'rgba(0,0,0,0)',
  font: { size: 12 },
  ...extra,
});

/** Before/after class counts of augment or balance, side by side per class. */
export function distributionTraces(
  before: Readonly<Record<string, number>>,
  after: Readonly<Record<string, number>>,
): BarTrace[] {
  const classes = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  const bar = (
    name: string,
    counts: Readonly<Record<string, number>>,
    color: string,
  ): BarTrace => ({
    type: 'bar',
    name,
    x: classes,
    y: classes.map((c) => counts[c] ?? 0),
    marker: { color },
    text: classes.map((c) => String(counts[c] ?? 0)),
    textposition: 'auto',
  });
  return [bar('Before', before, '#9aa5b1'), bar('After', after, '#2f7ed8')];
}

/** Files per class of `/api/dataset/info` (one bar per class). */
export function classCountTraces(counts: Readonly<Record<string, number>>): BarTrace[] {
  const classes = Object.keys(counts).sort();
  return [
    {
      type: 'bar',
      name: 'Files',
      x: classes,
      y: classes.map((c) => counts[c] ?? 0),
      marker: { color: '#2f7ed8' },
    },
  ];
}

/** A confusion matrix: rows are the true class, columns the predicted one; counts in the cells. */
export function confusionTrace(
  classes: readonly string[],
  matrix: readonly (readonly number[])[],
): HeatmapTrace {
  // Plotly draws row 0 at the bottom; reversed so the first class reads at the top.
  const rows = [...classes].reverse();
  const z = [...matrix].reverse();
  return {
    type: 'heatmap',
    x: [...classes],
    y: rows,
    z,
    text: z.map((r) => r.map((v) => String(v))),
    texttemplate: '%{text}',
    // Pale for few, deep blue for many: the diagonal stands out and the cell text stays legible.
    colorscale: [
      [0, '#f4f8fc'],
      [1, '#1f5fa8'],
    ],
    showscale: false,
    hovertemplate: 'true %{y}, predicted %{x}: %{z}<extra></extra>',
  };
}

/** F1 per class, one group of bars per class and a bar per family. */
export function f1Traces(families: readonly FamilyPerformance[]): BarTrace[] {
  return families.map((f) => ({
    type: 'bar',
    name: f.family,
    x: f.perClass.map((c) => c.label),
    y: f.perClass.map((c) => c.f1),
    marker: { color: familyColor(f.family) },
    hovertemplate: `${f.family} %{x}: F1 %{y:.3f}<extra></extra>`,
  }));
}

/** One epoch's numbers of one family, as training reports them. */
export interface CurvePoint {
  readonly epoch: number;
  readonly loss: number | null;
  readonly accuracy: number | null;
  readonly val_loss: number | null;
  readonly val_accuracy: number | null;
}
export type CurveHistory = Readonly<Record<string, readonly CurvePoint[]>>;

const n = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

function pointOf(m: Readonly<Record<string, unknown>>): CurvePoint | null {
  const epoch = n(m.epoch);
  if (epoch === null) return null;
  return {
    epoch,
    loss: n(m.loss),
    accuracy: n(m.accuracy) ?? n(m.acc),
    val_loss: n(m.val_loss),
    val_accuracy: n(m.val_accuracy) ?? n(m.val_acc),
  };
}

/**
 * Folds a status's per-family metrics into the curves: a family's `history` array replaces its
 * curve; otherwise its latest epoch is added (replacing a point of the same epoch).
 */
export function mergeCurves(
  history: CurveHistory,
  metrics: Readonly<Record<string, unknown>>,
): CurveHistory {
  const next: Record<string, readonly CurvePoint[]> = { ...history };
  for (const [family, raw] of Object.entries(metrics)) {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) continue;
    const m = raw as Readonly<Record<string, unknown>>;
    if (Array.isArray(m.history)) {
      next[family] = m.history
        .map((h) =>
          typeof h === 'object' && h !== null ? pointOf(h as Record<string, unknown>) : null,
        )
        .filter((p): p is CurvePoint => p !== null);
      continue;
    }
    const p = pointOf(m);
    if (p === null) continue;
    const kept = (next[family] ?? []).filter((q) => q.epoch !== p.epoch);
    next[family] = [...kept, p].sort((a, b) => a.epoch - b.epoch);
  }
  return next;
}

/** Loss (solid) and validation loss (dotted) per family over epochs. */
export function curveTraces(history: CurveHistory, metric: 'loss' | 'accuracy'): ScatterTrace[] {
  const out: ScatterTrace[] = [];
  for (const [family, points] of Object.entries(history)) {
    const color = familyColor(family);
    const val = metric === 'loss' ? 'val_loss' : 'val_accuracy';
    // A family without epochs of this metric (the forest has no loss) gets no empty legend line.
    if (!points.some((p) => p[metric] !== null || p[val] !== null)) continue;
    out.push({
      type: 'scatter',
      mode: 'lines+markers',
      name: `${family} ${metric}`,
      x: points.map((p) => p.epoch),
      y: points.map((p) => p[metric]),
      line: { color, width: 2 },
      marker: { color, size: 5 },
    });
    if (points.some((p) => p[val] !== null)) {
      out.push({
        type: 'scatter',
        mode: 'lines',
        name: `${family} ${val}`,
        x: points.map((p) => p.epoch),
        y: points.map((p) => p[val]),
        line: { color, width: 2, dash: 'dot' },
      });
    }
  }
  return out;
}
