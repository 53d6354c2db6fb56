import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { AppError } from '../../errors.js';
import {
  FINE_TUNE_INPUT,
  loadMobileNetV2Full,
  MOBILENET_V2,
  pooledFeatures,
} from '../pretrained/mobilenet-v2.js';
import type { ModelMeta } from '../trainer/checkpoint.js';
import type { CheckpointFiles, CheckpointModelJson } from './checkpoint-model.js';

/**
 * The whole model of a transfer run: MobileNetV2 up to its pooled taps (the features the head
 * was trained on, mobilenet-v2.ts), then the trained head's layers (weights shared, not copied), as one functional model from pixels
 * [224, 224, 3] to class probabilities. Exports (ONNX, TF.js) and evaluation use it, so what ships
 * is one graph that takes the preprocessed image. The pretrained files are hash-checked, and must
 * be those the run trained on.
 */
export async function composeTransferModel(
  head: tfl.LayersModel,
  backbone: NonNullable<ModelMeta['backbone']>,
): Promise<tfl.LayersModel> {
  if (backbone.id !== MOBILENET_V2) {
    throw new AppError('unprocessable', `unknown pretrained backbone ${backbone.id}`);
  }
  const full = await loadMobileNetV2Full();
  if (full.verified.hash !== backbone.source_sha256) {
    full.model.dispose();
    throw new AppError(
      'unprocessable',
      `this run was trained on other MobileNetV2 weights than the installed ones (nsfwjs ${full.verified.manifest.package.version}); train it again`,
    );
  }
  // A fine-tuned run trained from block_12_add on; a frozen one from the pooled features.
  let h =
    backbone.output === FINE_TUNE_INPUT
      ? (full.model.getLayer(FINE_TUNE_INPUT).output as tfl.SymbolicTensor)
      : pooledFeatures(full.model);
  for (const layer of head.layers) {
    if (layer.getClassName() === 'InputLayer') continue;
    h = layer.apply(h) as tfl.SymbolicTensor;
  }
  const model = tfl.model({ name: 'mobilenet_v2_transfer', inputs: full.model.inputs, outputs: h });
  // NSFWJS' own head is not part of the composed model: free its weights now.
  for (const layer of full.model.layers) {
    if (!model.layers.includes(layer)) layer.dispose();
  }
  return model;
}

/**
 * The TF.js layers files of a checkpoint's whole model: the checkpoint's own for a model trained
 * end to end; for a transfer run, the composed model serialised afresh (its metadata kept).
 */
export async function layersArtifactsOf(
  files: CheckpointFiles,
): Promise<{ modelJson: CheckpointModelJson; weights: Uint8Array }> {
  if (!files.meta.backbone) return { modelJson: files.modelJson, weights: files.weights };
  const { loadCheckpointModel } = await import('./checkpoint-model.js');
  const model = await loadCheckpointModel(files);
  try {
    let saved: tf.io.ModelArtifacts | null = null;
    await model.save(
      tf.io.withSaveHandler(async (a) => {
        saved = a;
        return { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: 'JSON' } };
      }),
    );
    const a = saved as tf.io.ModelArtifacts | null;
    if (!a?.weightSpecs || !a.weightData) throw new Error('the composed model did not serialise');
    const data =
      a.weightData instanceof ArrayBuffer
        ? a.weightData
        : tf.io.concatenateArrayBuffers(a.weightData);
    return {
      modelJson: {
        format: 'layers-model',
        modelTopology: a.modelTopology as CheckpointModelJson['modelTopology'],
        weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs }],
        userDefinedMetadata: { assay: files.meta },
      },
      weights: new Uint8Array(data),
    };
  } finally {
    model.dispose();
  }
}
