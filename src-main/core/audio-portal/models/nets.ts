/**
 * The two neural families, tfjs layers over the shared front end's windows
 * [WINDOW_FRAMES, FRAME_FEATURES]. Loaded only in worker threads: the main thread never loads tfjs.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { deriveSeed } from '../../splits/prng.js';
import { LayerKit } from '../../engine/zoo/layers.js';
import { FRAME_FEATURES, WINDOW_FRAMES } from './features.js';

export type NetFamily = 'CNN' | 'TRANSFORMER';

const glorot = (seed: number, name: string) =>
  tfl.initializers.glorotUniform({ seed: deriveSeed(seed, name) });

/** A small log-mel CNN: two conv blocks, an average over time (band position kept), dense. */
export function buildCnn(classes: number, seed: number): tfl.LayersModel {
  const k = new LayerKit(seed);
  const m = tfl.sequential({ name: 'audio_portal_cnn' });
  m.add(
    tfl.layers.reshape({
      targetShape: [WINDOW_FRAMES, FRAME_FEATURES, 1],
      inputShape: [WINDOW_FRAMES, FRAME_FEATURES],
    }),
  );
  m.add(k.conv('conv1', 8, 3));
  m.add(tfl.layers.maxPooling2d({ name: 'pool1', poolSize: [4, 2], padding: 'same' }));
  m.add(k.conv('conv2', 16, 3));
  m.add(tfl.layers.maxPooling2d({ name: 'pool2', poolSize: [4, 2], padding: 'same' }));
  const [, frames] = m.outputs[0]?.shape ?? [];
  m.add(tfl.layers.averagePooling2d({ name: 'time_avg', poolSize: [frames ?? 1, 1] }));
  m.add(tfl.layers.flatten({ name: 'flatten' }));
  m.add(k.dense('hidden', 32, 'relu'));
  m.add(
    tfl.layers.dense({
      name: 'probs',
      units: classes,
      activation: 'softmax',
      kernelInitializer: glorot(seed, 'probs'),
    }),
  );
  return m;
}

/**
 * A one-block transformer encoder over mel frames. tfjs-layers has no MultiHeadAttention, so the
 * self-attention is composed: Dense projections to queries, keys and values, their dot products
 * (Dot over the feature axis), a softmax over keys, the weighted sum of values (Dot again), then
 * the residual Add + LayerNormalization and a position-wise feed-forward block. Frames are first
 * pooled 4× in time and passed through a Conv1D, whose kernel gives each frame its neighbours'
 * order (the encoder's position information).
 */
export function buildTransformer(classes: number, seed: number, dim = 32): tfl.LayersModel {
  const init = (name: string) => glorot(seed, name);
  const dense = (name: string, units: number, activation: 'relu' | 'linear' = 'linear') =>
    tfl.layers.dense({ name, units, activation, kernelInitializer: init(name) });
  const input = tfl.input({ shape: [WINDOW_FRAMES, FRAME_FEATURES], name: 'frames' });
  const pooled = tfl.layers
    .averagePooling1d({ name: 'time_pool', poolSize: 4, padding: 'same' })
    .apply(input) as tfl.SymbolicTensor;
  const x = tfl.layers
    .conv1d({
      name: 'embed',
      filters: dim,
      kernelSize: 3,
      padding: 'same',
      activation: 'relu',
      kernelInitializer: init('embed'),
    })
    .apply(pooled) as tfl.SymbolicTensor;
  // Queries carry 1/√dim in their initial scale: the scores start near unit variance.
  const q = tfl.layers
    .dense({
      name: 'query',
      units: dim,
      kernelInitializer: tfl.initializers.randomNormal({
        stddev: 1 / dim,
        seed: deriveSeed(seed, 'query'),
      }),
    })
    .apply(x) as tfl.SymbolicTensor;
  const key = dense('key', dim).apply(x) as tfl.SymbolicTensor;
  const value = dense('value', dim).apply(x) as tfl.SymbolicTensor;
  const scores = tfl.layers
    .dot({ name: 'scores', axes: [2, 2] })
    .apply([q, key]) as tfl.SymbolicTensor;
  const weights = tfl.layers
    .softmax({ name: 'attention', axis: -1 })
    .apply(scores) as tfl.SymbolicTensor;
  const attended = tfl.layers
    .dot({ name: 'attend', axes: [2, 1] })
    .apply([weights, value]) as tfl.SymbolicTensor;
  const projected = dense('attn_out', dim).apply(attended) as tfl.SymbolicTensor;
  const res1 = tfl.layers.add({ name: 'res1' }).apply([x, projected]) as tfl.SymbolicTensor;
  const norm1 = tfl.layers.layerNormalization({ name: 'norm1' }).apply(res1) as tfl.SymbolicTensor;
  const ff = dense('ff_out', dim).apply(
    dense('ff_in', dim * 2, 'relu').apply(norm1),
  ) as tfl.SymbolicTensor;
  const res2 = tfl.layers.add({ name: 'res2' }).apply([norm1, ff]) as tfl.SymbolicTensor;
  const norm2 = tfl.layers.layerNormalization({ name: 'norm2' }).apply(res2) as tfl.SymbolicTensor;
  const summary = tfl.layers
    .globalAveragePooling1d({ name: 'mean_over_time' })
    .apply(norm2) as tfl.SymbolicTensor;
  const probs = tfl.layers
    .dense({
      name: 'probs',
      units: classes,
      activation: 'softmax',
      kernelInitializer: init('probs'),
    })
    .apply(summary) as tfl.SymbolicTensor;
  return tfl.model({ name: 'audio_portal_transformer', inputs: input, outputs: probs });
}

export const buildNet = (family: NetFamily, classes: number, seed: number): tfl.LayersModel =>
  family === 'CNN' ? buildCnn(classes, seed) : buildTransformer(classes, seed);

/** Standardisation of the front end's values, fitted on the training windows (one mean, one scale per feature). */
export interface Norm {
  readonly mean: number[];
  readonly std: number[];
}

export function fitNorm(windows: readonly Float32Array[]): Norm {
  const sum = new Float64Array(FRAME_FEATURES);
  const sq = new Float64Array(FRAME_FEATURES);
  let n = 0;
  for (const w of windows) {
    for (let i = 0; i < w.length; i++) {
      const f = i % FRAME_FEATURES;
      sum[f]! += w[i]!;
      sq[f]! += w[i]! * w[i]!;
    }
    n += w.length / FRAME_FEATURES;
  }
  const mean = [...sum].map((s) => s / Math.max(1, n));
  const std = [...sq].map((s, f) => Math.sqrt(Math.max(1e-8, s / Math.max(1, n) - mean[f]! ** 2)));
  return { mean, std };
}

export function batchTensor(windows: readonly Float32Array[], norm: Norm): tf.Tensor3D {
  const size = WINDOW_FRAMES * FRAME_FEATURES;
  const data = new Float32Array(windows.length * size);
  windows.forEach((w, b) => {
    for (let i = 0; i < size; i++) {
      const f = i % FRAME_FEATURES;
      data[b * size + i] = (w[i]! - norm.mean[f]!) / norm.std[f]!;
    }
  });
  return tf.tensor3d(data, [windows.length, WINDOW_FRAMES, FRAME_FEATURES]);
}

export interface FitOptions {
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly seed: number;
  readonly onEpoch: (epoch: number, logs: Readonly<Record<string, number>>) => void;
}

/** Trains in place with Adam on one-hot labels; the data are shuffled by a seeded order per epoch. */
export async function fitNet(
  model: tfl.LayersModel,
  x: tf.Tensor3D,
  labels: readonly number[],
  classes: number,
  val: { x: tf.Tensor3D; labels: readonly number[] } | null,
  o: FitOptions,
): Promise<void> {
  model.compile({
    optimizer: tf.train.adam(o.learningRate),
    loss: 'categoricalCrossentropy',
    metrics: ['accuracy'],
  });
  const y = tf.oneHot(tf.tensor1d([...labels], 'int32'), classes);
  const vy = val ? tf.oneHot(tf.tensor1d([...val.labels], 'int32'), classes) : null;
  try {
    await model.fit(x, y, {
      epochs: o.epochs,
      batchSize: o.batchSize,
      shuffle: true,
      yieldEvery: 'never',
      verbose: 0,
      ...(val && vy ? { validationData: [val.x, vy] as [tf.Tensor, tf.Tensor] } : {}),
      callbacks: {
        onEpochEnd: async (epoch, logs) =>
          o.onEpoch(epoch + 1, (logs ?? {}) as Record<string, number>),
      },
    });
  } finally {
    y.dispose();
    vy?.dispose();
  }
}

/** Softmax outputs, one row per window. */
export function predictNet(
  model: tfl.LayersModel,
  windows: readonly Float32Array[],
  norm: Norm,
): number[][] {
  if (windows.length === 0) return [];
  return tf.tidy(() => {
    const x = batchTensor(windows, norm);
    return (model.predict(x) as tf.Tensor2D).arraySync();
  });
}

/** A model as two files' contents (topology + weight manifest, weights), and back. */
export async function serialiseNet(
  model: tfl.LayersModel,
): Promise<{ json: string; weights: Buffer }> {
  let out: { json: string; weights: Buffer } | null = null;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      const data = a.weightData;
      const buf =
        data instanceof ArrayBuffer
          ? Buffer.from(data)
          : Buffer.concat((data ?? []).map((d) => Buffer.from(d)));
      out = {
        json: JSON.stringify({ modelTopology: a.modelTopology, weightSpecs: a.weightSpecs }),
        weights: buf,
      };
      return { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: 'JSON' } };
    }),
  );
  if (!out) throw new Error('the model could not be serialised');
  return out;
}

export async function deserialiseNet(json: string, weights: Buffer): Promise<tfl.LayersModel> {
  const parsed = JSON.parse(json) as {
    modelTopology: object;
    weightSpecs: tf.io.WeightsManifestEntry[];
  };
  const data = weights.buffer.slice(
    weights.byteOffset,
    weights.byteOffset + weights.byteLength,
  ) as ArrayBuffer;
  return tfl.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: parsed.modelTopology,
      weightSpecs: parsed.weightSpecs,
      weightData: data,
    }),
  );
}
