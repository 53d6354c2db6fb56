import { z } from 'zod';
import { AudioEvent } from './audio-portal.js';

/** The portal's three voting families, by the names `model_votes` uses. */
export const AUDIO_MODEL_FAMILIES = ['CNN', 'TRANSFORMER', 'TRADITIONAL'] as const;
export const AudioModelFamily = z.enum(AUDIO_MODEL_FAMILIES);

const Probabilities = z.record(z.string(), z.number());

export const AudioTrainingConfig = z.strictObject({
  epochs: z.number().int().min(1).max(500).default(20),
  batch_size: z.number().int().min(1).max(1024).default(32),
  learning_rate: z.number().gt(0).max(1).default(0.003),
  families: z
    .array(AudioModelFamily)
    .min(1)
    .refine((f) => new Set(f).size === f.length, 'families must not repeat')
    .default([...AUDIO_MODEL_FAMILIES])
    .describe('Which families to train; the others are left out of the vote'),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .default(42),
});
export type AudioTrainingConfig = z.infer<typeof AudioTrainingConfig>;

export const AudioTrainingStartResponse = z.object({
  success: z.literal(true),
  message: z.string(),
  job_id: z.string(),
  status: z.literal('training'),
  split_index: z.number().int(),
  config: AudioTrainingConfig,
});

export const AudioFamilyProgress = z.object({
  status: z.enum(['waiting', 'training', 'done']),
  epoch: z.number().int(),
  epochs: z.number().int(),
  loss: z.number().nullable(),
  accuracy: z.number().nullable(),
  val_loss: z.number().nullable(),
  val_accuracy: z.number().nullable(),
});

export const AudioTrainingStatus = z.object({
  success: z.literal(true),
  status: z.enum(['idle', 'training', 'completed', 'failed', 'cancelled', 'interrupted']),
  progress: z.number().describe('0 … 1'),
  progress_percent: z.number(),
  message: z.string(),
  job_id: z.string().nullable(),
  eta_seconds: z.number().nullable(),
  metrics: z.record(z.string(), AudioFamilyProgress).describe('Per family, its last epoch'),
  error: z.string().nullable(),
  started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
});
export type AudioTrainingStatus = z.infer<typeof AudioTrainingStatus>;

export const AudioScores = z.object({
  accuracy: z.number(),
  macro_f1: z.number(),
  per_class: z.record(
    z.string(),
    z.object({
      precision: z.number(),
      recall: z.number(),
      f1: z.number(),
      support: z.number().int(),
    }),
  ),
  confusion_matrix: z
    .array(z.array(z.number().int()))
    .describe('Rows: true class; columns: predicted, in `classes` order'),
});

export const AudioModelPerformance = z.object({
  success: z.literal(true),
  trained_at: z.string(),
  evaluated_on: z.enum(['test', 'val']),
  classes: z.array(z.string()),
  clips: z.number().int(),
  families: z.record(z.string(), AudioScores),
  vote: AudioScores,
  weights: z.record(z.string(), z.number()),
  agreement: z
    .record(z.string(), z.number())
    .describe('"CNN/TRANSFORMER" → share of clips both classed alike'),
});
export type AudioModelPerformance = z.infer<typeof AudioModelPerformance>;

export const AudioUploadResponse = z.object({
  success: z.literal(true),
  filename: z.string(),
  predicted_label: z.string(),
  confidence: z.number(),
  processing_time: z.number().describe('Seconds'),
  all_probabilities: Probabilities,
  model_votes: z.record(z.string(), z.string()),
  waveform: z.array(z.number()),
  sample_rate: z.number().int(),
  duration: z.number(),
  timestamp: z.string(),
  events: z.array(AudioEvent),
});
export type AudioUploadResponse = z.infer<typeof AudioUploadResponse>;

export const AudioQuickClassifyBody = z.strictObject({
  audio: z.array(z.number()).min(1, 'audio must hold at least one sample'),
  sample_rate: z.number().int().min(1000).max(384_000).default(22050),
});

export const AudioQuickClassifyResponse = z.object({
  success: z.literal(true),
  predicted_label: z.string(),
  confidence: z.number(),
  all_probabilities: Probabilities,
});
export type AudioQuickClassifyResponse = z.infer<typeof AudioQuickClassifyResponse>;
