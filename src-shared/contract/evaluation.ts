import { z } from 'zod';
import { IsoDate, Page, PageSize, paginated, ProjectId } from './common.js';
import { ExperimentId, RunId } from './training.js';

/**
 * Section 5 of training-platform.md: evaluations of a run's checkpoint on a split subset.
 * Metrics follow scikit-learn's definitions; per-item results are paginated.
 */
export const EvalId = z
  .string()
  .regex(/^eval-[0-9a-f]{8}$/, 'evaluation ids look like eval-a1b2c3d4')
  .describe('Evaluation id, e.g. eval-a1b2c3d4');

export const EvalStatus = z.enum(['pending', 'running', 'completed', 'failed']);
export type EvalStatus = z.infer<typeof EvalStatus>;

export const CreateEvaluationInput = z
  .object({
    experiment_id: ExperimentId,
    run_id: RunId,
    checkpoint: z.enum(['best', 'last']).default('best'),
    /** Defaults to the experiment's split. */
    split_index: z.number().int().min(0).optional(),
    split_subset: z.enum(['train', 'val', 'test']).default('test'),
    batch_size: z.number().int().min(1).max(1024).default(32),
  })
  .strict();
export type CreateEvaluationInput = z.infer<typeof CreateEvaluationInput>;

const Averaged = z.object({ precision: z.number(), recall: z.number(), f1: z.number() });

export const ClassificationMetrics = z.object({
  accuracy: z.number(),
  per_class: z.array(
    z.object({
      class: z.string(),
      precision: z.number(),
      recall: z.number(),
      f1: z.number(),
      support: z.number().int(),
    }),
  ),
  macro_avg: Averaged,
  weighted_avg: Averaged,
  /** confusion_matrix[true][predicted], rows and columns in `per_class` order. */
  confusion_matrix: z.array(z.array(z.number().int())),
  top_k_accuracy: z.record(z.string(), z.number()),
  count: z.number().int(),
});

export const RegressionMetrics = z.object({
  mse: z.number(),
  rmse: z.number(),
  mae: z.number(),
  r2: z.number(),
  count: z.number().int(),
});

export const Evaluation = z.object({
  eval_id: EvalId,
  project_id: ProjectId,
  experiment_id: ExperimentId,
  run_id: RunId,
  checkpoint: z.enum(['best', 'last']),
  split_index: z.number().int(),
  split_subset: z.enum(['train', 'val', 'test']),
  batch_size: z.number().int(),
  status: EvalStatus,
  /** Items evaluated (known once created). */
  item_count: z.number().int(),
  message: z.string().nullable(),
  kind: z.enum(['classification', 'regression']),
  metrics: z.union([ClassificationMetrics, RegressionMetrics]).nullable(),
  created_at: IsoDate,
  finished_at: IsoDate.nullable(),
});
export type Evaluation = z.infer<typeof Evaluation>;

const boolString = z
  .enum(['true', 'false'])
  .transform((v) => v === 'true')
  .optional();

export const EvalResultsQuery = z.object({
  page: Page,
  page_size: PageSize,
  /** filename ascending, confidence ascending (least sure first), error descending (worst first). */
  sort_by: z.enum(['filename', 'confidence', 'error']).default('filename'),
  filter_correct: boolString,
  /** Ground-truth class. */
  filter_class: z.string().min(1).optional(),
  /**
   * Predicted class (beyond the reference's parameters): with `filter_class` it selects one cell
   * of the confusion matrix, paged on the server like any other filter.
   */
  filter_predicted: z.string().min(1).optional(),
});

export const EvalItemResult = z.object({
  filename: z.string(),
  true_label: z.string().nullable(),
  predicted_label: z.string().nullable(),
  confidence: z.number().nullable(),
  correct: z.boolean().nullable(),
  /** Classification: 1 − probability of the true class; regression: |target − prediction|. */
  error: z.number(),
  probabilities: z.array(z.number()).nullable(),
  target: z.number().nullable(),
  prediction: z.number().nullable(),
});
export type EvalItemResult = z.infer<typeof EvalItemResult>;

export const EvalResultsPage = paginated(EvalItemResult);
export type EvalResultsPage = z.infer<typeof EvalResultsPage>;

export const EvalProjectParams = z.object({ project_id: ProjectId });
export const EvalParams = z.object({ project_id: ProjectId, eval_id: EvalId });
