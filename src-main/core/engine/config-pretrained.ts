import type {
  Architecture,
  ExperimentConfig,
  ExperimentConfigInput,
} from '../../../src-shared/contract/training.js';
import { COMMON, invalid, NO_AUGMENTATION, stripUndefined } from './config-parts.js';

/**
 * Architectures whose inputs go through a frozen pretrained model once per item (feature cache):
 * their input size is the pretrained model's, and items cannot be augmented per epoch.
 */
export function isPretrainedFeatureArchitecture(a: Architecture): boolean {
  return a === 'mobilenet-v2-transfer' || a === 'speech-embedding-head';
}

/** A trained head on cached pretrained features: no augmentation, the pretrained model's input. */
export function pretrainedDefaults(architecture: Architecture): ExperimentConfig {
  const image = architecture === 'mobilenet-v2-transfer';
  return {
    ...structuredClone(COMMON),
    // A linear head on standardised features: a larger step than a network trained from scratch
    // gets it to convergence in a few hundred steps.
    optimizer: { name: 'adam', learning_rate: 1e-2, momentum: 0.9 },
    hidden_layers: [],
    architecture,
    input: image
      ? { ...TRANSFER_IMAGE_INPUT }
      : { sample_rate: 16000, clip_seconds: 1, n_mels: 32, window_ms: 25, hop_ms: 10 },
    dropout: 0.2,
    augmentation: { ...NO_AUGMENTATION },
    // A head on cached features costs milliseconds per epoch: train it to convergence.
    epochs: 100,
    batch_size: 16,
    early_stopping: { enabled: true, monitor: 'val_loss', patience: 10, min_delta: 0 },
    // val_accuracy saturates on small sets within a few epochs (an under-trained head would be
    // "best"); the loss keeps ranking the epochs.
    best_metric: 'val_loss',
  };
}

/** MobileNetV2's input (native-models/mobilenet-v2.json): 224×224 sRGB, pixels ÷ 255. */
const TRANSFER_IMAGE_INPUT = { width: 224, height: 224, channels: 3 } as const;

/**
 * A pretrained-feature architecture takes its feature model's input, and its items are not
 * augmented (their features are computed once). Settings that say otherwise are refused; values
 * inherited from another architecture's stored config (a PATCH switching to it) are replaced.
 */
export function pretrainedConfig(
  c: ExperimentConfig,
  inp: ExperimentConfigInput,
): ExperimentConfig {
  const image = c.architecture === 'mobilenet-v2-transfer';
  const given = stripUndefined((inp.input ?? {}) as Record<string, number>);
  if (image) {
    for (const [k, v] of Object.entries(given)) {
      if (TRANSFER_IMAGE_INPUT[k as keyof typeof TRANSFER_IMAGE_INPUT] !== v) {
        throw invalid(
          `mobilenet-v2-transfer takes 224×224×3 inputs (MobileNetV2's own); config.input.${k} cannot be ${v}`,
        );
      }
    }
  } else if (given['sample_rate'] !== undefined && given['sample_rate'] !== 16000) {
    throw invalid(
      `speech-embedding-head takes 16 kHz audio (openWakeWord's models); config.input.sample_rate cannot be ${given['sample_rate']}`,
    );
  }
  for (const [k, v] of Object.entries(inp.augmentation ?? {})) {
    if (v === undefined || v === false || v === 0) continue;
    throw invalid(
      `augmentation.${k} does not apply to ${c.architecture}: its pretrained features are computed once per item`,
    );
  }
  const input = image
    ? { ...TRANSFER_IMAGE_INPUT }
    : { ...c.input, sample_rate: 16000, n_mels: 32, window_ms: 25, hop_ms: 10 };
  const out: ExperimentConfig = { ...c, input, augmentation: { ...NO_AUGMENTATION } };
  if (image) out.fine_tune = inp.fine_tune ?? c.fine_tune ?? false;
  if (!image && (out.input['clip_seconds'] ?? 0) < 1) {
    throw invalid(
      'speech-embedding-head needs clips of at least 1 s (76 mel frames make one speech embedding)',
    );
  }
  return out;
}
