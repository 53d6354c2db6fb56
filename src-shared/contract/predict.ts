import { z } from 'zod';
import { IsoDate, ProjectId } from './common.js';
import { Task } from './projects.js';
import { RunId } from './training.js';

/**
 * Predictions of the inference runtime (training-platform family): a completed run's checkpoint
 * on one image, sound or table row, and the ONNX models the runtime holds. The file-carrying
 * calls (multipart over HTTP, bytes over IPC) are declared here beside the JSON shapes, so the
 * routes, the OpenAPI document, the IPC channel and the client share one definition.
 */
export const PREDICT_PATH = '/api/training/:project_id/runs/:run_id/predict';
export const IMPORT_MODEL_PATH = '/api/system/models/import';
export const MODEL_PREDICT_PATH = '/api/system/models/:model_id/predict';
export const IPC_PREDICT = 'assay:predict';

export const ModelId = z.string().regex(/^mv-[0-9a-f]{8}$/, 'model ids look like mv-a1b2c3d4');
export const PredictParams = z.object({ project_id: ProjectId, run_id: RunId });
export const ModelParams = z.object({ model_id: ModelId });

export const PredictCheckpoint = z.enum(['best', 'last']).default('best');
export const PredictQuery = z.object({ checkpoint: PredictCheckpoint });

/** A table row: values by column name, or in the table's column order. */
export const TableRow = z.union([
  z.record(z.string(), z.number()),
  z.array(z.number()).min(1).max(100_000),
]);
export type TableRow = z.infer<typeof TableRow>;
/** The JSON body of a predict call (a file goes as the multipart field `file` instead). */
export const PredictRowBody = z.strictObject({ row: TableRow });

export const ClassProbability = z.object({
  label: z.string(),
  index: z.number().int(),
  probability: z.number(),
});
export type ClassProbability = z.infer<typeof ClassProbability>;

export const Prediction = z.object({
  model_id: ModelId,
  kind: z.enum(['classification', 'regression', 'raw']),
  /** The most probable class; null for regression. */
  top: ClassProbability.nullable(),
  /** Every class, most probable first; empty for regression. */
  probabilities: z.array(ClassProbability),
  /** Regression: the predicted value in the target's units. */
  value: z.number().nullable(),
  /** The model's raw output. */
  output: z.array(z.number()),
  /** Features and inference of this item, in milliseconds. */
  time_ms: z.number(),
  /** The whole call, including a first use's ONNX export and session load. */
  total_ms: z.number(),
  /** True when this call exported the checkpoint or opened its session. */
  first_use: z.boolean(),
});
export type Prediction = z.infer<typeof Prediction>;

export const RunPrediction = Prediction.extend({
  project_id: ProjectId,
  run_id: RunId,
  checkpoint: z.enum(['best', 'last']),
  task: Task,
});
export type RunPrediction = z.infer<typeof RunPrediction>;

export const ModelInfo = z.object({
  id: ModelId,
  name: z.string(),
  source: z.enum(['trained', 'imported']),
  kind: z.enum(['classifier', 'regressor', 'detector', 'raw']),
  task: Task.nullable(),
  classes: z.array(z.string()),
  input: z.object({
    name: z.string(),
    dims: z.array(z.union([z.number(), z.string()])),
    layout: z.enum(['NCHW', 'NHWC', 'NF']),
  }),
  output: z.object({ name: z.string(), dims: z.array(z.union([z.number(), z.string()])) }),
  created_at: IsoDate,
  run_id: z.string().nullable(),
  checkpoint: z.string().nullable(),
  /** Its onnxruntime session is open in the session cache. */
  loaded: z.boolean(),
});
export type ModelInfo = z.infer<typeof ModelInfo>;

export const ModelsList = z.object({
  /** Sessions open in the session cache (what /health reports as models_loaded). */
  models_loaded: z.number().int(),
  /** Imported models, and trained ones whose session is open. */
  models: z.array(ModelInfo),
});
export type ModelsList = z.infer<typeof ModelsList>;

/** Multipart fields of an import besides `file`. */
export const ImportModelFields = z.strictObject({
  name: z.string().min(1).max(200).optional(),
  kind: z.enum(['classifier', 'regressor', 'detector', 'raw']).optional(),
  /** JSON array of class names, by output index. */
  classes: z.array(z.string().max(200)).max(10_000).optional(),
});
export type ImportModelFields = z.infer<typeof ImportModelFields>;

/** One item to predict on, as the client hands it: a file (image or sound) or a table row. */
export type PredictItem =
  { readonly file: Blob; readonly filename: string } | { readonly row: TableRow };

/** The IPC twin of the multipart/JSON predict call. */
export const PredictIpcInput = z
  .strictObject({
    project_id: ProjectId,
    run_id: RunId,
    checkpoint: PredictCheckpoint,
    file: z
      .strictObject({ filename: z.string().min(1).max(4096), bytes: z.instanceof(Uint8Array) })
      .optional(),
    row: TableRow.optional(),
  })
  .refine((v) => (v.file === undefined) !== (v.row === undefined), {
    message: 'give exactly one of file or row',
  });
export type PredictIpcInput = z.input<typeof PredictIpcInput>;
