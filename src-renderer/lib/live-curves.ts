import type { EpochMetrics } from '../../src-shared/contract/training.js';
import { SUBSET_COLORS } from './split-traces.js';
import { METRIC_LABELS, metricValue } from './training-traces.js';

/** One line of a live curve: its values are aligned with `LiveCurveData.epochs`. */
export interface LiveSeries {
  readonly name: string;
  readonly label: string;
  readonly color: string;
  readonly dashed: boolean;
  readonly values: readonly (number | null)[];
}

/** What a streaming chart draws: one x per finished epoch, a series per metric, the best ring. */
export interface LiveCurveData {
  readonly epochs: readonly number[];
  readonly series: readonly LiveSeries[];
  /** The best checkpoint on this chart, aligned like a series (a value at its epoch only). */
  readonly best: readonly (number | null)[] | null;
  /** Epochs with a value on at least one series: the points a person sees. */
  readonly points: number;
}

/**
 * The curve of each series (train solid, validation dashed) over the epochs finished so far,
 * sorted by epoch so a late row cannot draw a zigzag. A series with no value anywhere is left out,
 * as on the rich charts, so a run without validation shows its training curve alone.
 */
export function liveCurveData(
  history: readonly EpochMetrics[],
  names: readonly [train: string, val: string],
  best: { readonly epoch: number; readonly metric: string } | null,
): LiveCurveData {
  const rows = [...history].sort((a, b) => a.epoch - b.epoch);
  const epochs = rows.map((r) => r.epoch);
  const series = names.flatMap((name, i): LiveSeries[] => {
    const values = rows.map((r) => metricValue(r, name));
    if (values.every((v) => v === null)) return [];
    return [
      {
        name,
        label: METRIC_LABELS[name] ?? name,
        color: i === 0 ? SUBSET_COLORS.train : SUBSET_COLORS.val,
        dashed: i === 1,
        values,
      },
    ];
  });
  const bestValues =
    best !== null && names.includes(best.metric)
      ? rows.map((r) => (r.epoch === best.epoch ? metricValue(r, best.metric) : null))
      : null;
  const points = rows.filter((_, j) => series.some((s) => s.values[j] !== null)).length;
  return {
    epochs,
    series,
    best: bestValues !== null && bestValues.some((v) => v !== null) ? bestValues : null,
    points,
  };
}

/**
 * The y range of a curve: accuracies span 0..100 % and others zero to a tenth above the highest
 * value, each with a little room beyond both ends so a marker at 0 or 100 % is drawn whole.
 */
export function liveYRange(data: LiveCurveData, percent: boolean): readonly [number, number] {
  if (percent) return [-0.03, 1.06];
  let max = 0;
  for (const s of data.series) for (const v of s.values) if (v !== null && v > max) max = v;
  const top = max > 0 ? max * 1.1 : 1;
  return [-top * 0.03, top];
}

/** The x range: every planned epoch, with half an epoch either side so end markers are whole. */
export function liveXRange(plannedEpochs: number): readonly [number, number] {
  return [0.5, Math.max(1, plannedEpochs) + 0.5];
}
