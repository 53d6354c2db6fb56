import { z } from 'zod';

/**
 * /api/dataset/augment, /balance and /export (api-reference/audio-portal.md). Each technique is
 * `true` (its default ranges), `false` (off) or an object of ranges; a value is drawn per copy
 * from the range, uniformly, by a seeded generator. `min === max` asks for exactly that value.
 */
const range = (lo: number, hi: number, what: string) =>
  z.number().min(lo).max(hi).describe(`${what}, ${lo}…${hi}`);

const ranged = <S extends z.ZodRawShape>(shape: S, pairs: readonly [keyof S, keyof S][]) =>
  z.strictObject(shape).superRefine((v, ctx) => {
    const o = v as Record<keyof S, number | undefined>;
    for (const [a, b] of pairs) {
      const lo = o[a];
      const hi = o[b];
      if (lo !== undefined && hi !== undefined && lo > hi) {
        ctx.addIssue({
          code: 'custom',
          path: [String(a)],
          message: `must not exceed ${String(b)}`,
        });
      }
    }
  });

const TimeStretchParams = ranged(
  {
    min_rate: range(0.5, 2, 'tempo factor').optional(),
    max_rate: range(0.5, 2, 'tempo factor').optional(),
  },
  [['min_rate', 'max_rate']],
);
const PitchShiftParams = ranged(
  {
    min_semitones: range(-12, 12, 'semitones').optional(),
    max_semitones: range(-12, 12, 'semitones').optional(),
  },
  [['min_semitones', 'max_semitones']],
);
const AddNoiseParams = ranged(
  {
    min_snr_db: range(0, 80, 'dB below the clip RMS').optional(),
    max_snr_db: range(0, 80, 'dB below the clip RMS').optional(),
  },
  [['min_snr_db', 'max_snr_db']],
);
const TimeShiftParams = ranged(
  {
    min_seconds: range(-5, 5, 'seconds (negative: earlier)').optional(),
    max_seconds: range(-5, 5, 'seconds').optional(),
  },
  [['min_seconds', 'max_seconds']],
);
const GainParams = ranged(
  { min_db: range(-60, 0, 'dB').optional(), max_db: range(-60, 0, 'dB').optional() },
  [['min_db', 'max_db']],
);

const technique = <T extends z.ZodType>(params: T) => z.union([z.boolean(), params]).optional();

export const AudioAugmentTechniques = z.strictObject({
  time_stretch: technique(TimeStretchParams).describe('SoundTouch WSOLA; default rate 0.85…1.15'),
  pitch_shift: technique(PitchShiftParams).describe('SoundTouch; default −2…+2 semitones'),
  add_noise: technique(AddNoiseParams).describe(
    'Gaussian noise at an SNR relative to the clip; default 25…40 dB',
  ),
  time_shift: technique(TimeShiftParams).describe(
    'Silence fills what moves in; default −0.25…+0.25 s',
  ),
  gain: technique(GainParams).describe('default −20…0 dB'),
});
export type AudioAugmentTechniques = z.infer<typeof AudioAugmentTechniques>;
export const AUDIO_AUGMENT_TECHNIQUES = [
  'time_stretch',
  'pitch_shift',
  'add_noise',
  'time_shift',
  'gain',
] as const;
export type AudioAugmentTechnique = (typeof AUDIO_AUGMENT_TECHNIQUES)[number];

export const AudioAugmentRequest = z.strictObject({
  techniques: AudioAugmentTechniques,
  factor: z.number().int().min(1).max(20).default(1).describe('Copies made of each source file'),
  target_classes: z
    .union([z.literal('all'), z.array(z.string().min(1)).min(1)])
    .default('all')
    .describe('Classes whose files are augmented'),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 32 - 1)
    .default(0),
});
export type AudioAugmentRequest = z.input<typeof AudioAugmentRequest>;

/** What was drawn for one copy: its own recipe, stored with it as its lineage. */
export const AudioAugmentRecipe = z.object({
  time_stretch: z.object({ rate: z.number() }).optional(),
  pitch_shift: z.object({ semitones: z.number() }).optional(),
  add_noise: z.object({ snr_db: z.number() }).optional(),
  time_shift: z.object({ seconds: z.number() }).optional(),
  gain: z.object({ db: z.number() }).optional(),
  seed: z.number().int(),
  /** The file the samples were taken from (the root, or a copy of it). */
  derived_from: z.string(),
});
export type AudioAugmentRecipe = z.infer<typeof AudioAugmentRecipe>;

export const AudioAugmentedFile = z.object({
  filename: z.string(),
  class_label: z.string(),
  source: z.string().describe('The root original it is linked to (and split with)'),
  recipe: AudioAugmentRecipe,
});

const PerClassAugment = z.object({ sources: z.number().int(), created: z.number().int() });

export const AudioAugmentResponse = z.object({
  success: z.literal(true),
  message: z.string(),
  details: z.object({
    techniques: z.array(z.enum(AUDIO_AUGMENT_TECHNIQUES)),
    factor: z.number().int(),
    seed: z.number().int(),
    target_classes: z.array(z.string()),
    classes: z.record(z.string(), PerClassAugment),
    total_created: z.number().int(),
    /** Copies identical to one already there (the same seed run again): not added twice. */
    already_present: z.number().int(),
    created_files: z.array(AudioAugmentedFile),
  }),
});
export type AudioAugmentResponse = z.infer<typeof AudioAugmentResponse>;

export const AudioBalanceRequest = z.strictObject({
  method: z
    .enum(['oversample', 'undersample', 'restore'])
    .default('oversample')
    .describe(
      'oversample: augment smaller classes up to the largest; undersample: delete augmented ' +
        'copies, then exclude (never delete) originals beyond the smallest class; restore: ' +
        'include every excluded original again',
    ),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 32 - 1)
    .default(0),
});
export type AudioBalanceRequest = z.input<typeof AudioBalanceRequest>;

export const AudioClassDistribution = z.record(z.string(), z.number().int());

export const AudioBalanceResponse = z.object({
  success: z.literal(true),
  message: z.string(),
  method: z.enum(['oversample', 'undersample', 'restore']),
  original_distribution: AudioClassDistribution,
  new_distribution: AudioClassDistribution,
  created_files: z.number().int(),
  removed_copies: z.number().int(),
  excluded_files: z.number().int(),
  restored_files: z.number().int(),
});
export type AudioBalanceResponse = z.infer<typeof AudioBalanceResponse>;

/** `metadata.json` at the root of the export ZIP. */
export const AudioDatasetExportMetadata = z.object({
  format: z.literal('assay-audio-dataset/1'),
  created_at: z.string(),
  total_files: z.number().int(),
  classes: AudioClassDistribution,
  files: z.array(
    z.object({
      path: z.string().describe('In the ZIP: `<class>/<name>`'),
      filename: z.string().describe('In the dataset'),
      class_label: z.string(),
      duration: z.number().nullable(),
      sample_rate: z.number().int().nullable(),
      events: z.array(z.object({ onset: z.number(), offset: z.number() })),
      excluded: z.boolean(),
      created_at: z.string(),
      augmentation: z
        .object({ source: z.string().describe("The root's path in the ZIP"), recipe: z.unknown() })
        .nullable(),
    }),
  ),
});
export type AudioDatasetExportMetadata = z.infer<typeof AudioDatasetExportMetadata>;
