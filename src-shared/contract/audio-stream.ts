import { z } from 'zod';
import { AUDIO_CLASSES } from './audio-portal.js';

/**
 * The audio portal's live stream (api-reference/audio-portal.md, Socket.IO section): the events
 * clients and the server exchange, the stream's stored settings, and the main-process recorder.
 */

/** Rates a chunk may claim: anything a sound card or a browser's AudioContext produces. */
export const STREAM_MIN_RATE = 4000;
export const STREAM_MAX_RATE = 384_000;
/** One chunk holds at most this many samples (2 s at 192 kHz; the reference buffers 2 s). */
export const STREAM_MAX_CHUNK = 384_000;

const Probability = z.number().min(0).max(1);

export const ClassThresholds = z
  .strictObject({ gold: Probability, iron: Probability, other: Probability })
  .partial()
  .describe('Per class: the confidence a verdict of that class needs before it is sent');
export type ClassThresholds = z.infer<typeof ClassThresholds>;

/** `start_stream`'s optional settings: the reference sends none. */
export const StartStreamSettings = z
  .strictObject({ thresholds: ClassThresholds.optional() })
  .optional()
  .nullable();

export const AudioChunk = z.object({
  audio: z
    .array(z.number({ error: 'audio samples must be finite numbers (NaN and ±Infinity are not)' }))
    .max(STREAM_MAX_CHUNK, `a chunk holds at most ${STREAM_MAX_CHUNK} samples`),
  sampleRate: z
    .number()
    .int('sampleRate must be a whole number of samples per second')
    .min(STREAM_MIN_RATE, `sampleRate must be at least ${STREAM_MIN_RATE}`)
    .max(STREAM_MAX_RATE, `sampleRate must be at most ${STREAM_MAX_RATE}`),
});
export type AudioChunk = z.infer<typeof AudioChunk>;

/** Client events carry nothing the server reads (the reference's clients send none or `{}`). */
const NoPayload = z.unknown().optional();

const Probabilities = z.object({ gold: z.number(), iron: z.number(), other: z.number() });

export const AudioStreamMessage = z.object({ message: z.string() });

export const ClassificationResult = z.object({
  predicted_label: z.enum(AUDIO_CLASSES),
  confidence: z.number(),
  timestamp: z.string().describe('ISO-8601 UTC time the verdict was made'),
  all_probabilities: Probabilities,
  model_votes: z.record(z.string(), z.enum(AUDIO_CLASSES)),
  event: z
    .object({
      onset: z.number().describe('Seconds from the stream start (at the first chunk)'),
      latency_ms: z.number().describe('From the onset in the stream to this verdict being made'),
    })
    .describe('The acoustic event judged'),
  source: z.enum(['client', 'recorder']).describe('Whose audio: this client or the recorder'),
});
export type ClassificationResult = z.infer<typeof ClassificationResult>;

export const AudioTrainingUpdateEvent = z.object({
  progress: z.number(),
  metrics: z.record(z.string(), z.unknown()),
  status: z.string(),
});

export const AudioStreamError = z.object({ success: z.literal(false), error: z.string() });

export const audioStreamClientEvents = {
  start_stream: StartStreamSettings,
  audio_data: AudioChunk,
  stop_stream: NoPayload,
} as const;

export const audioStreamServerEvents = {
  stream_started: AudioStreamMessage,
  stream_stopped: AudioStreamMessage,
  classification_result: ClassificationResult,
  training_update: AudioTrainingUpdateEvent,
  stream_error: AudioStreamError,
} as const;

export const RECORDER_PROGRAMS = ['sox', 'rec', 'arecord'] as const;

export const RecorderSettings = z.strictObject({
  program: z.enum(RECORDER_PROGRAMS).describe('sox (default device), rec, or arecord (ALSA)'),
  device: z
    .string()
    .max(200)
    .regex(/^[^\0\n]*$/)
    .nullable()
    .describe('Capture device (sox: AUDIODEV, arecord: -D); null for the default'),
  sample_rate: z.number().int().min(8000).max(96_000),
});

export const AudioStreamSettings = z.object({
  thresholds: z.object({ gold: Probability, iron: Probability, other: Probability }),
  source: z
    .enum(['microphone', 'recorder'])
    .describe('Where the Realtime screen listens: the window microphone or the recorder'),
  recorder: RecorderSettings,
});
export type AudioStreamSettings = z.infer<typeof AudioStreamSettings>;

export const AudioStreamSettingsPatch = z.strictObject({
  thresholds: ClassThresholds.optional(),
  source: AudioStreamSettings.shape.source.optional(),
  recorder: RecorderSettings.partial().optional(),
});
export type AudioStreamSettingsPatch = z.infer<typeof AudioStreamSettingsPatch>;

export const RecorderStatus = z.object({
  running: z.boolean(),
  program: z.enum(RECORDER_PROGRAMS),
  device: z.string().nullable(),
  sample_rate: z.number().int(),
  started_at: z.string().nullable(),
  seconds: z.number().describe('Audio received since it started'),
  verdicts: z.number().int(),
  last_error: z.string().nullable(),
});
export type RecorderStatus = z.infer<typeof RecorderStatus>;

export const RecorderStartBody = z
  .strictObject({
    program: RecorderSettings.shape.program.optional(),
    device: RecorderSettings.shape.device.optional(),
    sample_rate: RecorderSettings.shape.sample_rate.optional(),
  })
  .default({});
