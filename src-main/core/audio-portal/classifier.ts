import type { AudioClass } from '../../../src-shared/contract/index.js';

/**
 * The seam between the portal's trained models and what uses them (`/api/upload`,
 * `/api/quick-classify`, the Socket.IO stream, the recorder): whoever classifies audio asks
 * `AudioModels.current()` and never knows how the three families are stored or run.
 */

/** The three families of api-reference/audio-portal.md, by the names its `model_votes` uses. */
export const AUDIO_FAMILIES = ['CNN', 'TRANSFORMER', 'TRADITIONAL'] as const;
export type AudioFamily = (typeof AUDIO_FAMILIES)[number];

export type ClassProbabilities = Readonly<Record<AudioClass, number>>;

export interface FamilyOutput {
  readonly label: AudioClass;
  readonly probabilities: ClassProbabilities;
}

/** One clip's (or one window's) answer: the weighted soft vote and each family's own. */
export interface Verdict {
  readonly predicted_label: AudioClass;
  readonly confidence: number;
  readonly all_probabilities: ClassProbabilities;
  /** The label each trained family voted for (a family not trained is absent). */
  readonly model_votes: Partial<Record<AudioFamily, AudioClass>>;
  readonly families: Partial<Record<AudioFamily, FamilyOutput>>;
  /** The acoustic events (seconds from the start) the verdict was reached over, when known. */
  readonly events?: readonly { readonly onset: number; readonly offset: number }[];
}

/** A trained model set, loaded once and kept until a newer training run replaces it. */
export interface AudioClassifier {
  /** The rate the models take their input at; callers resample to it. */
  readonly sampleRate: number;
  /** The window the models were trained on, in samples at `sampleRate`. */
  readonly windowSamples: number;
  readonly families: readonly AudioFamily[];
  /**
   * Classifies mono audio at `sampleRate`. A clip shorter than a window is padded; a longer
   * one is judged over its acoustic events' windows (the whole clip when it has none).
   */
  classify(mono: Float32Array): Promise<Verdict>;
  /** The same for audio at any rate: resampled off the main thread, where the models run. */
  classifyAt?(samples: Float32Array, sampleRate: number): Promise<Verdict>;
}

export interface AudioModels {
  /** The current model set, or null while none was trained in the portal's project. */
  current(): Promise<AudioClassifier | null>;
  /** Called after a training run replaces the model set. */
  onChange(listener: () => void): () => void;
}

/** `training_update` of the reference: `{progress, metrics, status}`, pushed while training runs. */
export interface AudioTrainingUpdate {
  readonly progress: number;
  readonly status: string;
  readonly metrics: Readonly<Record<string, unknown>>;
}

export interface AudioTrainingEvents {
  onUpdate(listener: (update: AudioTrainingUpdate) => void): () => void;
}
