import { describe, expect, it } from 'vitest';
import { cellQuery, confusionHeatmap } from '../../src-renderer/lib/evaluation-traces.js';
import { DEFAULT_ONNX_DRAFT, onnxOptions } from '../../src-renderer/lib/export-draft.js';

describe('confusion heatmap', () => {
  it('colours by row share, labels counts and shares, true class top to bottom', () => {
    const { trace, layout } = confusionHeatmap(
      ['cat', 'dog'],
      [
        [3, 1],
        [0, 0],
      ],
    );
    expect(trace.z).toEqual([
      [0.75, 0.25],
      [0, 0],
    ]);
    expect(trace.text).toEqual([
      ['3<br>75%', '1<br>25%'],
      ['0<br>0%', '0<br>0%'],
    ]);
    expect(trace.x).toEqual(['cat', 'dog']);
    expect(layout.yaxis).toMatchObject({ autorange: 'reversed' });
  });

  it('a clicked cell opens its true class, correct only on the diagonal', () => {
    expect(cellQuery('cat', 'cat')).toEqual({ filter_class: 'cat', filter_predicted: 'cat' });
    expect(cellQuery('cat', 'dog')).toEqual({ filter_class: 'cat', filter_predicted: 'dog' });
  });
});

describe('ONNX export form', () => {
  it('turns the defaults into a dynamic-batch, simplified opset-17 request', () => {
    expect(onnxOptions(DEFAULT_ONNX_DRAFT)).toEqual({
      ok: true,
      options: {
        opset_version: 17,
        simplify: true,
        dynamic_axes: { input: { '0': 'batch_size' }, output: { '0': 'batch_size' } },
      },
    });
  });

  it('parses an input shape and refuses what cannot be one', () => {
    const base = { ...DEFAULT_ONNX_DRAFT, dynamicBatch: false, simplify: false };
    expect(onnxOptions({ ...base, inputShape: '1, 3,224 224' })).toEqual({
      ok: true,
      options: { opset_version: 17, simplify: false, input_shape: [1, 3, 224, 224] },
    });
    for (const inputShape of ['3', '1, x, 2', '1, 0, 2', '1.5, 2']) {
      expect(onnxOptions({ ...base, inputShape }).ok).toBe(false);
    }
    for (const opset of ['12', '18', 'abc', '']) {
      expect(onnxOptions({ ...base, opset })).toMatchObject({ ok: false });
    }
  });
});
