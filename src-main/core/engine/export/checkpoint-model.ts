// The main process has no training backend; exports and evaluation need one to load a model.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { CheckpointFiles } from './checkpoint-files.js';
import { composeTransferModel } from './transfer-model.js';

export {
  readCheckpointFiles,
  type CheckpointFiles,
  type CheckpointModelJson,
} from './checkpoint-files.js';

/**
 * Builds the tfjs model of a checkpoint on the current tfjs backend: the whole model, so a
 * transfer run's checkpoint (its trained head) comes back behind its pretrained backbone.
 */
export async function loadCheckpointModel(files: CheckpointFiles): Promise<tfl.LayersModel> {
  const trained = await loadTrainedLayers(files);
  if (!files.meta.backbone) return trained;
  try {
    return await composeTransferModel(trained, files.meta.backbone);
  } catch (err) {
    trained.dispose();
    throw err;
  }
}

/** The layers the run trained, as stored (a transfer run: the head alone). */
export async function loadTrainedLayers(files: CheckpointFiles): Promise<tfl.LayersModel> {
  const weightSpecs = files.modelJson.weightsManifest.flatMap((g) => g.weights);
  const w = files.weights;
  const buffer = w.buffer.slice(w.byteOffset, w.byteOffset + w.byteLength) as ArrayBuffer;
  return tfl.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: files.modelJson.modelTopology,
      weightSpecs,
      weightData: buffer,
    }),
  );
}
