import * as vm from 'node:vm';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { AppError } from '../../errors.js';
import { type VerifiedModel, loadVerifiedModel } from './resolve.js';

export const MOBILENET_V2 = 'mobilenet-v2';

/** The backbone's feature taps and their per-sample shapes (NHWC). */
export const MOBILENET_TAPS = {
  block_6_expand_relu: [28, 28, 192],
  block_13_expand_relu: [14, 14, 576],
  out_relu: [7, 7, 1280],
} as const;
export type MobileNetTap = keyof typeof MOBILENET_TAPS;
export const TAP_NAMES = Object.keys(MOBILENET_TAPS) as MobileNetTap[];

/**
 * What a transfer head trains on: the global average of `block_13_expand_relu` [576]. Measured
 * on the three-shapes set (logistic regression on standardised features, 20 random 108/36
 * splits): this mid-level tap 100 %, `out_relu` (ImageNet's object-level view) 96–97 %, the two
 * concatenated 99.4 %. The list form keeps a concatenation of several taps one line away.
 */
export const POOLED_TAPS = ['block_13_expand_relu'] as const;
export const POOLED_FEATURES = 576;

/**
 * Fine-tuning trains `block_13_expand` (1×1 conv 96 → 576, its batch norm folded in) with the head,
 * so the features cached per item are its input: `block_12_add` [14, 14, 96]. The layers before it
 * hold residual additions; from here on the trained part is a plain chain.
 */
export const FINE_TUNE_INPUT = 'block_12_add';
export const FINE_TUNE_SHAPE = [14, 14, 96] as const;
export const MOBILENET_INPUT = { width: 224, height: 224, channels: 3 } as const;

/**
 * The value a UMD bundle exports. NSFWJS ships its model as minified JavaScript wrapping the
 * Keras JSON and a base64 weight string; the files are hash-checked before this runs, and they
 * run in an empty context (no require, process or globals), so all they can do is build a value.
 * JSON round-tripping brings the value into this realm (tfjs iterates its arrays).
 */
function umdValue(source: Buffer, what: string): unknown {
  const module = { exports: {} as unknown };
  try {
    vm.runInNewContext(
      source.toString('utf8'),
      { module, exports: module.exports },
      {
        timeout: 10_000,
      },
    );
    return JSON.parse(JSON.stringify(module.exports)) as unknown;
  } catch (err) {
    throw new AppError(
      'unprocessable',
      `cannot read MobileNetV2's ${what}: ${(err as Error).message}`,
    );
  }
}

interface LayersArtifacts {
  readonly modelTopology: tf.io.ModelJSON['modelTopology'];
  readonly weightsManifest: tf.io.WeightsManifestConfig;
}

/** The whole NSFWJS model (backbone + its 5-class head) on the current tfjs backend. */
export async function loadMobileNetV2Full(
  verified?: VerifiedModel,
): Promise<{ model: tfl.LayersModel; verified: VerifiedModel }> {
  const v = verified ?? (await loadVerifiedModel(MOBILENET_V2));
  const topology = umdValue(v.files.get('topology') as Buffer, 'topology') as LayersArtifacts;
  const weights = umdValue(v.files.get('weights') as Buffer, 'weights');
  if (typeof weights !== 'string' || !topology.modelTopology || !topology.weightsManifest) {
    throw new AppError('unprocessable', 'MobileNetV2 files do not hold a layers model');
  }
  const bytes = Buffer.from(weights, 'base64');
  const model = await tfl.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: topology.modelTopology,
      weightSpecs: topology.weightsManifest.flatMap((g) => g.weights),
      weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
    }),
  );
  return { model, verified: v };
}

export interface MobileNetBackbone {
  /** Input [224, 224, 3] pixels ÷ 255 → pooled features [576], the three taps, `block_12_add`. */
  readonly model: tfl.LayersModel;
  readonly verified: VerifiedModel;
  dispose(): void;
}

/** Global averages of the pooled taps, concatenated (see {@link POOLED_TAPS}). */
export function pooledFeatures(model: tfl.LayersModel): tfl.SymbolicTensor {
  const pooled = POOLED_TAPS.map((n) =>
    tfl.layers
      .globalAveragePooling2d({ name: `${n}_pool` })
      .apply(model.getLayer(n).output as tfl.SymbolicTensor),
  ) as tfl.SymbolicTensor[];
  if (pooled.length === 1) return pooled[0] as tfl.SymbolicTensor;
  return tfl.layers
    .concatenate({ name: 'pooled_features', axis: -1 })
    .apply(pooled) as tfl.SymbolicTensor;
}

/**
 * The backbone without the NSFWJS head: outputs the pooled features a transfer head trains on
 * ([576]), followed by the three taps.
 */
export async function loadMobileNetBackbone(verified?: VerifiedModel): Promise<MobileNetBackbone> {
  const full = await loadMobileNetV2Full(verified);
  const taps = TAP_NAMES.map((n) => full.model.getLayer(n).output as tfl.SymbolicTensor);
  const pooled = pooledFeatures(full.model);
  const fineTune = full.model.getLayer(FINE_TUNE_INPUT).output as tfl.SymbolicTensor;
  const model = tfl.model({
    name: 'mobilenet_v2_backbone',
    inputs: full.model.inputs,
    outputs: [pooled, ...taps, fineTune],
  });
  return { model, verified: full.verified, dispose: () => full.model.dispose() };
}
