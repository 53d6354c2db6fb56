import { z } from 'zod';
import { IsoDate } from './common.js';

export const SplitSubset = z.enum(['train', 'val', 'test', 'none']);
export type SplitSubset = z.infer<typeof SplitSubset>;

const Ratio = z.number().min(0).max(1);

export const SplitRatios = z
  .strictObject({ train: Ratio, val: Ratio.default(0), test: Ratio.default(0) })
  .refine((r) => r.train + r.val + r.test <= 1 + 1e-9, {
    message: 'ratios must add up to at most 1 (the rest is left out as "none")',
  })
  .refine((r) => r.train + r.val + r.test > 0, { message: 'ratios must not all be zero' });
export type SplitRatios = z.infer<typeof SplitRatios>;

export const CreateSplitInput = z.strictObject({
  name: z.string().trim().min(1).max(200),
  ratios: SplitRatios,
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 32 - 1)
    .default(42),
  /** Stratify by class (the default); false draws from the whole pool. */
  stratify: z.boolean().default(true),
});
export type CreateSplitInput = z.input<typeof CreateSplitInput>;

export const SplitStats = z.object({
  train: z.number().int(),
  val: z.number().int(),
  test: z.number().int(),
  none: z.number().int(),
});
export type SplitStats = z.infer<typeof SplitStats>;

export const ClassDistribution = z.object({
  class: z.string(),
  train: z.number().int(),
  val: z.number().int(),
  test: z.number().int(),
  none: z.number().int(),
});
export type ClassDistribution = z.infer<typeof ClassDistribution>;

export const SplitSummary = z.object({
  split_index: z.number().int(),
  name: z.string(),
  ratios: z.object({ train: z.number(), val: z.number(), test: z.number() }),
  seed: z.number().int(),
  stratify: z.boolean(),
  stats: SplitStats,
  created_at: IsoDate,
});
export type SplitSummary = z.infer<typeof SplitSummary>;

export const SplitDetail = SplitSummary.extend({
  per_class: z.array(ClassDistribution),
});
export type SplitDetail = z.infer<typeof SplitDetail>;

export const SplitList = z.object({
  split_names: z.array(z.string()),
  splits: z.array(SplitSummary),
});
export type SplitList = z.infer<typeof SplitList>;

/** Preview takes the same fields as create, from the query string. */
export const SplitPreviewQuery = z.object({
  train: z.coerce.number().min(0).max(1).default(0.8),
  val: z.coerce.number().min(0).max(1).default(0.1),
  test: z.coerce.number().min(0).max(1).default(0.1),
  seed: z.coerce
    .number()
    .int()
    .min(0)
    .max(2 ** 32 - 1)
    .default(42),
  stratify: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
});
export type SplitPreviewQuery = z.input<typeof SplitPreviewQuery>;

export const SplitPreview = z.object({
  ratios: z.object({ train: z.number(), val: z.number(), test: z.number() }),
  seed: z.number().int(),
  stratify: z.boolean(),
  stats: SplitStats,
  per_class: z.array(ClassDistribution),
});
export type SplitPreview = z.infer<typeof SplitPreview>;

export const SplitCreated = z.object({
  split_index: z.number().int(),
  name: z.string(),
  stats: z.object({ train: z.number().int(), val: z.number().int(), test: z.number().int() }),
});
export type SplitCreated = z.infer<typeof SplitCreated>;

export const SplitIndexParams = z.object({
  project_id: z.string(),
  split_index: z.coerce.number().int().min(0),
});

/** `dataset.json`, the file format older tools read: splits inline, per image. */
export const DatasetJson = z.object({
  version: z.literal(1),
  project: z.object({ id: z.string(), name: z.string(), task: z.string() }),
  classes: z.array(z.string()),
  split_names: z.array(z.string()),
  images: z.array(
    z.object({
      filename: z.string(),
      class: z.string().nullable(),
      split: z.array(SplitSubset),
    }),
  ),
});
export type DatasetJson = z.infer<typeof DatasetJson>;
