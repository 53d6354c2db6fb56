import { describe, expect, it } from 'vitest';
import { AppError } from '../../src-main/core/errors.js';
import {
  classWeightsFor,
  defaultExperimentConfig,
  resolveExperimentConfig,
} from '../../src-main/core/engine/config.js';
import {
  ExperimentConfig,
  type ExperimentConfigInput,
} from '../../src-shared/contract/training.js';
import type { Task } from '../../src-shared/contract/projects.js';

const refused = (task: Task, input: unknown, pattern: RegExp): void => {
  let err: unknown;
  try {
    resolveExperimentConfig(task, input as ExperimentConfigInput);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).code).toBe('validation_error');
  expect((err as AppError).message).toMatch(pattern);
};

describe('experiment config defaults', () => {
  it('fills per-task defaults that the contract accepts', () => {
    for (const task of [
      'classification',
      'audio-classification',
      'wake-word',
      'inspection',
      'regression',
    ] as const) {
      expect(ExperimentConfig.safeParse(resolveExperimentConfig(task, {})).success).toBe(true);
    }
    expect(resolveExperimentConfig('classification', {})).toMatchObject({
      architecture: 'mobilenet-v2-transfer',
      input: { width: 224, height: 224, channels: 3 },
      augmentation: defaultExperimentConfig('regression').augmentation,
      best_metric: 'val_loss',
    });
    expect(resolveExperimentConfig('inspection', {}).architecture).toBe('mobilenet-v2-transfer');
    expect(resolveExperimentConfig('classification', {}).fine_tune).toBe(false);
    const tuned = resolveExperimentConfig('classification', { fine_tune: true });
    expect(tuned.fine_tune).toBe(true);
    // Switching a stored transfer config to another architecture drops the option.
    expect(
      resolveExperimentConfig('classification', { architecture: 'small-cnn' }, tuned),
    ).not.toHaveProperty('fine_tune');
    // Another architecture starts from its own defaults, not the transfer head's.
    const img = resolveExperimentConfig('classification', { architecture: 'small-cnn' });
    expect(img).toMatchObject({
      architecture: 'small-cnn',
      input: { width: 32, height: 32, channels: 3 },
      optimizer: { name: 'adam', learning_rate: 1e-3 },
      epochs: 20,
      batch_size: 32,
      augmentation: { flip_horizontal: true, rotation_degrees: 10, gain_db: 0 },
    });
    const audio = resolveExperimentConfig('audio-classification', {});
    expect(audio).toMatchObject({
      architecture: 'audio-cnn',
      input: { sample_rate: 16000, clip_seconds: 1, n_mels: 40, window_ms: 25, hop_ms: 10 },
      augmentation: { flip_horizontal: false, time_shift_fraction: 0.1 },
    });
    expect(audio.augmentation.gain_db).toBeGreaterThan(0);
    expect(audio.augmentation.noise_level).toBeGreaterThan(0);
    expect(resolveExperimentConfig('regression', {})).toMatchObject({
      architecture: 'mlp',
      hidden_layers: [64, 32],
      input: {},
      early_stopping: { monitor: 'val_loss' },
      best_metric: 'val_loss',
      augmentation: defaultExperimentConfig('regression').augmentation,
    });
    expect(
      Object.values(resolveExperimentConfig('regression', {}).augmentation).every((v) => !v),
    ).toBe(true);
  });

  it('merges a PATCH over the stored config field by field', () => {
    const base = resolveExperimentConfig('classification', {
      architecture: 'mobilenet-lite',
      width_multiplier: 0.5,
      input: { width: 64, height: 48 },
      optimizer: { name: 'sgd', learning_rate: 0.1 },
    });
    const next = resolveExperimentConfig(
      'classification',
      { input: { channels: 1 }, optimizer: { momentum: 0.5 }, epochs: 3 },
      base,
    );
    expect(next).toMatchObject({
      architecture: 'mobilenet-lite',
      width_multiplier: 0.5,
      input: { width: 64, height: 48, channels: 1 },
      optimizer: { name: 'sgd', learning_rate: 0.1, momentum: 0.5 },
      epochs: 3,
    });
    expect(base.input['channels']).toBe(3); // the base is not modified
    const mlp = resolveExperimentConfig('regression', { hidden_layers: [8] });
    expect(resolveExperimentConfig('regression', { dropout: 0.1 }, mlp).hidden_layers).toEqual([8]);
  });
});

describe('experiment config validation (400)', () => {
  it('refuses architectures and inputs of the wrong media', () => {
    refused(
      'classification',
      { architecture: 'mlp' },
      /"mlp" does not fit a classification project.*"mobilenet-v2-transfer" or "small-cnn" or "mobilenet-lite"/,
    );
    refused(
      'classification',
      { input: { width: 32 } },
      /mobilenet-v2-transfer takes 224×224×3 inputs.*input\.width cannot be 32/,
    );
    refused(
      'classification',
      { augmentation: { flip_horizontal: true } },
      /augmentation\.flip_horizontal does not apply to mobilenet-v2-transfer/,
    );
    refused(
      'classification',
      { architecture: 'small-cnn', fine_tune: true },
      /fine_tune applies to "mobilenet-v2-transfer" only/,
    );
    refused(
      'audio-classification',
      { architecture: 'speech-embedding-head', input: { sample_rate: 8000 } },
      /takes 16 kHz audio/,
    );
    refused(
      'audio-classification',
      { architecture: 'speech-embedding-head', input: { clip_seconds: 0.5 } },
      /at least 1 s/,
    );
    refused('classification', { architecture: 'audio-cnn' }, /"audio-cnn" does not fit/);
    refused('audio-classification', { architecture: 'small-cnn' }, /does not fit/);
    refused('regression', { architecture: 'small-cnn' }, /does not fit/);
    refused(
      'classification',
      { input: { sample_rate: 16000 } },
      /input\.sample_rate does not apply to a classification project/,
    );
    refused('audio-classification', { input: { width: 32 } }, /input\.width does not apply/);
    refused('regression', { input: { width: 32 } }, /config\.input must be empty/);
    refused(
      'classification',
      { augmentation: { gain_db: 3 } },
      /augmentation\.gain_db does not apply to image data/,
    );
    refused('regression', { augmentation: { flip_horizontal: true } }, /tables are not augmented/);
    refused('classification', { hidden_layers: [10] }, /hidden_layers applies to the "mlp"/);
    refused(
      'classification',
      { width_multiplier: 2 },
      /width_multiplier applies to "mobilenet-lite"/,
    );
    refused('regression', { class_weights: 'balanced' }, /no classes/);
  });

  it('refuses malformed values and impossible combinations', () => {
    refused('classification', { architecture: 'resnet' }, /config\.architecture/);
    refused('classification', { epochs: -1 }, /config\.epochs/);
    refused('classification', { nope: 1 }, /nope|unrecognized/i);
    refused(
      'regression',
      { early_stopping: { monitor: 'val_accuracy' } },
      /not measured for a regression project/,
    );
    refused('classification', { best_metric: 'val_mae' }, /best_metric "val_mae"/);
    refused(
      'classification',
      { optimizer: { learning_rate: 0.001 }, lr_schedule: { min_learning_rate: 0.01 } },
      /min_learning_rate/,
    );
    refused(
      'classification',
      { epochs: 3, lr_schedule: { warmup_epochs: 3 } },
      /warmup_epochs \(3\) must be below epochs/,
    );
    refused(
      'classification',
      { backend: 'wasm', device: 'gpu:0' },
      /needs the "tensorflow-gpu" backend/,
    );
    refused('classification', { device: 'tpu' }, /device "tpu"/);
    refused(
      'audio-classification',
      { input: { window_ms: 10, hop_ms: 20 } },
      /hop_ms \(20\) must not exceed/,
    );
    refused('audio-classification', { input: { clip_seconds: 0.02 } }, /spectrogram frames/);
    refused(
      'audio-classification',
      { input: { n_mels: 128, window_ms: 10 } },
      /n_mels \(128\) is too many/,
    );
  });

  it('class weights: balanced is n / (k · n_c); named weights must name classes', () => {
    expect(classWeightsFor('balanced', ['a', 'b'], [0, 0, 0, 1])).toEqual([4 / 6, 2]);
    expect(classWeightsFor('none', ['a', 'b'], [0])).toEqual([1, 1]);
    expect(classWeightsFor({ b: 3 }, ['a', 'b'], [0])).toEqual([1, 3]);
    expect(() => classWeightsFor({ c: 3 }, ['a', 'b'], [0])).toThrow(/"c", not a class/);
  });
});
