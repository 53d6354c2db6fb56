import { z } from 'zod';
import { IsoDate, ProjectId } from './common.js';

/**
 * Section 4 of training-platform.md: experiments and runs. Every config field is optional on the
 * wire; `resolveExperimentConfig` (core/engine) fills per-task defaults and checks the
 * combination against the project (task, classes, split).
 */
export const ExperimentId = z
  .string()
  .regex(/^exp-[0-9a-f]{8}$/, 'experiment ids look like exp-a1b2c3d4');
export const RunId = z.string().regex(/^run-[0-9a-f]{8}$/, 'run ids look like run-e5f6g7h8');

export const Architecture = z.enum([
  'mobilenet-v2-transfer',
  'small-cnn',
  'mobilenet-lite',
  'audio-cnn',
  'speech-embedding-head',
  'mlp',
]);
export type Architecture = z.infer<typeof Architecture>;

export const BackendName = z.enum(['auto', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']);
export type BackendName = z.infer<typeof BackendName>;

export const MonitorMetric = z.enum([
  'val_loss',
  'val_accuracy',
  'loss',
  'accuracy',
  'val_mae',
  'val_mse',
]);

const PositiveInt = z.number().int().positive();

export const ImageInputConfig = z.strictObject({
  width: z.number().int().min(8).max(1024).optional(),
  height: z.number().int().min(8).max(1024).optional(),
  channels: z.union([z.literal(1), z.literal(3)]).optional(),
});

export const AudioInputConfig = z.strictObject({
  sample_rate: z.number().int().min(4000).max(48000).optional(),
  clip_seconds: z.number().positive().max(30).optional(),
  n_mels: z.number().int().min(8).max(256).optional(),
  window_ms: z.number().positive().max(200).optional(),
  hop_ms: z.number().positive().max(100).optional(),
});

export const AugmentationConfig = z.strictObject({
  flip_horizontal: z.boolean().optional(),
  flip_vertical: z.boolean().optional(),
  rotation_degrees: z.number().min(0).max(45).optional(),
  crop_fraction: z
    .number()
    .min(0)
    .max(0.5)
    .optional()
    .describe('random crop, as a fraction of each side'),
  brightness: z.number().min(0).max(1).optional(),
  time_shift_fraction: z.number().min(0).max(0.5).optional(),
  gain_db: z.number().min(0).max(24).optional(),
  noise_level: z.number().min(0).max(1).optional(),
});

export const OptimizerConfig = z.strictObject({
  name: z.enum(['adam', 'sgd']).optional(),
  learning_rate: z.number().positive().max(10).optional(),
  momentum: z.number().min(0).max(1).optional(),
});

export const LrScheduleConfig = z.strictObject({
  type: z.enum(['constant', 'step', 'exponential', 'cosine']).optional(),
  step_epochs: PositiveInt.optional(),
  gamma: z.number().positive().max(1).optional(),
  warmup_epochs: z.number().int().min(0).optional(),
  min_learning_rate: z.number().min(0).optional(),
});

export const EarlyStoppingConfig = z.strictObject({
  enabled: z.boolean().optional(),
  monitor: MonitorMetric.optional(),
  patience: PositiveInt.optional(),
  min_delta: z.number().min(0).optional(),
});

export const ExperimentConfigInput = z.strictObject({
  architecture: Architecture.optional(),
  input: z.union([ImageInputConfig, AudioInputConfig]).optional(),
  hidden_layers: z.array(PositiveInt.max(4096)).min(1).max(8).optional(),
  dropout: z.number().min(0).max(0.9).optional(),
  width_multiplier: z.number().positive().max(4).optional(),
  augmentation: AugmentationConfig.optional(),
  optimizer: OptimizerConfig.optional(),
  lr_schedule: LrScheduleConfig.optional(),
  epochs: PositiveInt.max(10_000).optional(),
  batch_size: PositiveInt.max(4096).optional(),
  early_stopping: EarlyStoppingConfig.optional(),
  class_weights: z
    .union([z.enum(['none', 'balanced']), z.record(z.string(), z.number().positive())])
    .optional(),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .optional(),
  backend: BackendName.optional(),
  device: z.string().optional().describe('"cpu" or "gpu:N", from /api/system/devices'),
  threads: z.number().int().min(1).max(64).optional().describe('data-parallel worker threads'),
  best_metric: MonitorMetric.optional().describe('which epoch is checkpointed as "best"'),
  fine_tune: z
    .boolean()
    .optional()
    .describe(
      'mobilenet-v2-transfer: also train the backbone layer before the features (block_13_expand), from its pretrained weights',
    ),
});
export type ExperimentConfigInput = z.input<typeof ExperimentConfigInput>;

/** The config with every default filled in, as stored and as the trainer reads it. */
export const ExperimentConfig = z.object({
  architecture: Architecture,
  input: z.record(z.string(), z.number()),
  hidden_layers: z.array(z.number().int()),
  dropout: z.number(),
  width_multiplier: z.number(),
  augmentation: z.object({
    flip_horizontal: z.boolean(),
    flip_vertical: z.boolean(),
    rotation_degrees: z.number(),
    crop_fraction: z.number(),
    brightness: z.number(),
    time_shift_fraction: z.number(),
    gain_db: z.number(),
    noise_level: z.number(),
  }),
  optimizer: z.object({
    name: z.enum(['adam', 'sgd']),
    learning_rate: z.number(),
    momentum: z.number(),
  }),
  lr_schedule: z.object({
    type: z.enum(['constant', 'step', 'exponential', 'cosine']),
    step_epochs: z.number().int(),
    gamma: z.number(),
    warmup_epochs: z.number().int(),
    min_learning_rate: z.number(),
  }),
  epochs: z.number().int(),
  batch_size: z.number().int(),
  early_stopping: z.object({
    enabled: z.boolean(),
    monitor: MonitorMetric,
    patience: z.number().int(),
    min_delta: z.number(),
  }),
  class_weights: z.union([z.enum(['none', 'balanced']), z.record(z.string(), z.number())]),
  seed: z.number().int(),
  backend: BackendName,
  device: z.string(),
  threads: z.number().int(),
  best_metric: MonitorMetric,
  /** mobilenet-v2-transfer only; absent (configs stored before it existed) reads as false. */
  fine_tune: z.boolean().optional(),
});
export type ExperimentConfig = z.infer<typeof ExperimentConfig>;

export const RunStatus = z.enum([
  'pending',
  'running',
  'completed',
  'failed',
  'stopped',
  'interrupted',
]);
export type RunStatus = z.infer<typeof RunStatus>;

export const RunSummary = z.object({
  run_id: RunId,
  status: RunStatus,
  created_at: IsoDate,
  epochs_completed: z.number().int(),
  best_value: z.number().nullable(),
});

export const Experiment = z.object({
  id: ExperimentId,
  project_id: ProjectId,
  name: z.string(),
  /** The split's stable id: deleting an earlier split re-indexes the rest, never this. */
  split_id: z.number().int().nullable().describe('null once the split was deleted'),
  split_name: z.string().nullable(),
  split_index: z
    .number()
    .int()
    .nullable()
    .describe("the split's index as it is now; null once it was deleted"),
  config: ExperimentConfig,
  created_at: IsoDate,
  updated_at: IsoDate,
  runs: z.array(RunSummary),
});
export type Experiment = z.infer<typeof Experiment>;

/** A split by its index now (resolved to its id when the experiment is saved) or by its id. */
const SplitChoice = {
  split_index: z.number().int().min(0).optional().describe('default 0 when split_id is absent'),
  split_id: z.number().int().min(1).optional(),
};

export const CreateExperimentInput = z.strictObject({
  name: z.string().trim().min(1).max(200),
  ...SplitChoice,
  config: ExperimentConfigInput.default({}),
});
export type CreateExperimentInput = z.input<typeof CreateExperimentInput>;

export const UpdateExperimentInput = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  ...SplitChoice,
  /** Merged over the stored config (a field left out keeps its value). */
  config: ExperimentConfigInput.optional(),
});
export type UpdateExperimentInput = z.input<typeof UpdateExperimentInput>;

/** One completed epoch, Keras-style names: loss, accuracy, val_loss, val_accuracy (or mae/mse). */
export const EpochMetrics = z
  .object({
    epoch: z.number().int().describe('1-based'),
    loss: z.number(),
    lr: z.number(),
    duration_seconds: z.number(),
    samples_per_second: z.number(),
  })
  .catchall(z.number().nullable());
export type EpochMetrics = z.infer<typeof EpochMetrics>;

export const RunProgress = z.object({
  epoch: z.number().int(),
  epochs: z.number().int(),
  batch: z.number().int(),
  batches: z.number().int(),
  samples_per_second: z.number(),
  eta_seconds: z.number().nullable(),
  phase: z.enum(['queued', 'preparing', 'training', 'validating', 'checkpointing', 'done']),
});
export type RunProgress = z.infer<typeof RunProgress>;

export const CheckpointInfo = z.object({
  epoch: z.number().int(),
  metric: z.string(),
  value: z.number().nullable(),
});

export const Run = z.object({
  run_id: RunId,
  /** What people call it: `<experiment> #<number>` until it is renamed. */
  name: z.string(),
  /** 1-based, in the order the experiment's runs were made; kept when an earlier run is deleted. */
  number: z.number().int(),
  /** Whether `name` was given by a person (false: the default, which follows the experiment's name). */
  renamed: z.boolean(),
  experiment_id: ExperimentId,
  project_id: ProjectId,
  /** The split it trains on: its id and name when the run was made, its index now (null: deleted). */
  split_id: z.number().int().nullable(),
  split_name: z.string().nullable(),
  split_index: z.number().int().nullable(),
  status: RunStatus,
  config: ExperimentConfig,
  backend: z.string().nullable(),
  device: z.string().nullable(),
  created_at: IsoDate,
  started_at: IsoDate.nullable(),
  finished_at: IsoDate.nullable(),
  progress: RunProgress.nullable(),
  metrics: z.object({ history: z.array(EpochMetrics), best: CheckpointInfo.nullable() }),
  checkpoints: z.object({ best: CheckpointInfo.nullable(), last: CheckpointInfo.nullable() }),
  /** Why it failed, stopped early, or was interrupted. */
  message: z.string().nullable(),
  queue_position: z.number().int().nullable(),
});
export type Run = z.infer<typeof Run>;

export const RunStarted = z.object({
  run_id: RunId,
  status: RunStatus,
  /** 1 = next to start: another run is training (one at a time on this machine); null when not queued. */
  queue_position: z.number().int().nullable(),
});

export const MetricsJson = z.object({
  run_id: RunId,
  status: RunStatus,
  history: z.array(EpochMetrics),
  best: CheckpointInfo.nullable(),
  classes: z.array(z.string()),
});

/** Server-sent events on `…/runs/{run_id}/stream`: `event: <type>`, `data: <json>`. */
export const RunEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('status'), run: Run }),
  z.object({ type: z.literal('progress'), run_id: RunId, progress: RunProgress }),
  z.object({ type: z.literal('epoch'), run_id: RunId, metrics: EpochMetrics }),
  z.object({
    type: z.literal('log'),
    run_id: RunId,
    level: z.enum(['info', 'warn', 'error']),
    message: z.string(),
  }),
]);
export type RunEvent = z.infer<typeof RunEvent>;

export const TrainingProjectParams = z.object({ project_id: ProjectId });
export const ExperimentParams = z.object({ project_id: ProjectId, exp_id: ExperimentId });
export const RunParams = z.object({ project_id: ProjectId, run_id: RunId });

/** A run's new name; null (or blank) gives it back its default `<experiment> #<number>`. */
export const UpdateRunInput = z.strictObject({
  name: z.string().trim().max(200).nullable(),
});
export type UpdateRunInput = z.input<typeof UpdateRunInput>;
