import { z } from 'zod';
import { IsoDate, JobId, Page, PageSize, ProjectId, paginated } from './common.js';

/** `interrupted`: the app stopped while the job ran (a crash or kill); see `resumable`. */
export const JobStatus = z.enum([
  'pending',
  'running',
  'completed',
  'failed',
  'cancelled',
  'interrupted',
]);
export type JobStatus = z.infer<typeof JobStatus>;

/** Every kind of background work; each is declared once in src-main/core/jobs/kinds. */
export const JobKind = z.enum([
  'import',
  'training',
  'evaluation',
  'export',
  'regression-training',
  'audio-augment',
  'audio-training',
]);
export type JobKind = z.infer<typeof JobKind>;

/** One file that an import could not take, and why; the rest of the import goes on. */
export const ImportFileError = z.object({
  file: z.string(),
  code: z.string(),
  message: z.string(),
});
export type ImportFileError = z.infer<typeof ImportFileError>;

/** `errors` holds the first few refusals; all of them are paged by `GET /api/jobs/{id}/errors`. */
export const ImportResult = z.object({
  imported: z.number().int(),
  duplicates: z.number().int(),
  failed: z.number().int(),
  errors: z.array(ImportFileError),
});
export type ImportResult = z.infer<typeof ImportResult>;

/** What other kinds report when they end: small scalars (ids, counts, the thread that ran it). */
export const JobOutcome = z.record(
  z.string(),
  z.union([z.string(), z.number(), z.boolean(), z.null()]),
);
export type JobOutcome = z.infer<typeof JobOutcome>;

export const Job = z.object({
  id: JobId,
  kind: JobKind,
  project_id: ProjectId,
  status: JobStatus,
  /** Work done so far, of `total` (files, epochs, items or steps by kind; 0 while unknown). */
  done: z.number().int(),
  total: z.number().int(),
  message: z.string(),
  result: z.union([ImportResult, JobOutcome]).nullable(),
  error: z.string().nullable(),
  /** Seconds left, estimated from the pace so far; null while unknown. */
  eta_seconds: z.number().nullable(),
  /** Whether an interrupted job of this kind can continue where it stopped. */
  resumable: z.boolean(),
  /** What the job works on: the run, evaluation or export id (null for imports). */
  subject_id: z.string().nullable(),
  created_at: IsoDate,
  updated_at: IsoDate,
  started_at: IsoDate.nullable(),
  finished_at: IsoDate.nullable(),
});
export type Job = z.infer<typeof Job>;

export const JobIdParams = z.object({ job_id: JobId });

export const ListJobsQuery = z.object({
  kind: JobKind.optional(),
  status: JobStatus.optional(),
  project_id: ProjectId.optional(),
  page: Page,
  page_size: PageSize,
});
export const JobPage = paginated(Job);

export const JobErrorsQuery = z.object({ page: Page, page_size: PageSize });
export const JobErrorPage = paginated(ImportFileError);

/** An import job's result, typed (null for other kinds and while nothing is known). */
export function importResultOf(job: Pick<Job, 'result'>): ImportResult | null {
  const parsed = ImportResult.safeParse(job.result);
  return parsed.success ? parsed.data : null;
}
