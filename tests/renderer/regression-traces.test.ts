import { describe, expect, it } from 'vitest';
import {
  learningCurveTraces,
  parseHiddenLayers,
  parseInputs,
  predictedVsActualTraces,
} from '../../src-renderer/lib/regression-traces.js';
import { formatRoute, parseRoute } from '../../src-renderer/lib/route.js';

describe('regression traces', () => {
  it('learning curve: train and validation loss over epochs', () => {
    const traces = learningCurveTraces([
      { epoch: 1, loss: 1, val_loss: 1.2 },
      { epoch: 2, loss: 0.5, val_loss: 0.7 },
    ]);
    expect(traces.map((t) => t.name)).toEqual(['Train loss', 'Validation loss']);
    expect(traces[0]?.x).toEqual([1, 2]);
    expect(traces[0]?.y).toEqual([1, 0.5]);
    expect(traces[1]?.y).toEqual([1.2, 0.7]);
  });

  it('learning curve without validation has one trace; empty history draws nothing odd', () => {
    expect(learningCurveTraces([{ epoch: 1, loss: 2, val_loss: null }])).toHaveLength(1);
    expect(learningCurveTraces([])[0]?.x).toEqual([]);
  });

  it('predicted vs actual: points, and a y = x line over both ranges', () => {
    const [points, ideal] = predictedVsActualTraces([1, 5, 3], [2, 4, 7]);
    expect(points?.mode).toBe('markers');
    expect(points?.x).toEqual([1, 5, 3]);
    expect(points?.y).toEqual([2, 4, 7]);
    expect(ideal?.x).toEqual([1, 7]);
    expect(ideal?.y).toEqual([1, 7]);
    expect(predictedVsActualTraces([], [])).toEqual([]);
  });

  it('parses hidden layers and inputs', () => {
    expect(parseHiddenLayers('64, 32')).toEqual([64, 32]);
    expect(parseHiddenLayers('[128 64 8]')).toEqual([128, 64, 8]);
    expect(parseHiddenLayers('64, x')).toBeNull();
    expect(parseHiddenLayers('0')).toBeNull();
    expect(parseHiddenLayers('')).toBeNull();
    expect(parseInputs('0.5, 1e-3; -2')).toEqual([0.5, 0.001, -2]);
    expect(parseInputs('1, two')).toBeNull();
  });

  it('the Regression screen has its own route, with no project', () => {
    expect(parseRoute('#/regression')).toEqual({ screen: 'regression', projectId: null });
    expect(formatRoute({ screen: 'regression', projectId: 'proj-0123abcd' })).toBe('#/regression');
  });
});
