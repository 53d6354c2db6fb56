import type { Task } from '../../../src-shared/contract/projects.js';
import {
  ExperimentConfigInput,
  type Architecture,
  type ExperimentConfig,
} from '../../../src-shared/contract/training.js';
import {
  AUDIO_INPUT_KEYS,
  COMMON,
  IMAGE_INPUT_KEYS,
  NO_AUGMENTATION,
  audioInputOf,
  invalid,
  melGeometry,
  stripUndefined,
} from './config-parts.js';
import {
  isPretrainedFeatureArchitecture,
  pretrainedConfig,
  pretrainedDefaults,
} from './config-pretrained.js';
import { emptyMelBands } from './features/mel.js';
import {
  ARCHITECTURES_BY_TASK,
  MEDIA_OF_TASK,
  metricsOfTask,
  type MediaOfTask,
} from '../../../src-shared/contract/tasks.js';

export {
  type AudioInput,
  type ImageInput,
  audioInputOf,
  imageInputOf,
  melGeometry,
} from './config-parts.js';
export { isPretrainedFeatureArchitecture } from './config-pretrained.js';
export type { MediaOfTask } from '../../../src-shared/contract/tasks.js';

export function mediaOfTask(task: Task): MediaOfTask {
  return MEDIA_OF_TASK[task];
}

/** Architectures each task can train, first = default (the table is shared with the renderer). */
const ARCHITECTURES = ARCHITECTURES_BY_TASK;

export function allowedArchitectures(task: Task): readonly Architecture[] {
  return ARCHITECTURES[task];
}

export function allowedMetrics(task: Task): readonly string[] {
  return metricsOfTask(task);
}

/** Keras' convention: losses and errors improve downwards, accuracies upwards. */
export function metricMode(metric: string): 'min' | 'max' {
  return metric.endsWith('accuracy') ? 'max' : 'min';
}

/** Per-task defaults (DESIGN §4; the trainer brief of issue 3), for the task's default architecture or `arch`. */
export function defaultExperimentConfig(task: Task, arch?: Architecture): ExperimentConfig {
  const architecture = arch ?? (ARCHITECTURES[task][0] as Architecture);
  if (isPretrainedFeatureArchitecture(architecture)) return pretrainedDefaults(architecture);
  const base = {
    ...structuredClone(COMMON),
    hidden_layers: [] as number[],
    architecture,
  };
  switch (mediaOfTask(task)) {
    case 'image': {
      const inspection = task === 'inspection';
      return {
        ...base,
        // Inspection looks for small defects: more pixels, and parts may lie either way up.
        input: inspection
          ? { width: 64, height: 64, channels: 3 }
          : { width: 32, height: 32, channels: 3 },
        dropout: 0.2,
        augmentation: {
          ...NO_AUGMENTATION,
          flip_horizontal: true,
          flip_vertical: inspection,
          rotation_degrees: 10,
          crop_fraction: 0.1,
          brightness: 0.1,
        },
        epochs: 20,
        batch_size: 32,
        early_stopping: { enabled: true, monitor: 'val_loss', patience: 5, min_delta: 0 },
        best_metric: 'val_accuracy',
      };
    }
    case 'audio': {
      const wake = task === 'wake-word';
      return {
        ...base,
        input: {
          sample_rate: 16000,
          clip_seconds: wake ? 1.5 : 1,
          n_mels: 40,
          window_ms: 25,
          hop_ms: 10,
        },
        dropout: 0.2,
        augmentation: {
          ...NO_AUGMENTATION,
          time_shift_fraction: 0.1,
          gain_db: 6,
          noise_level: 0.005,
        },
        epochs: wake ? 30 : 20,
        batch_size: 32,
        early_stopping: { enabled: true, monitor: 'val_loss', patience: 5, min_delta: 0 },
        best_metric: 'val_accuracy',
      };
    }
    case 'table':
      return {
        ...base,
        input: {},
        hidden_layers: [64, 32],
        dropout: 0,
        augmentation: { ...NO_AUGMENTATION },
        epochs: 100,
        batch_size: 32,
        early_stopping: { enabled: true, monitor: 'val_loss', patience: 10, min_delta: 0 },
        best_metric: 'val_loss',
      };
  }
}

const IMAGE_AUGMENTATIONS = [
  'flip_horizontal',
  'flip_vertical',
  'rotation_degrees',
  'crop_fraction',
  'brightness',
] as const;
const AUDIO_AUGMENTATIONS = ['time_shift_fraction', 'gain_db', 'noise_level'] as const;

/**
 * The config a run trains with: per-task defaults, then `base` (the stored config, for PATCH),
 * then `input`. Nested groups merge field by field; lists (hidden_layers) and class_weights are
 * replaced whole. Throws AppError('validation_error') (HTTP 400) for a malformed input or a
 * combination that cannot train (an image model for audio, audio inputs for images, …).
 * Checks needing the dataset (class names in class_weights, empty subsets) are the caller's.
 */
export function resolveExperimentConfig(
  task: Task,
  input: ExperimentConfigInput,
  base?: ExperimentConfig,
): ExperimentConfig {
  const parsed = ExperimentConfigInput.safeParse(input);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first && first.path.length > 0 ? `config.${first.path.join('.')}: ` : '';
    throw invalid(`${where}${first?.message ?? 'invalid experiment config'}`);
  }
  const inp = parsed.data;
  const media = mediaOfTask(task);
  checkInputMedia(task, media, inp);

  // A new config for another architecture starts from that architecture's defaults.
  const start = base ? structuredClone(base) : defaultExperimentConfig(task, inp.architecture);
  const architecture = inp.architecture ?? start.architecture;
  if (!ARCHITECTURES[task].includes(architecture)) {
    throw invalid(
      `architecture "${architecture}" does not fit a ${task} project (${media} data); ` +
        `use ${ARCHITECTURES[task].map((a) => `"${a}"`).join(' or ')}`,
    );
  }
  if (inp.hidden_layers && architecture !== 'mlp') {
    throw invalid(`hidden_layers applies to the "mlp" architecture only, not "${architecture}"`);
  }
  if (inp.fine_tune !== undefined && architecture !== 'mobilenet-v2-transfer') {
    throw invalid(`fine_tune applies to "mobilenet-v2-transfer" only, not "${architecture}"`);
  }
  if (inp.width_multiplier !== undefined && architecture !== 'mobilenet-lite') {
    throw invalid(`width_multiplier applies to "mobilenet-lite" only, not "${architecture}"`);
  }

  const config: ExperimentConfig = {
    ...start,
    architecture,
    input: { ...start.input, ...stripUndefined(inp.input ?? {}) },
    hidden_layers:
      architecture === 'mlp'
        ? [...(inp.hidden_layers ?? (start.hidden_layers.length ? start.hidden_layers : [64, 32]))]
        : [],
    dropout: inp.dropout ?? start.dropout,
    width_multiplier: inp.width_multiplier ?? start.width_multiplier,
    augmentation: { ...start.augmentation, ...stripUndefined(inp.augmentation ?? {}) },
    optimizer: { ...start.optimizer, ...stripUndefined(inp.optimizer ?? {}) },
    lr_schedule: { ...start.lr_schedule, ...stripUndefined(inp.lr_schedule ?? {}) },
    epochs: inp.epochs ?? start.epochs,
    batch_size: inp.batch_size ?? start.batch_size,
    early_stopping: { ...start.early_stopping, ...stripUndefined(inp.early_stopping ?? {}) },
    class_weights: inp.class_weights ?? start.class_weights,
    seed: inp.seed ?? start.seed,
    backend: inp.backend ?? start.backend,
    device: inp.device ?? start.device,
    threads: inp.threads ?? start.threads,
    best_metric: inp.best_metric ?? start.best_metric,
  };
  // A config switched away from the transfer head (PATCH) drops its option.
  if (architecture !== 'mobilenet-v2-transfer') delete config.fine_tune;
  if (isPretrainedFeatureArchitecture(architecture)) {
    const adjusted = pretrainedConfig(config, inp);
    checkCombination(task, adjusted, true);
    return adjusted;
  }
  checkCombination(task, config);
  return config;
}

/** Fields of the wrong media are refused when set to anything that would do something. */
function checkInputMedia(task: Task, media: MediaOfTask, inp: ExperimentConfigInput): void {
  const input = (inp.input ?? {}) as Record<string, unknown>;
  const keys = Object.keys(input).filter((k) => input[k] !== undefined);
  const allowed: readonly string[] =
    media === 'image' ? IMAGE_INPUT_KEYS : media === 'audio' ? AUDIO_INPUT_KEYS : [];
  const wrong = keys.filter((k) => !allowed.includes(k));
  if (wrong.length > 0) {
    throw invalid(
      media === 'table'
        ? `a ${task} project takes its inputs from the table's columns; config.input must be empty (got ${wrong.join(', ')})`
        : `config.input.${wrong[0]} does not apply to a ${task} project (${media} inputs: ${allowed.join(', ')})`,
    );
  }
  const aug = (inp.augmentation ?? {}) as Record<string, unknown>;
  const fitting: readonly string[] =
    media === 'image' ? IMAGE_AUGMENTATIONS : media === 'audio' ? AUDIO_AUGMENTATIONS : [];
  for (const [k, v] of Object.entries(aug)) {
    if (v === undefined || v === false || v === 0 || fitting.includes(k)) continue;
    throw invalid(
      media === 'table'
        ? `augmentation.${k} does not apply to tabular data; tables are not augmented`
        : `augmentation.${k} does not apply to ${media} data`,
    );
  }
  if (task === 'regression' && inp.class_weights !== undefined && inp.class_weights !== 'none') {
    throw invalid('class_weights apply to classification; a regression project has no classes');
  }
}

function checkCombination(task: Task, c: ExperimentConfig, skipMedia = false): void {
  const metrics = allowedMetrics(task);
  if (!metrics.includes(c.early_stopping.monitor)) {
    throw invalid(
      `early_stopping.monitor "${c.early_stopping.monitor}" is not measured for a ${task} project; use one of ${metrics.join(', ')}`,
    );
  }
  if (!metrics.includes(c.best_metric)) {
    throw invalid(
      `best_metric "${c.best_metric}" is not measured for a ${task} project; use one of ${metrics.join(', ')}`,
    );
  }
  const s = c.lr_schedule;
  if (s.min_learning_rate > c.optimizer.learning_rate) {
    throw invalid(
      `lr_schedule.min_learning_rate (${s.min_learning_rate}) is above optimizer.learning_rate (${c.optimizer.learning_rate})`,
    );
  }
  if (s.warmup_epochs >= c.epochs) {
    throw invalid(
      `lr_schedule.warmup_epochs (${s.warmup_epochs}) must be below epochs (${c.epochs})`,
    );
  }
  if (!/^(auto|cpu|gpu:\d+)$/.test(c.device)) {
    throw invalid(`device "${c.device}" is not "auto", "cpu" or "gpu:N"`);
  }
  if (c.device.startsWith('gpu:') && !['auto', 'tensorflow-gpu'].includes(c.backend)) {
    throw invalid(`device ${c.device} needs the "tensorflow-gpu" backend, not "${c.backend}"`);
  }
  if (c.backend === 'tensorflow-gpu' && c.device === 'cpu') {
    throw invalid('the "tensorflow-gpu" backend trains on a GPU; pick device "gpu:N" or "auto"');
  }
  if (!skipMedia && mediaOfTask(task) === 'audio') checkAudioInput(c.input);
}

/** The spectrogram must have at least a few frames and no empty mel filters. */
function checkAudioInput(input: Readonly<Record<string, number>>): void {
  const a = audioInputOf(input);
  if (a.hop_ms > a.window_ms) {
    throw invalid(`input.hop_ms (${a.hop_ms}) must not exceed input.window_ms (${a.window_ms})`);
  }
  const g = melGeometry(a);
  if (g.frames < 4) {
    throw invalid(
      `a ${a.clip_seconds} s clip gives ${g.frames} spectrogram frames of ${a.window_ms} ms; make clip_seconds longer or window_ms shorter`,
    );
  }
  const empty = emptyMelBands(a.sample_rate, g.fftSize, a.n_mels);
  if (empty > 0) {
    throw invalid(
      `input.n_mels (${a.n_mels}) is too many for a ${a.window_ms} ms window at ${a.sample_rate} Hz: ${empty} mel bands would hold no FFT bin; use fewer mels or a longer window`,
    );
  }
}

/**
 * Class weights as one number per class index. 'balanced' is scikit-learn's n / (k · n_c) over
 * the training subset; a record names classes (unknown names are refused, missing ones weigh 1).
 */
export function classWeightsFor(
  setting: ExperimentConfig['class_weights'],
  classes: readonly string[],
  trainLabels: readonly number[],
): number[] {
  const k = classes.length;
  if (setting === 'none') return classes.map(() => 1);
  if (setting === 'balanced') {
    const counts = new Array<number>(k).fill(0);
    for (const l of trainLabels) counts[l] = (counts[l] ?? 0) + 1;
    const n = trainLabels.length;
    return counts.map((c) => (c > 0 ? n / (k * c) : 1));
  }
  const unknown = Object.keys(setting).filter((name) => !classes.includes(name));
  if (unknown.length > 0) {
    throw invalid(
      `class_weights names ${unknown.map((u) => `"${u}"`).join(', ')}, not a class of this project (${classes.join(', ')})`,
    );
  }
  return classes.map((c) => setting[c] ?? 1);
}
