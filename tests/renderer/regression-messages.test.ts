import { describe, expect, it } from 'vitest';
import {
  predictInputProblem,
  uploadErrorMessage,
} from '../../src-renderer/lib/regression-messages.js';
import {
  LEARNING_CURVE_LAYOUT,
  learningCurveLayout,
  predictedVsActualTraces,
} from '../../src-renderer/lib/regression-traces.js';

describe('regression screen messages', () => {
  it('an unknown format lists every accepted one; other refusals pass through', () => {
    const msg = uploadErrorMessage('Only pickle files (.pkl, .pickle) are allowed.');
    for (const format of ['.pkl', 'CSV', '.npy', '.npz']) expect(msg).toContain(format);
    expect(uploadErrorMessage('X has shape (3); expected (n, k)')).toBe(
      'X has shape (3); expected (n, k)',
    );
  });

  it('a predict input says which field is wrong and why', () => {
    const names = ['x1', 'x2', 'x3'];
    expect(predictInputProblem(names, ['1', '2', '3'])).toBeNull();
    expect(predictInputProblem(names, [' 1e-3 ', '-2', '0'])).toBeNull();
    expect(predictInputProblem(names, ['1', '', '3'])).toBe('x2 is empty: enter a number.');
    expect(predictInputProblem(names, ['1', '2', 'abc'])).toBe('x3: "abc" is not a finite number.');
    expect(predictInputProblem(names, ['Infinity', '2', '3'])).toContain('x1');
    expect(predictInputProblem(names, ['1', '2'])).toBe('x3 is empty: enter a number.');
  });
});

describe('regression plots', () => {
  it('the learning curve switches to a log axis and back', () => {
    const log = learningCurveLayout(true);
    expect(log.yaxis?.['type']).toBe('log');
    expect(log.yaxis?.['rangemode']).toBeUndefined();
    expect(log.uirevision).not.toBe(LEARNING_CURVE_LAYOUT.uirevision);
    expect(learningCurveLayout(false)).toBe(LEARNING_CURVE_LAYOUT);
  });

  it('the y = x line is drawn last, solid, and never zero-length', () => {
    const traces = predictedVsActualTraces([1, 2], [1.5, 2.5]);
    const ideal = traces[traces.length - 1];
    expect(ideal?.name).toBe('Ideal (y = x)');
    expect(ideal?.line?.dash).toBeUndefined();
    expect(ideal?.line?.width).toBeGreaterThanOrEqual(2);
    const flat = predictedVsActualTraces([3, 3], [3, 3]);
    expect(flat[1]?.x).toEqual([2.5, 3.5]);
  });
});
