import type { ExperimentConfig } from '../../../src-shared/contract/training.js';
import { AppError } from '../errors.js';

/** Pieces every part of the experiment config shares (config.ts, config-pretrained.ts). */

export const NO_AUGMENTATION: ExperimentConfig['augmentation'] = {
  flip_horizontal: false,
  flip_vertical: false,
  rotation_degrees: 0,
  crop_fraction: 0,
  brightness: 0,
  time_shift_fraction: 0,
  gain_db: 0,
  noise_level: 0,
};

export const COMMON = {
  optimizer: { name: 'adam', learning_rate: 1e-3, momentum: 0.9 },
  lr_schedule: {
    type: 'constant',
    step_epochs: 10,
    gamma: 0.5,
    warmup_epochs: 0,
    min_learning_rate: 0,
  },
  class_weights: 'none',
  seed: 42,
  backend: 'auto',
  device: 'auto',
  threads: 1,
  width_multiplier: 1,
  hidden_layers: [],
} as const satisfies Partial<ExperimentConfig>;

export const IMAGE_INPUT_KEYS = ['width', 'height', 'channels'] as const;
export const AUDIO_INPUT_KEYS = [
  'sample_rate',
  'clip_seconds',
  'n_mels',
  'window_ms',
  'hop_ms',
] as const;

export const invalid = (message: string): AppError => new AppError('validation_error', message);

export interface AudioInput {
  readonly sample_rate: number;
  readonly clip_seconds: number;
  readonly n_mels: number;
  readonly window_ms: number;
  readonly hop_ms: number;
}

export interface ImageInput {
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 3;
}

export function audioInputOf(input: Readonly<Record<string, number>>): AudioInput {
  const d = { sample_rate: 16000, clip_seconds: 1, n_mels: 40, window_ms: 25, hop_ms: 10 };
  return { ...d, ...pick(input, AUDIO_INPUT_KEYS) };
}

export function imageInputOf(input: Readonly<Record<string, number>>): ImageInput {
  const p = { width: 32, height: 32, channels: 3, ...pick(input, IMAGE_INPUT_KEYS) };
  return { width: p.width, height: p.height, channels: p.channels === 1 ? 1 : 3 };
}

/** Frame geometry of the log-mel front end (no centring: frames lie wholly inside the clip). */
export function melGeometry(a: AudioInput): {
  samples: number;
  windowSamples: number;
  hopSamples: number;
  fftSize: number;
  frames: number;
} {
  const samples = Math.round(a.sample_rate * a.clip_seconds);
  const windowSamples = Math.max(2, Math.round((a.sample_rate * a.window_ms) / 1000));
  const hopSamples = Math.max(1, Math.round((a.sample_rate * a.hop_ms) / 1000));
  let fftSize = 2;
  while (fftSize < windowSamples) fftSize *= 2;
  const frames =
    samples < windowSamples ? 0 : 1 + Math.floor((samples - windowSamples) / hopSamples);
  return { samples, windowSamples, hopSamples, fftSize, frames };
}

export function pick(
  input: Readonly<Record<string, number>>,
  keys: readonly string[],
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of keys) if (typeof input[k] === 'number') out[k] = input[k];
  return out;
}

export function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
