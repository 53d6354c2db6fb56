import * as ort from 'onnxruntime-node';
import { AppError } from '../../errors.js';
import { loadCheckpointModel, readCheckpointFiles } from '../export/checkpoint-model.js';
import { exportOnnx } from '../export/onnx/export-onnx.js';
import { resolveOnnxOptions } from '../export/onnx/options.js';
import { type FeatureSpec, featureShape, loadFeatures } from '../features/cache.js';
import { readTables, splitRows } from '../features/table.js';
import type { ModelVersion } from '../runtime/model-version.js';
import { prepareSample } from '../runtime/preprocess.js';
import { runBatches } from '../runtime/run-batches.js';
import {
  type ClassificationMetrics,
  type RegressionMetrics,
  argmax,
  classificationMetrics,
  regressionMetrics,
} from './metrics.js';

export interface EvalItem {
  /** Dataset filename (`cat/img001.png`): how results are listed and sorted. */
  readonly filename: string;
  /** Content hash: names the feature cache file. */
  readonly key: string;
  readonly path: string;
  /** Class index into the checkpoint's classes. */
  readonly label: number;
}

export type EvalData =
  | { readonly kind: 'items'; readonly items: readonly EvalItem[] }
  /** Regression: the split's ratios and seed select the subset's rows, as training did. */
  | {
      readonly kind: 'table';
      readonly tables: readonly string[];
      readonly targetColumn: string | null;
      readonly ratios: { readonly train: number; readonly val: number; readonly test: number };
      readonly seed: number;
      readonly subset: 'train' | 'val' | 'test';
    };

export interface EvalRequest {
  readonly checkpointDir: string;
  /** `<projectDir>/cache/features`: the training cache, so items are not decoded again. */
  readonly cacheDir: string;
  readonly data: EvalData;
  readonly batchSize?: number;
  readonly intraOpNumThreads?: number;
  readonly onProgress?: (done: number, total: number) => void;
}

export interface ItemResult {
  readonly filename: string;
  readonly true_label: string | null;
  readonly predicted_label: string | null;
  /** Probability of the predicted class; null for regression. */
  readonly confidence: number | null;
  readonly correct: boolean | null;
  /** Classification: 1 − probability of the true class; regression: |target − prediction|. */
  readonly error: number;
  readonly probabilities: readonly number[] | null;
  readonly target: number | null;
  readonly prediction: number | null;
}

export type EvalResult =
  | {
      readonly kind: 'classification';
      readonly metrics: ClassificationMetrics;
      readonly items: readonly ItemResult[];
    }
  | {
      readonly kind: 'regression';
      readonly metrics: RegressionMetrics;
      readonly items: readonly ItemResult[];
    };

/**
 * Evaluates a checkpoint on a subset: the model is exported to ONNX in memory and run by
 * onnxruntime, so evaluation measures the very graph an export ships; features come from the
 * training's feature cache and are normalised with the checkpoint's statistics.
 * A missing checkpoint is 404; an empty subset or a label outside the classes 422.
 */
export async function evaluateCheckpoint(req: EvalRequest): Promise<EvalResult> {
  const files = await readCheckpointFiles(req.checkpointDir);
  const { meta } = files;
  const model = await loadCheckpointModel(files);
  let exported;
  try {
    const options = resolveOnnxOptions(
      { dynamic_axes: { input: { '0': 'batch' } }, simplify: true },
      meta.input_shape,
    );
    exported = exportOnnx(model, options, { targetNormalization: meta.target_normalization });
  } finally {
    model.dispose();
  }
  const version: ModelVersion = {
    id: 'evaluation',
    name: 'evaluation',
    source: 'trained',
    created_at: new Date(0).toISOString(),
    sha256: '',
    onnx_path: '',
    task: meta.task,
    kind: meta.task === 'regression' ? 'regressor' : 'classifier',
    classes: meta.classes,
    input: { name: 'input', dims: exported.inputDims, layout: exported.layout },
    output: { name: 'output', dims: exported.outputDims },
    features: meta.features,
    normalization: meta.normalization,
    origin: null,
  };

  let raw: Float32Array[];
  let names: string[];
  let truth: number[];
  if (req.data.kind === 'items') {
    if (meta.features.kind === 'table') {
      throw new AppError('unprocessable', 'this checkpoint takes table rows, not files');
    }
    const items = req.data.items;
    for (const it of items) {
      if (!Number.isInteger(it.label) || it.label < 0 || it.label >= meta.classes.length) {
        throw new AppError('unprocessable', `${it.filename} has a class the model does not know`);
      }
    }
    const spec = meta.features as FeatureSpec;
    const size = featureShape(spec).reduce((a, b) => a * b, 1);
    const packed = await loadFeatures(items, spec, req.cacheDir, {
      onProgress: (d, t) => req.onProgress?.(d, 2 * t),
    });
    raw = items.map((_, i) => packed.subarray(i * size, (i + 1) * size));
    names = items.map((i) => i.filename);
    truth = items.map((i) => i.label);
  } else {
    if (meta.features.kind !== 'table') {
      throw new AppError('unprocessable', 'this checkpoint takes files, not table rows');
    }
    const table = await readTables(req.data.tables, req.data.targetColumn);
    const rows = splitRows(table.rows, req.data.ratios, req.data.seed)[req.data.subset];
    const cols = table.featureNames.length;
    raw = rows.map((r) => table.x.subarray(r * cols, (r + 1) * cols));
    names = rows.map((r) => `row ${r + 1}`);
    truth = rows.map((r) => table.y[r] as number);
  }
  if (raw.length === 0)
    throw new AppError('unprocessable', 'the subset holds no items to evaluate');

  const samples: Float32Array[] = [];
  for (const x of raw) samples.push(await prepareSample(version, { features: x }));
  const session = await ort.InferenceSession.create(exported.bytes, {
    ...(req.intraOpNumThreads ? { intraOpNumThreads: req.intraOpNumThreads } : {}),
  });
  let outputs: Float32Array[];
  try {
    outputs = await runBatches(session, version, samples, req.batchSize ?? 32, (d, t) =>
      req.onProgress?.(t + d, 2 * t),
    );
  } finally {
    await session.release();
  }

  if (version.kind === 'regressor') {
    const preds = outputs.map((o) => o[0] as number);
    return {
      kind: 'regression',
      metrics: regressionMetrics(truth, preds),
      items: names.map((filename, i) => ({
        filename,
        true_label: null,
        predicted_label: null,
        confidence: null,
        correct: null,
        error: Math.abs((truth[i] as number) - (preds[i] as number)),
        probabilities: null,
        target: truth[i] as number,
        prediction: preds[i] as number,
      })),
    };
  }
  const probs = outputs.map((o) => Array.from(o));
  return {
    kind: 'classification',
    metrics: classificationMetrics(meta.classes, truth, probs),
    items: names.map((filename, i) => {
      const p = probs[i] as number[];
      const predicted = argmax(p);
      const label = truth[i] as number;
      return {
        filename,
        true_label: meta.classes[label] ?? null,
        predicted_label: meta.classes[predicted] ?? null,
        confidence: p[predicted] as number,
        correct: predicted === label,
        error: 1 - (p[label] as number),
        probabilities: p,
        target: null,
        prediction: null,
      };
    }),
  };
}
