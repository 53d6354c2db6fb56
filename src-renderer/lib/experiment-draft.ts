import type { z } from 'zod';
import type { Task } from '../../src-shared/contract/projects.js';
import {
  ExperimentConfigInput,
  type Architecture,
  type BackendName,
  type Experiment,
} from '../../src-shared/contract/training.js';
import {
  ARCHITECTURES_BY_TASK,
  MEDIA_OF_TASK,
  metricsOfTask,
} from '../../src-shared/contract/tasks.js';

/** What a project's items become as model input; decides which settings the editor shows. */
export type InputKind = 'image' | 'audio' | 'table';

export function inputKindFor(task: Task): InputKind {
  return MEDIA_OF_TASK[task];
}

export const ARCHITECTURE_LABELS: Readonly<Record<Architecture, string>> = {
  'mobilenet-v2-transfer': 'MobileNetV2 transfer (pretrained features + trained head)',
  'small-cnn': 'Small CNN',
  'mobilenet-lite': 'MobileNet-lite (depthwise separable)',
  'audio-cnn': 'Audio CNN on log-mel spectrograms',
  'speech-embedding-head': 'Speech-embedding head (openWakeWord features)',
  mlp: 'MLP (fully connected)',
};

/** The zoo's architectures that fit a project's task; first = the server's default. */
export function architecturesFor(task: Task): readonly Architecture[] {
  return ARCHITECTURES_BY_TASK[task];
}

/** Metrics early stopping and the best checkpoint can watch (what the trainer measures). */
export function monitorOptions(task: Task): readonly string[] {
  return metricsOfTask(task);
}

/**
 * The editor's state: every setting as the form shows it (numbers as the text typed, so a half
 * typed "0." is not lost), keyed by its path in the config. Those keys are the paths zod reports
 * errors under, so a refusal lands beside the field that caused it.
 */
export interface ExperimentDraft {
  readonly name: string;
  readonly split_index: string;
  readonly architecture: Architecture;
  readonly 'input.width': string;
  readonly 'input.height': string;
  readonly 'input.channels': string;
  readonly 'input.sample_rate': string;
  readonly 'input.clip_seconds': string;
  readonly 'input.n_mels': string;
  readonly 'input.window_ms': string;
  readonly 'input.hop_ms': string;
  readonly hidden_layers: string;
  readonly dropout: string;
  readonly width_multiplier: string;
  readonly 'augmentation.flip_horizontal': boolean;
  readonly 'augmentation.flip_vertical': boolean;
  readonly 'augmentation.rotation_degrees': string;
  readonly 'augmentation.crop_fraction': string;
  readonly 'augmentation.brightness': string;
  readonly 'augmentation.time_shift_fraction': string;
  readonly 'augmentation.gain_db': string;
  readonly 'augmentation.noise_level': string;
  readonly 'optimizer.name': 'adam' | 'sgd';
  readonly 'optimizer.learning_rate': string;
  readonly 'optimizer.momentum': string;
  readonly 'lr_schedule.type': 'constant' | 'step' | 'exponential' | 'cosine';
  readonly 'lr_schedule.step_epochs': string;
  readonly 'lr_schedule.gamma': string;
  readonly 'lr_schedule.warmup_epochs': string;
  readonly 'lr_schedule.min_learning_rate': string;
  readonly epochs: string;
  readonly batch_size: string;
  readonly 'early_stopping.enabled': boolean;
  readonly 'early_stopping.monitor': string;
  readonly 'early_stopping.patience': string;
  readonly 'early_stopping.min_delta': string;
  /** 'custom' means per-class weights set through the API: kept as they are, not editable here. */
  readonly class_weights: 'none' | 'balanced' | 'custom';
  readonly seed: string;
  readonly backend: BackendName;
  readonly device: string;
  readonly threads: string;
  readonly best_metric: string;
}

export type DraftKey = keyof ExperimentDraft;
export type TextKey = {
  [K in DraftKey]: ExperimentDraft[K] extends string ? K : never;
}[DraftKey];
export type FlagKey = {
  [K in DraftKey]: ExperimentDraft[K] extends boolean ? K : never;
}[DraftKey];

const text = (v: number | undefined): string => (v === undefined ? '' : String(v));

/** The form's starting point: the experiment's resolved config, defaults included. */
export function draftFromExperiment(exp: Experiment): ExperimentDraft {
  const c = exp.config;
  const input = c.input;
  return {
    name: exp.name,
    // null: its split was deleted; the form asks for another one.
    split_index: exp.split_index === null ? '' : String(exp.split_index),
    architecture: c.architecture,
    'input.width': text(input.width),
    'input.height': text(input.height),
    'input.channels': text(input.channels),
    'input.sample_rate': text(input.sample_rate),
    'input.clip_seconds': text(input.clip_seconds),
    'input.n_mels': text(input.n_mels),
    'input.window_ms': text(input.window_ms),
    'input.hop_ms': text(input.hop_ms),
    hidden_layers: c.hidden_layers.join(', '),
    dropout: String(c.dropout),
    width_multiplier: String(c.width_multiplier),
    'augmentation.flip_horizontal': c.augmentation.flip_horizontal,
    'augmentation.flip_vertical': c.augmentation.flip_vertical,
    'augmentation.rotation_degrees': String(c.augmentation.rotation_degrees),
    'augmentation.crop_fraction': String(c.augmentation.crop_fraction),
    'augmentation.brightness': String(c.augmentation.brightness),
    'augmentation.time_shift_fraction': String(c.augmentation.time_shift_fraction),
    'augmentation.gain_db': String(c.augmentation.gain_db),
    'augmentation.noise_level': String(c.augmentation.noise_level),
    'optimizer.name': c.optimizer.name,
    'optimizer.learning_rate': String(c.optimizer.learning_rate),
    'optimizer.momentum': String(c.optimizer.momentum),
    'lr_schedule.type': c.lr_schedule.type,
    'lr_schedule.step_epochs': String(c.lr_schedule.step_epochs),
    'lr_schedule.gamma': String(c.lr_schedule.gamma),
    'lr_schedule.warmup_epochs': String(c.lr_schedule.warmup_epochs),
    'lr_schedule.min_learning_rate': String(c.lr_schedule.min_learning_rate),
    epochs: String(c.epochs),
    batch_size: String(c.batch_size),
    'early_stopping.enabled': c.early_stopping.enabled,
    'early_stopping.monitor': c.early_stopping.monitor,
    'early_stopping.patience': String(c.early_stopping.patience),
    'early_stopping.min_delta': String(c.early_stopping.min_delta),
    class_weights: typeof c.class_weights === 'string' ? c.class_weights : 'custom',
    seed: String(c.seed),
    backend: c.backend,
    device: c.device,
    threads: String(c.threads),
    best_metric: c.best_metric,
  };
}

export type DraftErrors = Readonly<Partial<Record<DraftKey, string>>>;

export type DraftResult =
  | {
      readonly ok: true;
      readonly value: {
        readonly name: string;
        readonly split_index: number;
        readonly config: ExperimentConfigInput;
      };
    }
  | { readonly ok: false; readonly errors: DraftErrors };

/** Sets `a.b` in a nested plain object. */
function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const [head, tail] = path.split('.', 2) as [string, string | undefined];
  if (tail === undefined) {
    target[head] = value;
    return;
  }
  const inner = (target[head] ??= {}) as Record<string, unknown>;
  inner[tail] = value;
}

/** The settings that apply to this kind of input and these choices; others are not sent. */
export function fieldsInUse(draft: ExperimentDraft, kind: InputKind): readonly DraftKey[] {
  const keys: DraftKey[] = ['architecture', 'dropout'];
  if (kind === 'image') {
    keys.push('input.width', 'input.height', 'input.channels');
    keys.push(
      'augmentation.flip_horizontal',
      'augmentation.flip_vertical',
      'augmentation.rotation_degrees',
      'augmentation.crop_fraction',
      'augmentation.brightness',
    );
    if (draft.architecture === 'mobilenet-lite') keys.push('width_multiplier');
  } else if (kind === 'audio') {
    keys.push(
      'input.sample_rate',
      'input.clip_seconds',
      'input.n_mels',
      'input.window_ms',
      'input.hop_ms',
    );
    keys.push(
      'augmentation.time_shift_fraction',
      'augmentation.gain_db',
      'augmentation.noise_level',
    );
  } else {
    keys.push('hidden_layers');
  }
  keys.push('optimizer.name', 'optimizer.learning_rate');
  if (draft['optimizer.name'] === 'sgd') keys.push('optimizer.momentum');
  keys.push('lr_schedule.type', 'lr_schedule.warmup_epochs');
  const schedule = draft['lr_schedule.type'];
  if (schedule === 'step') keys.push('lr_schedule.step_epochs', 'lr_schedule.gamma');
  if (schedule === 'exponential') keys.push('lr_schedule.gamma');
  if (schedule === 'cosine') keys.push('lr_schedule.min_learning_rate');
  keys.push('epochs', 'batch_size', 'early_stopping.enabled');
  if (draft['early_stopping.enabled']) {
    keys.push('early_stopping.monitor', 'early_stopping.patience', 'early_stopping.min_delta');
  }
  if (kind !== 'table' && draft.class_weights !== 'custom') keys.push('class_weights');
  keys.push('seed', 'backend', 'device', 'threads', 'best_metric');
  return keys;
}

const STRING_KEYS = new Set<DraftKey>([
  'architecture',
  'optimizer.name',
  'lr_schedule.type',
  'early_stopping.monitor',
  'class_weights',
  'backend',
  'device',
  'best_metric',
]);

interface FlatIssue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/**
 * `input` is a union of the image and audio shapes, so zod reports a bad input field as one
 * "invalid union" issue; this unwraps the branch for this kind of input so the message names the
 * field (e.g. "too small: expected >= 8" on input.width).
 */
function flattenIssues(issues: readonly z.core.$ZodIssue[], kind: InputKind): FlatIssue[] {
  return issues.flatMap((issue): FlatIssue[] => {
    if (issue.code !== 'invalid_union') return [issue];
    const branch = issue.errors[kind === 'audio' ? 1 : 0] ?? [];
    return branch.length === 0
      ? [issue]
      : branch.map((inner) => ({ ...inner, path: [...issue.path, ...inner.path] }));
  });
}

/**
 * The request body for create/update, checked with the contract's own schema (no range is written
 * twice): numbers are parsed from their text, and each problem is reported under its field.
 */
export function draftToInput(draft: ExperimentDraft, kind: InputKind): DraftResult {
  const errors: Partial<Record<DraftKey, string>> = {};
  const config: Record<string, unknown> = {};

  const name = draft.name.trim();
  if (name === '') errors.name = 'Give the experiment a name.';
  const split = Number(draft.split_index);
  if (draft.split_index === '' || !Number.isInteger(split) || split < 0)
    errors.split_index = 'Choose a split.';

  for (const key of fieldsInUse(draft, kind)) {
    const raw = draft[key];
    if (typeof raw === 'boolean' || STRING_KEYS.has(key)) {
      setPath(config, key, raw);
    } else if (key === 'hidden_layers') {
      const parts = raw.split(/[\s,]+/).filter(Boolean);
      const sizes = parts.map(Number);
      if (parts.length === 0 || sizes.some((n) => !Number.isInteger(n) || n <= 0)) {
        errors[key] = 'Layer sizes as whole numbers, e.g. "64, 32".';
      } else config.hidden_layers = sizes;
    } else {
      const n = Number(raw.trim());
      if (raw.trim() === '' || !Number.isFinite(n)) errors[key] = 'Enter a number.';
      else setPath(config, key, n);
    }
  }
  // The device only means something with the backend it belongs to; "" is "let the server pick".
  if (config.device === '') delete config.device;

  const parsed = ExperimentConfigInput.safeParse(config);
  if (!parsed.success) {
    for (const issue of flattenIssues(parsed.error.issues, kind)) {
      const path = issue.path.map(String).join('.');
      // Anything zod reports on a path the form does not show lands on the first input field.
      const key = (
        path in draft ? path : kind === 'audio' ? 'input.sample_rate' : 'input.width'
      ) as DraftKey;
      errors[key] ??= issue.message;
    }
  }
  if (Object.keys(errors).length > 0 || !parsed.success) return { ok: false, errors };
  return { ok: true, value: { name, split_index: split, config: parsed.data } };
}
