import { describe, expect, it } from 'vitest';
import {
  checkpointScore,
  formatBest,
  formatMetricValue,
  metricPhrase,
  splitLabel,
} from '../../src-shared/format/metric-names.js';

describe('names before ids', () => {
  it('counts splits from one, keeping the name beside the number', () => {
    expect(splitLabel(0)).toBe('Split 1');
    expect(splitLabel(2, 'baseline')).toBe('Split 3 · baseline');
    expect(splitLabel(null, 'old')).toBe('Split (deleted) · old');
  });

  it('writes metric keys as words', () => {
    expect(metricPhrase('val_accuracy')).toBe('validation accuracy');
    expect(metricPhrase('accuracy')).toBe('training accuracy');
    expect(metricPhrase('val_loss')).toBe('validation loss');
    expect(metricPhrase('val_mae')).toBe('validation mean absolute error');
    expect(metricPhrase('f1_macro')).toBe('f1 macro');
  });

  it('shows accuracies as percentages and other metrics to four figures', () => {
    expect(formatMetricValue('val_accuracy', 1)).toBe('100 %');
    expect(formatMetricValue('accuracy', 0.9375)).toBe('93.8 %');
    expect(formatMetricValue('val_loss', 0.123456)).toBe('0.1235');
    expect(formatMetricValue('val_loss', null)).toBe('—');
  });

  it('says the best checkpoint in one phrase', () => {
    expect(formatBest({ metric: 'val_accuracy', value: 1, epoch: 37 })).toBe(
      'best validation accuracy 100 % at epoch 37',
    );
    expect(formatBest({ metric: 'val_loss', value: 0.25, epoch: 3 })).toBe(
      'best validation loss 0.25 at epoch 3',
    );
  });
});

describe('checkpoint scores', () => {
  it('reads as words and a value, or a dash when there is none', () => {
    expect(checkpointScore({ metric: 'val_accuracy', value: 0.5 })).toBe(
      'validation accuracy 50 %',
    );
    expect(checkpointScore(null)).toBe('—');
    expect(checkpointScore({ metric: 'val_loss', value: null })).toBe('—');
  });
});
