import { describe, expect, it } from 'vitest';
import {
  bestMarkerTrace,
  curveLayout,
  curveMetricFor,
  lossTraces,
  metricTraces,
  metricValue,
} from '../../src-renderer/lib/training-traces.js';
import { epoch } from './training-fixtures.js';

describe('training curves', () => {
  it('draws train and validation loss per epoch, in epoch order', () => {
    const traces = lossTraces([epoch(2), epoch(1), epoch(3)]);
    expect(traces.map((t) => t.name)).toEqual(['Loss', 'Validation loss']);
    expect(traces[0]?.x).toEqual([1, 2, 3]);
    expect(traces[0]?.y).toEqual([1, 0.5, 1 / 3]);
    expect(traces[1]?.y).toEqual([1.2, 0.6, 0.4]);
    // Train solid, validation dashed, different colours.
    expect(traces[0]?.line?.dash).toBe('solid');
    expect(traces[1]?.line?.dash).toBe('dash');
    expect(traces[0]?.line?.color).not.toBe(traces[1]?.line?.color);
  });

  it('plots accuracy for classifiers and MAE for regression', () => {
    expect(curveMetricFor('classification')).toBe('accuracy');
    expect(curveMetricFor('audio-classification')).toBe('accuracy');
    expect(curveMetricFor('regression')).toBe('mae');
    const acc = metricTraces([epoch(1), epoch(2)], 'accuracy');
    expect(acc.map((t) => t.name)).toEqual(['Accuracy', 'Validation accuracy']);
    expect(acc[1]?.y).toEqual([0.46, 0.47]);
    const mae = metricTraces(
      [
        {
          epoch: 1,
          loss: 4,
          lr: 0.01,
          duration_seconds: 1,
          samples_per_second: 9,
          mae: 1.5,
          val_mae: 2,
        },
      ],
      'mae',
    );
    expect(mae.map((t) => t.y)).toEqual([[1.5], [2]]);
  });

  it('leaves out a series with no values and keeps gaps as null', () => {
    const noVal = lossTraces([epoch(1, { val_loss: null }), epoch(2, { val_loss: null })]);
    expect(noVal.map((t) => t.name)).toEqual(['Loss']);
    const gap = lossTraces([epoch(1, { val_loss: null }), epoch(2)]);
    expect(gap[1]?.y).toEqual([null, 0.6]);
    expect(lossTraces([])).toEqual([]);
    expect(metricValue(epoch(1, { val_loss: Number.NaN }), 'val_loss')).toBeNull();
  });

  it('rings the best epoch only on the chart that plots its metric', () => {
    const h = [epoch(1), epoch(2), epoch(3)];
    const best = { epoch: 2, metric: 'val_accuracy' };
    expect(bestMarkerTrace(h, best, ['loss', 'val_loss'])).toEqual([]);
    const [marker] = bestMarkerTrace(h, best, ['accuracy', 'val_accuracy']);
    expect(marker?.x).toEqual([2]);
    expect(marker?.y).toEqual([0.47]);
    expect(bestMarkerTrace(h, null, ['val_accuracy'])).toEqual([]);
    expect(bestMarkerTrace(h, { epoch: 9, metric: 'val_accuracy' }, ['val_accuracy'])).toEqual([]);
  });

  it('spans the x axis over all planned epochs and keeps zoom per run', () => {
    const layout = curveLayout({ yTitle: 'Loss', epochs: 8, revision: 'run-1' });
    expect(layout.xaxis?.range).toEqual([0.5, 8.5]);
    expect(layout.uirevision).toBe('run-1');
    const pct = curveLayout({ yTitle: 'Accuracy', epochs: 100, percent: true, revision: 'r' });
    expect(pct.yaxis?.tickformat).toBe('.0%');
    expect(pct.xaxis?.dtick).toBeUndefined();
  });
});
