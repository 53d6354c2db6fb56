import { describe, expect, it } from 'vitest';
import { RunPrediction } from '../../src-shared/contract/predict.js';
import { parseRowText, probabilityBars, tryItMedia } from '../../src-renderer/lib/try-it.js';

describe('Try it helpers', () => {
  it('reads a row in column order, by name=value, or as a JSON object', () => {
    expect(parseRowText('1.5, 2 ,-3e-1')).toEqual({ row: [1.5, 2, -0.3] });
    expect(parseRowText('1 2\t3')).toEqual({ row: [1, 2, 3] });
    expect(parseRowText('a=1, b=2.5')).toEqual({ row: { a: 1, b: 2.5 } });
    expect(parseRowText('{"a": 1, "b": -2}')).toEqual({ row: { a: 1, b: -2 } });
  });

  it('says what is wrong with a row', () => {
    for (const bad of [
      '',
      '1, x',
      'a=1, 2',
      'a=',
      '{"a": "1"}',
      '{oops',
      '[1,2]x',
      '{"a": null}',
    ]) {
      expect(parseRowText(bad), bad).toHaveProperty('error');
    }
  });

  it('bars follow the answer: most probable first, widths in percent, only the first marked top', () => {
    const p = RunPrediction.parse({
      project_id: 'proj-00000000',
      run_id: 'run-00000000',
      checkpoint: 'best',
      task: 'classification',
      model_id: 'mv-00000000',
      kind: 'classification',
      top: { label: 'b', index: 1, probability: 0.7 },
      probabilities: [
        { label: 'b', index: 1, probability: 0.7 },
        { label: 'a', index: 0, probability: 0.3 },
      ],
      value: null,
      output: [0.3, 0.7],
      time_ms: 1,
      total_ms: 2,
      first_use: false,
    });
    expect(probabilityBars(p)).toEqual([
      { label: 'b', probability: 0.7, percent: 70, top: true },
      { label: 'a', probability: 0.3, percent: 30, top: false },
    ]);
  });

  it('each task takes its medium', () => {
    expect(tryItMedia('classification')).toBe('image');
    expect(tryItMedia('inspection')).toBe('image');
    expect(tryItMedia('audio-classification')).toBe('audio');
    expect(tryItMedia('wake-word')).toBe('audio');
    expect(tryItMedia('regression')).toBe('table');
  });
});
