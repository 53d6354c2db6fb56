import { describe, expect, it } from 'vitest';
import { liveCurveData } from '../../src-renderer/lib/live-curves.js';
import { curveMetricFor, metricValue } from '../../src-renderer/lib/training-traces.js';
import { epoch } from './training-fixtures.js';

describe('training curves', () => {
  it('plots accuracy for classifiers and MAE for regression', () => {
    expect(curveMetricFor('classification')).toBe('accuracy');
    expect(curveMetricFor('audio-classification')).toBe('accuracy');
    expect(curveMetricFor('regression')).toBe('mae');
    const mae = liveCurveData(
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
      ['mae', 'val_mae'],
      null,
    );
    expect(mae.series.map((s) => s.values)).toEqual([[1.5], [2]]);
  });

  it('keeps a missing or non-finite value as a gap', () => {
    expect(metricValue(epoch(1, { val_loss: Number.NaN }), 'val_loss')).toBeNull();
    const gap = liveCurveData([epoch(1, { val_loss: null }), epoch(2)], ['loss', 'val_loss'], null);
    expect(gap.series[1]?.values).toEqual([null, 0.6]);
  });
});
