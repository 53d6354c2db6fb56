// The audio portal's model parts on their own: the 16 kHz front end, the polyphase resampler,
// the summary features, the forest's probabilities, the scores and the vote weights, and the
// transformer built from Dense/Dot/Softmax/Add/LayerNormalization saved and loaded unchanged.
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { generateClip } from '../../src-main/core/audio-portal/generate.js';
import {
  FRAME_FEATURES,
  segmentsWithEvents,
  toModelRate,
  WINDOW_FRAMES,
  windowFeatures,
} from '../../src-main/core/audio-portal/models/features.js';
import { trainForest, loadForest } from '../../src-main/core/audio-portal/models/forest.js';
import {
  agreement,
  combine,
  fitVoteWeights,
  score,
} from '../../src-main/core/audio-portal/models/metrics.js';
import {
  buildTransformer,
  deserialiseNet,
  fitNorm,
  predictNet,
  serialiseNet,
} from '../../src-main/core/audio-portal/models/nets.js';
import { resamplePoly } from '../../src-main/core/audio-portal/models/resample-poly.js';
import {
  SUMMARY_FEATURES,
  summaryFeatures,
} from '../../src-main/core/audio-portal/models/summary.js';

const tone = (hz: number, rate: number, seconds = 1): Float32Array =>
  Float32Array.from({ length: rate * seconds }, (_, i) => Math.sin((2 * Math.PI * hz * i) / rate));
const rms = (x: Float32Array): number => {
  const mid = x.subarray(200, x.length - 200);
  return Math.sqrt(mid.reduce((s, v) => s + v * v, 0) / mid.length);
};

describe('audio portal front end', () => {
  it('resamples to 16 kHz keeping the band the models hear and removing what would alias', () => {
    const kept = resamplePoly(tone(1000, 22050), 22050, 16000);
    expect(kept).toHaveLength(16000);
    expect(rms(kept)).toBeCloseTo(Math.SQRT1_2, 2);
    expect(rms(resamplePoly(tone(10_000, 22050), 22050, 16000))).toBeLessThan(0.01);
    // 48 kHz → 16 kHz and an odd rate (11025) too.
    expect(rms(resamplePoly(tone(440, 48000), 48000, 16000))).toBeCloseTo(Math.SQRT1_2, 2);
    expect(resamplePoly(tone(440, 11025), 11025, 16000)).toHaveLength(16000);
  });

  it('cuts a clip into its events and each event into 1 s windows of 40 mels + loudness', () => {
    const clip = generateClip({ seed: 3, label: 'gold', events: 2, seconds: 3 });
    const { segments, events } = segmentsWithEvents(toModelRate(clip.samples, clip.sampleRate));
    expect(events).toHaveLength(2);
    expect(segments).toHaveLength(2);
    for (const s of segments) {
      const w = windowFeatures(s);
      expect(w.length).toBeGreaterThanOrEqual(1);
      expect(w[0]).toHaveLength(WINDOW_FRAMES * FRAME_FEATURES);
      expect(w[0]!.every(Number.isFinite)).toBe(true);
    }
    // A 2.2 s stretch gives windows every 0.5 s plus one ending at its end.
    expect(windowFeatures(new Float32Array(35_200))).toHaveLength(4);
    // Silence has no events: the whole clip is judged.
    expect(segmentsWithEvents(new Float32Array(16000)).segments).toHaveLength(1);
  });

  it('summarises a segment with meyda into finite features, loud and quiet told apart', () => {
    const loud = summaryFeatures(tone(1000, 16000, 0.5));
    const quiet = summaryFeatures(tone(1000, 16000, 0.5).map((v) => v * 0.01));
    expect(loud).toHaveLength(SUMMARY_FEATURES);
    expect(loud.every(Number.isFinite)).toBe(true);
    expect(loud[SUMMARY_FEATURES - 1]).toBeCloseTo(0.5, 6);
    expect(loud[SUMMARY_FEATURES - 3]!).toBeGreaterThan(quiet[SUMMARY_FEATURES - 3]! * 50);
    expect(summaryFeatures(new Float32Array(10)).every(Number.isFinite)).toBe(true);
  });
});

describe('audio portal families and vote', () => {
  it("the forest's probabilities are its trees' shares and survive a save", () => {
    const rows = Array.from({ length: 60 }, (_, i) => [i % 3, (i % 3) * 2 + (i % 5) * 0.01, i % 7]);
    const labels = rows.map((r) => r[0]!);
    const forest = trainForest(rows, labels, 3, 7, 20);
    const p = forest.probabilities([
      [0, 0, 1],
      [2, 4, 3],
    ]);
    for (const row of p) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    expect(p[0]!.indexOf(Math.max(...p[0]!))).toBe(0);
    expect(p[1]!.indexOf(Math.max(...p[1]!))).toBe(2);
    const again = loadForest(JSON.parse(JSON.stringify(forest.toJSON())), 3);
    expect(again.probabilities([[0, 0, 1]])).toEqual(p.slice(0, 1));
  });

  it('scores per class with a confusion matrix, and agreement', () => {
    const s = score([0, 0, 1, 1, 2, 2], [0, 1, 1, 1, 2, 0], ['gold', 'iron', 'other']);
    expect(s.confusion_matrix).toEqual([
      [1, 1, 0],
      [0, 2, 0],
      [1, 0, 1],
    ]);
    expect(s.accuracy).toBeCloseTo(4 / 6, 4);
    expect(s.per_class.iron).toEqual({ precision: 0.6667, recall: 1, f1: 0.8, support: 2 });
    expect(s.per_class.other).toMatchObject({ precision: 1, recall: 0.5 });
    expect(agreement([0, 1, 2, 2], [0, 1, 1, 2])).toBe(0.75);
  });

  it('weights the vote toward the family that is right on the validation clips', () => {
    const right = [
      [0.9, 0.05, 0.05],
      [0.1, 0.8, 0.1],
      [0.2, 0.2, 0.6],
    ];
    const wrong = [
      [0.1, 0.8, 0.1],
      [0.7, 0.2, 0.1],
      [0.5, 0.4, 0.1],
    ];
    const w = fitVoteWeights([wrong, right], [0, 1, 2]);
    expect(w[1]).toBeGreaterThan(w[0]!);
    expect(w[0]! + w[1]!).toBeCloseTo(1, 9);
    combine([right[0]!, wrong[0]!], [1, 1]).forEach((v, i) =>
      expect(v).toBeCloseTo([0.5, 0.425, 0.075][i]!, 9),
    );
  });

  it('builds the composed-attention transformer, and a saved one predicts the same', async () => {
    await tf.setBackend('cpu');
    const model = buildTransformer(3, 5);
    expect(model.layers.map((l) => l.getClassName())).toEqual(
      expect.arrayContaining(['Dot', 'Softmax', 'Add', 'LayerNormalization']),
    );
    const windows = [0, 1].map(
      (s) =>
        windowFeatures(
          generateClip({ seed: s, label: 'iron', seconds: 1 }).samples.subarray(0, 16000),
        )[0]!,
    );
    const norm = fitNorm(windows);
    const before = predictNet(model, windows, norm);
    for (const row of before) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    const saved = await serialiseNet(model);
    const loaded = await deserialiseNet(saved.json, saved.weights);
    expect(predictNet(loaded, windows, norm)).toEqual(before);
  });
});
