import { z } from 'zod';
import { ProjectId } from './common.js';

/**
 * The tabular-regression family (api-reference/tabular-regression.md): its own envelope,
 * `{"status":"success", …}` or `{"status":"error","message"}`, at /upload, /train, /predict,
 * /reset and /outputs/<file>. The extra state endpoint (/api/regression/state) serves the screen.
 */

export { RegressionErrorBody } from './envelopes.js';

/** The text fields beside the file part of `POST /upload` (others a form may carry are ignored). */
export const RegressionUploadFields = z.object({
  target_column: z
    .string()
    .max(4096)
    .nullish()
    .transform((v) => (v === undefined || v === null || v.trim() === '' ? null : v.trim())),
});

export const RegressionUploadResponse = z.object({
  status: z.literal('success'),
  message: z.string(),
  filename: z.string(),
  num_points: z.number().int(),
  num_features: z.number().int(),
  target_range: z.object({ min: z.number(), max: z.number() }),
  train_size: z.number().int(),
  val_size: z.number().int(),
  test_size: z.number().int(),
});
export type RegressionUploadResponse = z.infer<typeof RegressionUploadResponse>;

export const RegressionTrainInput = z.strictObject({
  epochs: z.number().int().min(1).max(10_000),
  learning_rate: z.number().positive().max(1).default(0.001),
  hidden_layers: z.array(z.number().int().min(1).max(4096)).min(1).max(8).default([64, 32]),
  /** Not in the reference: scikit-learn's MLPRegressor default, min(200, train rows). */
  batch_size: z.number().int().min(1).max(4096).default(200),
});
export type RegressionTrainInput = z.input<typeof RegressionTrainInput>;

export const RegressionTrainResponse = z.object({
  status: z.literal('success'),
  message: z.string(),
  mse: z.number(),
  r2: z.number(),
  train_size: z.number().int(),
  val_size: z.number().int(),
  test_size: z.number().int(),
  model_path: z.string(),
  training_time_seconds: z.number(),
  learning_curve_url: z.string(),
  predictions_plot_url: z.string(),
});
export type RegressionTrainResponse = z.infer<typeof RegressionTrainResponse>;

export const RegressionPredictInput = z.strictObject({ inputs: z.array(z.number()).min(1) });

export const RegressionPredictResponse = z.object({
  status: z.literal('success'),
  inputs: z.array(z.number()),
  prediction: z.number(),
});
export type RegressionPredictResponse = z.infer<typeof RegressionPredictResponse>;

export const RegressionResetResponse = z.object({
  status: z.literal('success'),
  removed: z.object({ uploads: z.array(z.string()), outputs: z.array(z.string()) }),
});
export type RegressionResetResponse = z.infer<typeof RegressionResetResponse>;

/** The dataset summary kept after an upload (what /upload answered, plus names). */
export const RegressionDatasetInfo = z.object({
  filename: z.string(),
  format: z.enum(['pickle', 'csv', 'npy', 'npz']),
  num_points: z.number().int(),
  num_features: z.number().int(),
  feature_names: z.array(z.string()),
  target_name: z.string(),
  target_range: z.object({ min: z.number(), max: z.number() }),
  train_size: z.number().int(),
  val_size: z.number().int(),
  test_size: z.number().int(),
});
export type RegressionDatasetInfo = z.infer<typeof RegressionDatasetInfo>;

/** The last training's result, with what the screen plots (test part, original units). */
export const RegressionModelInfo = z.object({
  run_id: z.string(),
  epochs: z.number().int(),
  learning_rate: z.number(),
  hidden_layers: z.array(z.number().int()),
  mse: z.number(),
  r2: z.number(),
  training_time_seconds: z.number(),
  history: z.array(
    z.object({ epoch: z.number().int(), loss: z.number(), val_loss: z.number().nullable() }),
  ),
  test_actual: z.array(z.number()),
  test_predicted: z.array(z.number()),
});
export type RegressionModelInfo = z.infer<typeof RegressionModelInfo>;

export const RegressionState = z.object({
  /** null until the family is first written to (a GET never creates its project). */
  project_id: z.string().nullable(),
  dataset: RegressionDatasetInfo.nullable(),
  model: RegressionModelInfo.nullable(),
  /** The training in progress, if any. */
  training: z
    .object({
      run_id: z.string().nullable(),
      epoch: z.number().int(),
      epochs: z.number().int(),
      eta_seconds: z.number().nullable(),
    })
    .nullable(),
});
export type RegressionState = z.infer<typeof RegressionState>;

export const RegressionBindInput = z.strictObject({ project_id: ProjectId });
