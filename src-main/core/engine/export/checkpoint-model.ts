import { readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
// The main process has no training backend; exports and evaluation need one to load a model.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { EpochMetrics } from '../../../../src-shared/contract/training.js';
import { AppError } from '../../errors.js';
import type { ModelMeta } from '../trainer/checkpoint.js';
import { composeTransferModel } from './transfer-model.js';

/** A checkpoint folder's model.json, as the trainer writes it (layers format + our metadata). */
export interface CheckpointModelJson {
  readonly format: string;
  readonly modelTopology: tf.io.ModelJSON['modelTopology'];
  readonly weightsManifest: tf.io.WeightsManifestConfig;
  readonly userDefinedMetadata?: { readonly assay?: ModelMeta };
}

export interface CheckpointFiles {
  readonly dir: string;
  readonly modelJson: CheckpointModelJson;
  readonly weights: Uint8Array;
  readonly meta: ModelMeta;
  /** The run's epoch history up to this checkpoint (state.json), empty when absent. */
  readonly history: readonly EpochMetrics[];
}

/**
 * Reads a checkpoint folder (runDir/checkpoints/best or last): model.json, weights.bin and the
 * history from state.json. A missing folder is not_found; a folder without a readable model is
 * unprocessable (it was not written by the trainer).
 */
export async function readCheckpointFiles(dir: string): Promise<CheckpointFiles> {
  const exists = await stat(dir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!exists) throw new AppError('not_found', `checkpoint ${path.basename(dir)} not found`);
  let modelJson: CheckpointModelJson;
  let weights: Uint8Array;
  try {
    modelJson = JSON.parse(
      await readFile(path.join(dir, 'model.json'), 'utf8'),
    ) as CheckpointModelJson;
    weights = new Uint8Array(await readFile(path.join(dir, 'weights.bin')));
  } catch (err) {
    throw new AppError(
      'unprocessable',
      `checkpoint ${path.basename(dir)} has no readable model: ${(err as Error).message}`,
    );
  }
  const meta = modelJson.userDefinedMetadata?.assay;
  if (modelJson.format !== 'layers-model' || !meta) {
    throw new AppError(
      'unprocessable',
      `checkpoint ${path.basename(dir)} is not an Assay layers model`,
    );
  }
  let history: readonly EpochMetrics[] = [];
  try {
    const state = JSON.parse(await readFile(path.join(dir, 'state.json'), 'utf8')) as {
      history?: EpochMetrics[];
    };
    history = state.history ?? [];
  } catch {
    // A bare model folder (an imported layers model) has no training state: no metrics.
  }
  return { dir, modelJson, weights, meta, history };
}

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
