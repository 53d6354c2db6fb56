import { describe, expect, it } from 'vitest';
import { liveCurveData, liveXRange, liveYRange } from '../../src-renderer/lib/live-curves.js';
import { epoch } from './training-fixtures.js';

describe('live training curves', () => {
  it('aligns train and validation values on the finished epochs, in epoch order', () => {
    const data = liveCurveData([epoch(2), epoch(1), epoch(3)], ['loss', 'val_loss'], null);
    expect(data.epochs).toEqual([1, 2, 3]);
    expect(data.series.map((s) => s.label)).toEqual(['Loss', 'Validation loss']);
    expect(data.series[0]?.values).toEqual([1, 0.5, 1 / 3]);
    expect(data.series.map((s) => s.dashed)).toEqual([false, true]);
    expect(data.points).toBe(3);
    expect(data.best).toBeNull();
  });

  it('draws the first point from the first epoch', () => {
    const data = liveCurveData([epoch(1)], ['accuracy', 'val_accuracy'], null);
    expect(data.points).toBe(1);
    expect(liveCurveData([], ['loss', 'val_loss'], null).points).toBe(0);
  });

  it('leaves out a series that has no value in any epoch', () => {
    const rows = [1, 2].map((n) => epoch(n, { val_loss: null }));
    const data = liveCurveData(rows, ['loss', 'val_loss'], null);
    expect(data.series.map((s) => s.name)).toEqual(['loss']);
  });

  it('rings the best epoch only on the chart of the metric that picks it', () => {
    const rows = [epoch(1), epoch(2), epoch(3)];
    const best = { epoch: 2, metric: 'val_loss' };
    expect(liveCurveData(rows, ['loss', 'val_loss'], best).best).toEqual([null, 0.6, null]);
    expect(liveCurveData(rows, ['accuracy', 'val_accuracy'], best).best).toBeNull();
  });

  it('keeps a marker at 100 % and at the last epoch inside the axes', () => {
    const data = liveCurveData([epoch(1)], ['accuracy', 'val_accuracy'], null);
    const [, top] = liveYRange(data, true);
    expect(top).toBeGreaterThan(1);
    expect(liveXRange(20)).toEqual([0.5, 20.5]);
    const loss = liveCurveData([epoch(1)], ['loss', 'val_loss'], null);
    expect(liveYRange(loss, false)[1]).toBeGreaterThan(1.2);
  });
});
