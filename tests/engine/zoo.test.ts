import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveExperimentConfig } from '../../src-main/core/engine/config.js';
import { buildModel, PROBS_LAYER, scaledChannels } from '../../src-main/core/engine/zoo/index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const flat = (m: { getWeights(): tf.Tensor[] }): number[][] =>
  m.getWeights().map((w) => Array.from(w.dataSync()));

describe('model zoo', () => {
  it('small-cnn maps images to class probabilities, same seed → same weights', () => {
    const config = resolveExperimentConfig('classification', {
      architecture: 'small-cnn',
      seed: 7,
    });
    const a = buildModel(config, { inputShape: [32, 32, 3], numClasses: 4 });
    const b = buildModel(config, { inputShape: [32, 32, 3], numClasses: 4 });
    const c = buildModel({ ...config, seed: 8 }, { inputShape: [32, 32, 3], numClasses: 4 });
    expect(a.outputs[0]?.shape).toEqual([null, 4]);
    expect(a.layers.at(-1)?.name).toBe(PROBS_LAYER);
    expect(flat(a)).toEqual(flat(b));
    expect(flat(a)).not.toEqual(flat(c));
    const p = a.predict(tf.zeros([2, 32, 32, 3])) as tf.Tensor;
    expect(p.shape).toEqual([2, 4]);
    for (const s of tf.sum(p, 1).arraySync() as number[]) expect(s).toBeCloseTo(1, 5);
  });

  it('mobilenet-lite: width multiplier and input size are honoured', () => {
    const config = resolveExperimentConfig('classification', {
      architecture: 'mobilenet-lite',
      width_multiplier: 0.5,
      input: { width: 48, height: 40 },
    });
    const m = buildModel(config, { inputShape: [40, 48, 3], numClasses: 3 });
    expect(m.getLayer('stem').outputShape).toEqual([null, 20, 24, scaledChannels(32, 0.5)]);
    expect(m.getLayer('block5_pw').outputShape).toEqual([null, 5, 6, 128]);
    expect(m.layers.some((l) => l.getClassName() === 'DepthwiseConv2D')).toBe(true);
    expect(m.outputs[0]?.shape).toEqual([null, 3]);
    const wide = buildModel(
      { ...config, width_multiplier: 1 },
      { inputShape: [40, 48, 3], numClasses: 3 },
    );
    expect(wide.countParams()).toBeGreaterThan(m.countParams() * 2);
  });

  it('audio-cnn keeps mel position (averages over time only)', () => {
    const config = resolveExperimentConfig('audio-classification', {});
    const m = buildModel(config, { inputShape: [98, 40, 1], numClasses: 3 });
    expect(m.getLayer('flatten').outputShape).toEqual([null, 5 * 64]);
    expect(m.outputs[0]?.shape).toEqual([null, 3]);
  });

  it('mlp has the configured hidden layers and one linear output', () => {
    const config = resolveExperimentConfig('regression', { hidden_layers: [16, 8, 4] });
    const m = buildModel(config, { inputShape: [5], outputs: 1 });
    const dense = m.layers.filter((l) => l.getClassName() === 'Dense');
    expect(dense.map((l) => (l.outputShape as number[])[1])).toEqual([16, 8, 4, 1]);
    expect(m.outputs[0]?.shape).toEqual([null, 1]);
  });

  it('each model serialises to the tf.layers topology (what the ONNX exporter walks)', () => {
    for (const task of ['classification', 'audio-classification'] as const) {
      const config = resolveExperimentConfig(
        task,
        task === 'classification' ? { architecture: 'small-cnn' } : {},
      );
      const shape = task === 'classification' ? [32, 32, 3] : [98, 40, 1];
      const json = buildModel(config, { inputShape: shape, numClasses: 2 }).toJSON(null, false);
      expect(JSON.stringify(json)).toContain('"class_name":"Sequential"');
    }
  });

  it('the transfer head: standardising batch norm, dropout, logits, probs on pooled features', () => {
    const config = resolveExperimentConfig('classification', {});
    expect(config.architecture).toBe('mobilenet-v2-transfer');
    const m = buildModel(config, { inputShape: [576], numClasses: 3 });
    expect(m.layers.map((l) => l.getClassName())).toEqual([
      'BatchNormalization',
      'Dropout',
      'Dense',
      'Activation',
    ]);
    expect(m.outputs[0]!.shape).toEqual([null, 3]);
    const speech = resolveExperimentConfig('audio-classification', {
      architecture: 'speech-embedding-head',
    });
    const h = buildModel(speech, { inputShape: [12, 96, 1], numClasses: 2 });
    expect(h.outputs[0]!.shape).toEqual([null, 2]);
  });
});
