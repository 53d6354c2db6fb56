import { describe, expect, it } from 'vitest';
import type { RunStatus } from '../../src-shared/contract/training.js';
import {
  applyRunEvent,
  canResume,
  canStop,
  epochsDone,
  formatElapsed,
  formatMetric,
  formatRate,
  mergeEpoch,
  runFraction,
} from '../../src-renderer/lib/run-state.js';
import { epoch, run } from './training-fixtures.js';

const STATUSES: RunStatus[] = [
  'pending',
  'running',
  'completed',
  'failed',
  'stopped',
  'interrupted',
];

describe('run controls', () => {
  it('enables Stop for live runs and Resume for stopped or interrupted ones, never both', () => {
    expect(STATUSES.filter(canStop)).toEqual(['pending', 'running']);
    expect(STATUSES.filter(canResume)).toEqual(['stopped', 'interrupted']);
    for (const s of STATUSES) expect(canStop(s) && canResume(s)).toBe(false);
  });
});

describe('applyRunEvent', () => {
  it('appends epochs live, replacing a repeated epoch instead of duplicating it', () => {
    let r = run();
    r = applyRunEvent(r, { type: 'epoch', run_id: r.run_id, metrics: epoch(1) });
    r = applyRunEvent(r, { type: 'epoch', run_id: r.run_id, metrics: epoch(2) });
    r = applyRunEvent(r, {
      type: 'epoch',
      run_id: r.run_id,
      metrics: epoch(2, { loss: 0.1 }),
    });
    expect(r.metrics.history.map((h) => h.epoch)).toEqual([1, 2]);
    expect(r.metrics.history[1]?.loss).toBe(0.1);
    expect(epochsDone(r)).toBe(2);
  });

  it('takes progress, replaces the run on status, and ignores other runs and logs', () => {
    const r = run();
    const progress = {
      epoch: 2,
      epochs: 8,
      batch: 3,
      batches: 6,
      samples_per_second: 50,
      eta_seconds: 12,
      phase: 'training' as const,
    };
    expect(applyRunEvent(r, { type: 'progress', run_id: r.run_id, progress }).progress).toEqual(
      progress,
    );
    expect(applyRunEvent(r, { type: 'progress', run_id: 'run-ffffffff', progress })).toBe(r);
    const stopped = run({ status: 'stopped', message: 'Stopped by the user' });
    expect(applyRunEvent(r, { type: 'status', run: stopped }).status).toBe('stopped');
    expect(applyRunEvent(r, { type: 'status', run: run({ run_id: 'run-ffffffff' }) })).toBe(r);
    expect(
      applyRunEvent(r, { type: 'log', run_id: r.run_id, level: 'info', message: 'hello' }),
    ).toBe(r);
  });

  it('moves the last checkpoint with each epoch and the best one only on improvement', () => {
    let r = run(); // best_metric: val_accuracy
    const send = (n: number, acc: number) =>
      (r = applyRunEvent(r, {
        type: 'epoch',
        run_id: r.run_id,
        metrics: epoch(n, { val_accuracy: acc }),
      }));
    send(1, 0.5);
    expect(r.checkpoints.best?.epoch).toBe(1);
    send(2, 0.8);
    send(3, 0.8); // a tie is not an improvement
    send(4, 0.6);
    expect(r.checkpoints.last).toEqual({ epoch: 4, metric: 'val_accuracy', value: 0.6 });
    expect(r.checkpoints.best).toEqual({ epoch: 2, metric: 'val_accuracy', value: 0.8 });
    expect(r.metrics.best).toEqual(r.checkpoints.best);
    // A repeated older epoch (a reconnecting stream) leaves the checkpoints alone.
    send(1, 0.9);
    expect(r.checkpoints.last?.epoch).toBe(4);
    expect(r.checkpoints.best?.epoch).toBe(2);
    // Losses improve downwards.
    let l = run({ config: { ...run().config, best_metric: 'val_loss' } });
    for (const [n, v] of [
      [1, 0.9],
      [2, 0.4],
      [3, 0.5],
    ] as const) {
      l = applyRunEvent(l, { type: 'epoch', run_id: l.run_id, metrics: epoch(n, { val_loss: v }) });
    }
    expect(l.checkpoints.best?.epoch).toBe(2);
  });

  it('keeps history sorted when epochs arrive out of order', () => {
    expect(mergeEpoch([epoch(1), epoch(3)], epoch(2)).map((h) => h.epoch)).toEqual([1, 2, 3]);
  });
});

describe('progress and formatting', () => {
  it('counts finished epochs plus the share of the current one', () => {
    const p = {
      epoch: 3,
      epochs: 8,
      batch: 5,
      batches: 10,
      samples_per_second: 1,
      eta_seconds: null,
      phase: 'training' as const,
    };
    expect(runFraction(p, 'running')).toBeCloseTo(2.5 / 8);
    expect(runFraction({ ...p, phase: 'done' }, 'running')).toBe(1);
    expect(runFraction(null, 'completed')).toBe(1);
    expect(runFraction(null, 'running')).toBeNull();
    expect(runFraction({ ...p, epoch: 0, batches: 0 }, 'running')).toBe(0);
  });

  it('formats metrics, rates and durations for people', () => {
    expect(formatMetric('val_accuracy', 0.9333)).toBe('93.3 %');
    expect(formatMetric('loss', 0.123456)).toBe('0.1235');
    expect(formatMetric('loss', 0.00001234)).toBe('1.23e-5');
    expect(formatMetric('loss', null)).toBe('—');
    expect(formatRate(1534)).toBe('1.5k samples/s');
    expect(formatRate(87.4)).toBe('87 samples/s');
    expect(formatRate(0)).toBe('—');
    const t0 = '2025-01-01T00:00:00.000Z';
    expect(formatElapsed(t0, '2025-01-01T00:01:05.000Z', 0)).toBe('1 min 5 s');
    expect(formatElapsed(t0, null, Date.parse(t0) + 9000)).toBe('9 s');
    expect(formatElapsed(null, null, 0)).toBe('—');
  });
});
