import { describe, expect, it } from 'vitest';
import {
  distributionLayout,
  distributionTraces,
  subsetTotals,
} from '../../src-renderer/lib/split-traces.js';

const perClass = [
  { class: 'cat', train: 8, val: 1, test: 1, none: 0 },
  { class: 'dog', train: 16, val: 2, test: 2, none: 0 },
  { class: '', train: 4, val: 0, test: 0, none: 0 },
];

describe('distributionTraces', () => {
  it('makes one stacked bar trace per subset with one bar per class', () => {
    const traces = distributionTraces(perClass);
    expect(traces.map((t) => t.name)).toEqual(['Train', 'Validation', 'Test']);
    expect(traces[0]?.x).toEqual(['cat', 'dog', '(no class)']);
    expect(traces[0]?.y).toEqual([8, 16, 4]);
    expect(traces[2]?.y).toEqual([1, 2, 0]);
    expect(new Set(traces.map((t) => t.marker.color)).size).toBe(3);
    expect(distributionLayout(3).barmode).toBe('stack');
  });

  it('adds an "Unassigned" trace only when something is left out', () => {
    const traces = distributionTraces([{ class: 'a', train: 7, val: 1, test: 1, none: 1 }]);
    expect(traces.map((t) => t.name)).toEqual(['Train', 'Validation', 'Test', 'Unassigned']);
    expect(traces[3]?.y).toEqual([1]);
  });

  it('sums subsets over classes', () => {
    expect(subsetTotals(perClass)).toEqual({ train: 28, val: 3, test: 3, none: 0 });
  });
});
