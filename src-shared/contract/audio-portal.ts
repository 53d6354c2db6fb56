import { z } from 'zod';

/** The portal's classes (api-reference/audio-portal.md: gold, iron, other). */
export const AUDIO_CLASSES = ['gold', 'iron', 'other'] as const;
export type AudioClass = (typeof AUDIO_CLASSES)[number];

export const AudioEvent = z.object({
  onset: z.number().describe('Seconds from the clip start'),
  offset: z.number(),
});
export type AudioEvent = z.infer<typeof AudioEvent>;

export const AudioClassCounts = z.object({
  files: z.number().int(),
  events: z.number().int(),
});

export const AudioDatasetInfo = z.object({
  total_files: z.number().int(),
  total_events: z.number().int(),
  classes: z.record(z.string(), AudioClassCounts),
});
export type AudioDatasetInfo = z.infer<typeof AudioDatasetInfo>;

/** Checked by the service, not here, so a missing label is worded like an unknown one. */
export const AudioDatasetUploadFields = z.object({
  class_label: z.string().optional(),
});

export const AudioDatasetUploadResponse = z.object({
  success: z.literal(true),
  message: z.string(),
  filename: z.string().describe('Path of the file in the dataset (`<class>/<name>`)'),
  class_label: z.enum(AUDIO_CLASSES),
  duration: z.number(),
  sample_rate: z.number().int(),
  events: z.array(AudioEvent),
});
export type AudioDatasetUploadResponse = z.infer<typeof AudioDatasetUploadResponse>;

export const AudioWaveformResponse = z.object({
  success: z.literal(true),
  filename: z.string(),
  class_label: z.string().nullable(),
  waveform: z.array(z.number()).describe('Downsampled: the largest-magnitude sample per bucket'),
  sample_rate: z.number().int(),
  duration: z.number(),
  events: z.array(AudioEvent),
});
export type AudioWaveformResponse = z.infer<typeof AudioWaveformResponse>;
