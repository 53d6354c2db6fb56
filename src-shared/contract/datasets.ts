import { z } from 'zod';
import { IsoDate, Page, PageSize, ProjectId, paginated } from './common.js';
import { Task } from './projects.js';

export const MediaKind = z.enum(['image', 'audio', 'table']);
export type MediaKind = z.infer<typeof MediaKind>;

export const ItemStatus = z.enum(['ready', 'error']);

/**
 * One dataset item. `filename` is its name within the project: the path relative to the
 * imported folder (`gold/clip-01.wav`), unique per project; it is what URLs carry.
 */
export const DatasetItem = z.object({
  filename: z.string(),
  class: z.string().nullable(),
  media_kind: MediaKind,
  mime: z.string(),
  size: z.number().int().describe('bytes'),
  hash: z.string().describe('sha256 of the content, hex'),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  duration: z.number().nullable().describe('seconds, audio only'),
  sample_rate: z.number().int().nullable(),
  channels: z.number().int().nullable(),
  rows: z.number().int().nullable().describe('tables only'),
  columns: z.number().int().nullable().describe('tables only'),
  status: ItemStatus,
  created_at: IsoDate,
});
export type DatasetItem = z.infer<typeof DatasetItem>;

export const ClassStat = z.object({ name: z.string(), count: z.number().int() });

export const DatasetInfo = z.object({
  project_id: ProjectId,
  task: Task,
  total_items: z.number().int(),
  total_size: z.number().int(),
  classes: z.array(z.string()),
  class_counts: z.array(ClassStat),
  unlabeled: z.number().int(),
  media_kinds: z.record(z.string(), z.number().int()),
  split_names: z.array(z.string()),
  /** The import running now for this project, if any. */
  active_job_id: z.string().nullable(),
});
export type DatasetInfo = z.infer<typeof DatasetInfo>;

export const SortBy = z.enum(['filename', 'class', 'size']);
export const SortOrder = z.enum(['asc', 'desc']);

export const ListImagesQuery = z.object({
  page: Page,
  page_size: PageSize,
  sort_by: SortBy.default('filename'),
  sort_order: SortOrder.default('asc'),
  filter_class: z.string().optional(),
  search: z.string().optional(),
  media_kind: MediaKind.optional(),
});
export type ListImagesQuery = z.input<typeof ListImagesQuery>;

export const ItemPage = paginated(DatasetItem);
export type ItemPage = z.infer<typeof ItemPage>;

/** Item detail ("annotation info"): the item, its label, and where it sits in each split. */
export const ItemInfo = DatasetItem.extend({
  splits: z.array(
    z.object({ split_index: z.number().int(), name: z.string(), subset: z.string() }),
  ),
  /** Waveform peaks for audio (min/max pairs, -1..1), null for other kinds. */
  waveform: z.array(z.tuple([z.number(), z.number()])).nullable(),
});
export type ItemInfo = z.infer<typeof ItemInfo>;

export const ImportLocalInput = z.strictObject({
  path: z.string().min(1, 'path must not be empty'),
  /** Tables: which column is the target; default the last. */
  target_column: z.string().optional(),
});
export type ImportLocalInput = z.input<typeof ImportLocalInput>;

export const ImportStarted = z.object({
  job_id: z.string(),
  status: z.string(),
});
export type ImportStarted = z.infer<typeof ImportStarted>;

export const ProjectParams = z.object({ project_id: ProjectId });
export const ItemParams = z.object({ project_id: ProjectId, filename: z.string().min(1) });

/** The limits every import honours; shown by the API so scripts can check before sending. */
export const ImportLimits = z.object({
  max_upload_bytes: z.number().int(),
  max_zip_entries: z.number().int(),
  max_zip_total_bytes: z.number().int(),
  max_image_pixels: z.number().int(),
});
export type ImportLimits = z.infer<typeof ImportLimits>;
