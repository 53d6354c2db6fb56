import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { Task } from '../../../../src-shared/contract/projects.js';
import type { EpochMetrics, ExperimentConfig } from '../../../../src-shared/contract/training.js';
import type { PrngState } from '../data/prng.js';
import type { FeatureSpec } from '../features/cache.js';
import {
  type CheckpointName,
  type WriteHook,
  recoverCheckpointDir,
  writeCheckpointDirs,
} from './checkpoint-dir.js';
import type { Optimizer, OptimizerState } from './optimizers.js';
import type { BestState, EarlyStoppingState } from './schedule.js';

/**
 * What inference needs besides the weights (also written into model.json's
 * `userDefinedMetadata.assay`, so an exporter can read model.json alone).
 */
export interface ModelMeta {
  readonly task: Task;
  readonly architecture: ExperimentConfig['architecture'];
  /** Class names by output index; empty for regression. */
  readonly classes: readonly string[];
  /** One sample's shape: [h, w, c], [frames, mels, 1] or [features]. */
  readonly input_shape: readonly number[];
  readonly features:
    | FeatureSpec
    | { readonly kind: 'table'; readonly columns: readonly string[]; readonly target: string };
  /**
   * Applied to features after extraction: x' = (x − mean) / std, scalars (audio: over all
   * values of the training set; images: identity) or one per column (tables).
   */
  readonly normalization: { readonly mean: number | number[]; readonly std: number | number[] };
  /**
   * Regression only: the model predicts (y − mean) / std; an exported model folds
   * y = out·std + mean into its output layer.
   */
  readonly target_normalization: { readonly mean: number; readonly std: number } | null;
  /**
   * Transfer runs: the frozen pretrained model in front of the trained layers. The checkpoint
   * holds the trained part only; loading it for export or evaluation puts the two together
   * (export/transfer-model.ts), so `input_shape` and `features` describe the whole model's input.
   */
  readonly backbone?: {
    readonly id: string;
    /** Hash of the pretrained model's files (native-models manifest): the very weights trained on. */
    readonly source_sha256: string;
    /** Which pooled features the head takes (see pretrained/mobilenet-v2.ts). */
    readonly output: 'block_13_expand_relu_pooled' | 'block_12_add';
  };
}

/** Running sums of a partly trained epoch (a graceful stop lands between batches). */
export interface PartialEpoch {
  /** 0-based epoch in progress. */
  readonly epoch: number;
  /** Batches of it already applied. */
  readonly batch: number;
  readonly order: readonly number[];
  readonly sums: Readonly<Record<string, number>>;
  readonly seconds: number;
}

export interface TrainingState {
  readonly run_id: string;
  readonly config: ExperimentConfig;
  readonly meta: ModelMeta;
  readonly epochs_completed: number;
  readonly partial: PartialEpoch | null;
  /** The schedule is a function of the epoch: its state is the epoch and the rate it gave. */
  readonly lr_schedule: { readonly epoch: number; readonly learning_rate: number };
  readonly early_stopping: EarlyStoppingState;
  readonly best: BestState;
  readonly prng: PrngState;
  readonly history: readonly EpochMetrics[];
  readonly finished: 'finished' | 'early_stopped' | null;
}

interface StateFile extends TrainingState {
  readonly format: 'assay-training-checkpoint';
  readonly version: 1;
  readonly optimizer: {
    readonly name: 'adam' | 'sgd';
    readonly step: number;
    readonly slot_sizes: readonly number[];
  };
}

interface ModelJson {
  readonly modelTopology: unknown;
  readonly weightsManifest: readonly {
    paths: string[];
    weights: readonly { name: string; shape: number[]; dtype: string }[];
  }[];
}

const bytes = (a: ArrayBufferView | ArrayBuffer): Uint8Array =>
  a instanceof ArrayBuffer
    ? new Uint8Array(a)
    : new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** The model in TensorFlow.js layers format (model.json + weights.bin). */
async function modelFiles(
  model: tfl.LayersModel,
  meta: ModelMeta,
): Promise<Map<string, Uint8Array>> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (!artifacts?.weightSpecs || !artifacts.weightData)
    throw new Error('model has no weights to save');
  const json = {
    format: 'layers-model',
    generatedBy: `TensorFlow.js tfjs-layers v${tf.version_core}`,
    convertedBy: null,
    modelTopology: artifacts.modelTopology,
    weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
    userDefinedMetadata: { assay: meta },
  };
  return new Map([
    ['model.json', Buffer.from(JSON.stringify(json))],
    ['weights.bin', bytes(tf.io.CompositeArrayBuffer.join(artifacts.weightData))],
  ]);
}

/**
 * Writes the checkpoint folders named (atomically, see writeCheckpointDirs): model.json +
 * weights.bin (layers format), optimizer.bin (slots back to back, float32) and state.json
 * (everything else a resumed run needs to continue exactly).
 */
export async function saveCheckpoint(
  root: string,
  names: readonly CheckpointName[],
  model: tfl.LayersModel,
  optimizer: Optimizer,
  state: TrainingState,
  hook?: WriteHook,
): Promise<void> {
  await writeCheckpointDirs(root, names, await checkpointFiles(model, optimizer, state), hook);
}

/**
 * A checkpoint's files as bytes of their own: once this settles, training may go on changing the
 * model and the optimizer while the files are written.
 */
export async function checkpointFiles(
  model: tfl.LayersModel,
  optimizer: Optimizer,
  state: TrainingState,
): Promise<Map<string, Uint8Array>> {
  const files = await modelFiles(model, state.meta);
  const opt = optimizer.getState();
  const total = opt.slots.reduce((n, s) => n + s.length, 0);
  const packed = new Float32Array(total);
  let at = 0;
  for (const s of opt.slots) {
    packed.set(s, at);
    at += s.length;
  }
  const stateFile: StateFile = {
    format: 'assay-training-checkpoint',
    version: 1,
    ...state,
    optimizer: { name: opt.name, step: opt.step, slot_sizes: opt.slots.map((s) => s.length) },
  };
  files.set('optimizer.bin', bytes(packed));
  files.set('state.json', Buffer.from(JSON.stringify(stateFile)));
  return files;
}

export interface LoadedCheckpoint {
  readonly state: TrainingState;
  readonly weights: readonly { name: string; shape: number[]; data: Float32Array }[];
  readonly optimizer: OptimizerState;
}

/** Reads `<root>/<name>` (recovering a half-replaced folder first); null when there is none. */
export async function loadCheckpoint(
  root: string,
  name: CheckpointName,
): Promise<LoadedCheckpoint | null> {
  const dir = await recoverCheckpointDir(root, name);
  if (!dir) return null;
  const state = JSON.parse(await readFile(path.join(dir, 'state.json'), 'utf8')) as StateFile;
  if (state.format !== 'assay-training-checkpoint' || state.version !== 1) {
    throw new Error(`${name} checkpoint has an unknown format`);
  }
  const model = JSON.parse(await readFile(path.join(dir, 'model.json'), 'utf8')) as ModelJson;
  const specs = model.weightsManifest.flatMap((g) => g.weights);
  const weightData = floats(await readFile(path.join(dir, 'weights.bin')));
  let at = 0;
  const weights = specs.map((s) => {
    const n = s.shape.reduce((a, b) => a * b, 1);
    const data = weightData.slice(at, at + n);
    at += n;
    return { name: s.name, shape: s.shape, data };
  });
  if (at !== weightData.length)
    throw new Error(`${name} checkpoint's weights.bin has the wrong size`);
  const optData = floats(await readFile(path.join(dir, 'optimizer.bin')));
  let o = 0;
  const slots = state.optimizer.slot_sizes.map((n) => {
    const s = optData.slice(o, o + n);
    o += n;
    return s;
  });
  if (o !== optData.length)
    throw new Error(`${name} checkpoint's optimizer.bin has the wrong size`);
  const { format: _f, version: _v, optimizer, ...rest } = state;
  return { state: rest, weights, optimizer: { name: optimizer.name, step: optimizer.step, slots } };
}

/** Sets a model's weights from a checkpoint, checking names and shapes in order. */
export function restoreWeights(model: tfl.LayersModel, weights: LoadedCheckpoint['weights']): void {
  const mine = model.weights;
  if (mine.length !== weights.length) {
    throw new Error(`checkpoint has ${weights.length} weight tensors, the model ${mine.length}`);
  }
  const tensors = weights.map((w, i) => {
    const m = mine[i] as (typeof mine)[number];
    if (m.originalName !== w.name || m.shape.join('x') !== w.shape.join('x')) {
      throw new Error(
        `checkpoint weight ${w.name} [${w.shape}] does not fit ${m.originalName} [${m.shape}]`,
      );
    }
    return tf.tensor(w.data, w.shape, 'float32');
  });
  model.setWeights(tensors);
  tf.dispose(tensors);
}

function floats(buf: Buffer): Float32Array {
  if (buf.byteLength % 4 !== 0) throw new Error('checkpoint tensor file is not whole float32s');
  const out = new Float32Array(buf.byteLength / 4);
  new Uint8Array(out.buffer).set(buf);
  return out;
}
