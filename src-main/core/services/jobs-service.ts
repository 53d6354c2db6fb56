import type { Job, OperationHandlers } from '../../../src-shared/contract/index.js';
import { notFound } from '../errors.js';
import type { JobRunner } from '../jobs/job-runner.js';
import type { ServiceContext } from './context.js';

export type JobsService = Pick<
  OperationHandlers,
  'listJobs' | 'getJob' | 'cancelJob' | 'listJobErrors'
>;

export function createJobsService(ctx: ServiceContext, jobs: JobRunner): JobsService {
  const requireJob = (id: string): Job => {
    const job = ctx.store.jobs.get(id);
    if (!job) throw notFound(`job ${id}`);
    return job;
  };
  return {
    listJobs: async ({ kind, status, project_id, page, page_size }) => {
      const filter = { kind, status, projectId: project_id };
      const total = ctx.store.jobs.count(filter);
      return {
        items: ctx.store.jobs.list(filter, page_size, (page - 1) * page_size),
        total,
        page,
        page_size,
        total_pages: Math.ceil(total / page_size),
      };
    },
    getJob: async ({ job_id }) => requireJob(job_id),
    // Cancelling a finished job is not an error: the reply shows how it ended.
    cancelJob: async ({ job_id }) => {
      const job = await jobs.cancel(job_id);
      if (!job) throw notFound(`job ${job_id}`);
      return job;
    },
    listJobErrors: async ({ job_id, page, page_size }) => {
      requireJob(job_id);
      const total = ctx.store.jobs.errorCount(job_id);
      return {
        items: ctx.store.jobs.errors(job_id, page_size, (page - 1) * page_size),
        total,
        page,
        page_size,
        total_pages: Math.ceil(total / page_size),
      };
    },
  };
}
