import type {
  EpochMetrics,
  Experiment,
  ExperimentConfig,
  Run,
} from '../../src-shared/contract/training.js';

/** A resolved image-classification config, as the server returns it. */
export const imageConfig: ExperimentConfig = {
  architecture: 'small-cnn',
  input: { width: 32, height: 32, channels: 3 },
  hidden_layers: [],
  dropout: 0.2,
  width_multiplier: 1,
  augmentation: {
    flip_horizontal: true,
    flip_vertical: false,
    rotation_degrees: 10,
    crop_fraction: 0.1,
    brightness: 0.1,
    time_shift_fraction: 0,
    gain_db: 0,
    noise_level: 0,
  },
  optimizer: { name: 'adam', learning_rate: 0.001, momentum: 0.9 },
  lr_schedule: {
    type: 'constant',
    step_epochs: 10,
    gamma: 0.5,
    warmup_epochs: 0,
    min_learning_rate: 0,
  },
  epochs: 20,
  batch_size: 32,
  early_stopping: { enabled: true, monitor: 'val_loss', patience: 5, min_delta: 0 },
  class_weights: 'none',
  seed: 42,
  backend: 'auto',
  device: 'auto',
  threads: 1,
  best_metric: 'val_accuracy',
};

export const experiment: Experiment = {
  id: 'exp-0a1b2c3d',
  project_id: 'proj-0a1b2c3d',
  name: 'baseline',
  split_id: 1,
  split_name: '80/10/10',
  split_index: 0,
  config: imageConfig,
  created_at: '2025-01-01T00:00:00.000Z',
  updated_at: '2025-01-01T00:00:00.000Z',
  runs: [],
};

export function epoch(n: number, extra: Record<string, number | null> = {}): EpochMetrics {
  return {
    epoch: n,
    loss: 1 / n,
    lr: 0.001,
    duration_seconds: 2,
    samples_per_second: 100,
    val_loss: 12 / n / 10,
    accuracy: (50 + n) / 100,
    val_accuracy: (45 + n) / 100,
    ...extra,
  };
}

export function run(overrides: Partial<Run> = {}): Run {
  return {
    run_id: 'run-0a1b2c3d',
    name: 'baseline #1',
    number: 1,
    renamed: false,
    experiment_id: experiment.id,
    project_id: experiment.project_id,
    split_id: 1,
    split_name: '80/10/10',
    split_index: 0,
    status: 'running',
    config: imageConfig,
    backend: 'wasm',
    device: 'cpu',
    created_at: '2025-01-01T00:00:00.000Z',
    started_at: '2025-01-01T00:00:01.000Z',
    finished_at: null,
    progress: null,
    metrics: { history: [], best: null },
    checkpoints: { best: null, last: null },
    message: null,
    queue_position: null,
    ...overrides,
  };
}
