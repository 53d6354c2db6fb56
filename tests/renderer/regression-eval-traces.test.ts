import { describe, expect, it } from 'vitest';
import type { EvalItemResult } from '../../src-shared/contract/index.js';
import {
  predictedVsActual,
  regressionPoints,
  residualHistogram,
} from '../../src-renderer/lib/regression-eval-traces.js';

const item = (filename: string, target: number | null, prediction: number | null) =>
  ({
    filename,
    true_label: null,
    predicted_label: null,
    confidence: null,
    correct: null,
    error: target !== null && prediction !== null ? Math.abs(target - prediction) : 0,
    probabilities: null,
    target,
    prediction,
  }) satisfies EvalItemResult;

describe('regression evaluation plots', () => {
  const items = [item('a', 1, 1.5), item('b', 2, 1.5), item('c', 3, 3), item('x', null, 2)];

  it('plots items with both numbers, actual on x, and the y = x line over their range', () => {
    const points = regressionPoints(items);
    expect(points.map((p) => p.filename)).toEqual(['a', 'b', 'c']);
    const { traces } = predictedVsActual(points);
    expect(traces[0]).toMatchObject({ x: [1, 2, 3], y: [1.5, 1.5, 3] });
    expect(traces[1]).toMatchObject({ x: [1, 3], y: [1, 3] });
  });

  it('bins residuals (predicted − actual) over their range; every item counted once', () => {
    const points = regressionPoints(items);
    const h = residualHistogram(points, 4);
    // residuals 0.5, −0.5, 0 over [−0.5, 0.5] in 4 bins of 0.25: −0.5 → bin 0, 0 → bin 2, 0.5 → bin 3.
    expect(h.counts).toEqual([1, 0, 1, 1]);
    expect(h.trace.x).toEqual([-0.375, -0.125, 0.125, 0.375]);
    const same = residualHistogram(regressionPoints([item('p', 2, 2), item('q', 5, 5)]), 4);
    expect(same.counts).toEqual([2]);
    expect(residualHistogram([]).counts).toEqual([0]);
  });
});
