import { z } from 'zod';
import { IsoDate, ProjectId } from './common.js';
import { ExperimentId, RunId } from './training.js';

/**
 * Section 6 of training-platform.md: exports of a run's checkpoint as a ZIP (the model, a
 * metadata.json and a README). `format` and `options` are checked by core against the formats
 * and the model (unknown format or bad options 400, an input_shape contradicting the model 422).
 */
export const ExportId = z
  .string()
  .regex(/^xpt-[0-9a-f]{8}$/, 'export ids look like xpt-a1b2c3d4')
  .describe('Export id, e.g. xpt-a1b2c3d4');

export const ExportFormatName = z.enum(['onnx', 'tfjs']);
export type ExportFormatName = z.infer<typeof ExportFormatName>;

export const ExportFormat = z.object({
  name: ExportFormatName,
  description: z.string(),
  /** The ZIP's model files. */
  files: z.array(z.string()),
  /** Options the format takes, with their defaults (empty for tfjs). */
  options: z.record(z.string(), z.object({ description: z.string(), default: z.unknown() })),
});
export type ExportFormat = z.infer<typeof ExportFormat>;

export const ExportStatus = z.enum(['pending', 'running', 'completed', 'failed']);
export type ExportStatus = z.infer<typeof ExportStatus>;

export const CreateExportInput = z
  .object({
    experiment_id: ExperimentId,
    run_id: RunId,
    checkpoint: z.enum(['best', 'last']).default('best'),
    format: z.string().min(1).describe('onnx or tfjs (GET /api/export/formats)'),
    options: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('onnx: opset_version (13–17), input_shape ([N, C, H, W]), dynamic_axes, simplify'),
  })
  .strict();
export type CreateExportInput = z.infer<typeof CreateExportInput>;

export const Export = z.object({
  export_id: ExportId,
  project_id: ProjectId,
  experiment_id: ExperimentId,
  run_id: RunId,
  checkpoint: z.enum(['best', 'last']),
  format: ExportFormatName,
  options: z.record(z.string(), z.unknown()),
  status: ExportStatus,
  /** Why it failed. */
  message: z.string().nullable(),
  /** The ZIP's size once completed. */
  size_bytes: z.number().int().nullable(),
  /** Suggested download name. */
  filename: z.string(),
  download_url: z.string().nullable(),
  created_at: IsoDate,
  finished_at: IsoDate.nullable(),
});
export type Export = z.infer<typeof Export>;

export const ExportProjectParams = z.object({ project_id: ProjectId });
export const ExportParams = z.object({ project_id: ProjectId, export_id: ExportId });

/** The files of an export that can be downloaded on their own (besides the whole ZIP). */
export const ExportDownloadFile = z.enum(['model.onnx']);
export type ExportDownloadFile = z.infer<typeof ExportDownloadFile>;

export const DownloadExportQuery = z.object({
  /**
   * Omitted: the ZIP. `model.onnx`: the bare model of an ONNX export, for scripts that write the
   * response straight to a file.
   */
  file: ExportDownloadFile.optional(),
});
