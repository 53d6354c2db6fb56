import { z } from 'zod';
import { IsoDate, JobId, ProjectId } from './common.js';

export const JobStatus = z.enum(['pending', 'running', 'completed', 'failed', 'cancelled']);
export type JobStatus = z.infer<typeof JobStatus>;

export const JobKind = z.enum(['import']);

/** One file that an import could not take, and why; the rest of the import goes on. */
export const ImportFileError = z.object({
  file: z.string(),
  code: z.string(),
  message: z.string(),
});
export type ImportFileError = z.infer<typeof ImportFileError>;

export const ImportResult = z.object({
  imported: z.number().int(),
  duplicates: z.number().int(),
  failed: z.number().int(),
  errors: z.array(ImportFileError),
});
export type ImportResult = z.infer<typeof ImportResult>;

export const Job = z.object({
  id: JobId,
  kind: JobKind,
  project_id: ProjectId,
  status: JobStatus,
  /** Files looked at so far, of `total` (0 while the total is not yet known). */
  done: z.number().int(),
  total: z.number().int(),
  message: z.string(),
  result: ImportResult.nullable(),
  error: z.string().nullable(),
  created_at: IsoDate,
  updated_at: IsoDate,
});
export type Job = z.infer<typeof Job>;

export const JobIdParams = z.object({ job_id: JobId });
