import * as tfl from '@tensorflow/tfjs-layers';
import { LayerKit } from './layers.js';

export interface ClassifierSpec {
  /** [height, width, channels] for images, [frames, mels, 1] for audio. */
  readonly inputShape: readonly [number, number, number];
  readonly numClasses: number;
  readonly dropout: number;
  readonly seed: number;
}

/**
 * small-cnn: conv16 → pool → conv32 → pool → conv64 → global average → dense. Three 3×3 'same'
 * convolutions with ReLU; global pooling keeps it independent of the input size and small
 * (about 24k weights at 3 channels).
 */
export function smallCnn(spec: ClassifierSpec): tfl.Sequential {
  const k = new LayerKit(spec.seed);
  const m = tfl.sequential({ name: 'small_cnn' });
  m.add(k.conv('conv1', 16, 3, {}, spec.inputShape));
  m.add(tfl.layers.maxPooling2d({ name: 'pool1', poolSize: 2 }));
  m.add(k.conv('conv2', 32, 3));
  m.add(tfl.layers.maxPooling2d({ name: 'pool2', poolSize: 2 }));
  m.add(k.conv('conv3', 64, 3));
  m.add(tfl.layers.globalAveragePooling2d({ name: 'gap' }));
  k.classifierHead(m, spec.numClasses, spec.dropout);
  return m;
}

/** Channels scaled by the width multiplier, rounded to a multiple of 8 (MobileNet's rule), at least 8. */
export function scaledChannels(filters: number, widthMultiplier: number): number {
  return Math.max(8, Math.round((filters * widthMultiplier) / 8) * 8);
}

/** (filters, stride) of each depthwise-separable block after the stem. */
const MOBILENET_BLOCKS: readonly (readonly [number, number])[] = [
  [64, 1],
  [128, 2],
  [128, 1],
  [256, 2],
  [256, 1],
];

/**
 * mobilenet-lite: MobileNet v1's pattern, shortened for small inputs: a stride-2 3×3 stem, five
 * depthwise-separable blocks (3×3 depthwise → BN → ReLU6 → 1×1 pointwise → BN → ReLU6), global
 * average, dense. Output stride 8, so 32×32 inputs end at 4×4. A plain chain (no residuals), so
 * it stays a Sequential the ONNX exporter walks layer by layer.
 */
export function mobilenetLite(spec: ClassifierSpec & { widthMultiplier: number }): tfl.Sequential {
  const k = new LayerKit(spec.seed);
  const c = (f: number): number => scaledChannels(f, spec.widthMultiplier);
  const relu6 = (name: string): tfl.layers.Layer => tfl.layers.reLU({ name, maxValue: 6 });
  const m = tfl.sequential({ name: 'mobilenet_lite' });
  m.add(
    k.conv('stem', c(32), 3, { strides: 2, activation: 'linear', useBias: false }, spec.inputShape),
  );
  m.add(k.batchNorm('stem_bn'));
  m.add(relu6('stem_relu'));
  MOBILENET_BLOCKS.forEach(([filters, stride], i) => {
    const b = `block${i + 1}`;
    m.add(k.depthwise(`${b}_dw`, stride));
    m.add(k.batchNorm(`${b}_dw_bn`));
    m.add(relu6(`${b}_dw_relu`));
    m.add(k.conv(`${b}_pw`, c(filters), 1, { activation: 'linear', useBias: false }));
    m.add(k.batchNorm(`${b}_pw_bn`));
    m.add(relu6(`${b}_pw_relu`));
  });
  m.add(tfl.layers.globalAveragePooling2d({ name: 'gap' }));
  k.classifierHead(m, spec.numClasses, spec.dropout);
  return m;
}

/**
 * audio-cnn on a log-mel spectrogram [frames, mels, 1]: conv16 → pool → conv32 → pool → conv64
 * → pool, then an average over time only, flattened (mel position is kept: a global average
 * over both axes would make a 500 Hz tone look like a 2 kHz one), then dense.
 */
export function audioCnn(spec: ClassifierSpec): tfl.Sequential {
  const k = new LayerKit(spec.seed);
  const m = tfl.sequential({ name: 'audio_cnn' });
  m.add(k.conv('conv1', 16, 3, {}, spec.inputShape));
  m.add(tfl.layers.maxPooling2d({ name: 'pool1', poolSize: 2, padding: 'same' }));
  m.add(k.conv('conv2', 32, 3));
  m.add(tfl.layers.maxPooling2d({ name: 'pool2', poolSize: 2, padding: 'same' }));
  m.add(k.conv('conv3', 64, 3));
  m.add(tfl.layers.maxPooling2d({ name: 'pool3', poolSize: 2, padding: 'same' }));
  const [, frames] = m.outputs[0]?.shape ?? [];
  m.add(tfl.layers.averagePooling2d({ name: 'time_avg', poolSize: [frames ?? 1, 1] }));
  m.add(tfl.layers.flatten({ name: 'flatten' }));
  k.classifierHead(m, spec.numClasses, spec.dropout);
  return m;
}

export interface MlpSpec {
  readonly inputFeatures: number;
  readonly hidden: readonly number[];
  readonly outputs: number;
  readonly dropout: number;
  readonly seed: number;
}

/** mlp: dense(h, ReLU) [→ dropout] per hidden layer, then a linear `output` layer. */
export function mlp(spec: MlpSpec): tfl.Sequential {
  const k = new LayerKit(spec.seed);
  const m = tfl.sequential({ name: 'mlp' });
  spec.hidden.forEach((units, i) => {
    m.add(k.dense(`dense${i + 1}`, units, 'relu', i === 0 ? [spec.inputFeatures] : undefined));
    if (spec.dropout > 0) m.add(k.dropout(`dropout${i + 1}`, spec.dropout));
  });
  m.add(
    k.dense(
      'output',
      spec.outputs,
      'linear',
      spec.hidden.length === 0 ? [spec.inputFeatures] : undefined,
    ),
  );
  return m;
}

/**
 * mobilenet-v2-transfer's trained part: MobileNetV2's pooled features [576] (cached per item,
 * see features/backbone.ts) → batch norm → dropout → dense. The batch norm standardises the
 * features (their scales differ by orders of magnitude between channels; standardised, a linear
 * head separates the shapes set where the raw ones do not). The backbone stays frozen; an export
 * puts it back in front (export/transfer-model.ts), so the shipped graph takes pixels.
 */
export function transferHead(spec: {
  readonly inputFeatures: number;
  readonly numClasses: number;
  readonly dropout: number;
  readonly seed: number;
}): tfl.Sequential {
  const k = new LayerKit(spec.seed);
  const m = tfl.sequential({ name: 'transfer_head' });
  m.add(
    tfl.layers.batchNormalization({
      name: 'features_bn',
      momentum: 0.9,
      epsilon: 1e-3,
      inputShape: [spec.inputFeatures],
    }),
  );
  k.classifierHead(m, spec.numClasses, spec.dropout);
  return m;
}

/**
 * mobilenet-v2-transfer with `fine_tune`: MobileNetV2's `block_12_add` [14, 14, 96] (cached) →
 * `block_13_expand` (1×1 conv to 576 with a bias: its pretrained batch norm is folded in when the
 * run starts, see pretrained/fine-tune-init.ts) → ReLU6 → global average → the transfer head.
 * So the last backbone layer before the features trains too, from its pretrained weights.
 */
export function fineTuneHead(spec: {
  readonly inputShape: readonly number[];
  readonly numClasses: number;
  readonly dropout: number;
  readonly seed: number;
}): tfl.Sequential {
  const k = new LayerKit(spec.seed);
  const m = tfl.sequential({ name: 'transfer_fine_tune' });
  m.add(
    k.conv('ft_block_13_expand', 576, 1, { activation: 'linear', useBias: true }, spec.inputShape),
  );
  m.add(tfl.layers.reLU({ name: 'ft_block_13_expand_relu', maxValue: 6 }));
  m.add(tfl.layers.globalAveragePooling2d({ name: 'ft_pool' }));
  m.add(tfl.layers.batchNormalization({ name: 'features_bn', momentum: 0.9, epsilon: 1e-3 }));
  k.classifierHead(m, spec.numClasses, spec.dropout);
  return m;
}

/**
 * speech-embedding-head on openWakeWord's speech embeddings [steps, 96] (cached per clip):
 * flatten → dense(64, ReLU) → dropout → dense, the shape of openWakeWord's own wake-word heads.
 */
export function speechEmbeddingHead(spec: {
  readonly inputShape: readonly number[];
  readonly numClasses: number;
  readonly dropout: number;
  readonly seed: number;
}): tfl.Sequential {
  const k = new LayerKit(spec.seed);
  const m = tfl.sequential({ name: 'speech_embedding_head' });
  m.add(tfl.layers.flatten({ name: 'flatten', inputShape: [...spec.inputShape] }));
  m.add(k.dense('dense1', 64, 'relu'));
  k.classifierHead(m, spec.numClasses, spec.dropout);
  return m;
}
