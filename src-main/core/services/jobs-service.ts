import type { OperationHandlers } from '../../../src-shared/contract/index.js';
import { notFound } from '../errors.js';
import type { ServiceContext } from './context.js';
import type { ImportJobs } from './import-jobs.js';

export type JobsService = Pick<OperationHandlers, 'getJob' | 'cancelJob'>;

export function createJobsService(ctx: ServiceContext, imports: ImportJobs): JobsService {
  return {
    getJob: async ({ job_id }) => {
      const job = ctx.store.jobs.get(job_id);
      if (!job) throw notFound(`job ${job_id}`);
      return job;
    },
    // Cancelling a finished job is not an error: the reply shows how it ended.
    cancelJob: async ({ job_id }) => {
      const job = await imports.cancel(job_id);
      if (!job) throw notFound(`job ${job_id}`);
      return job;
    },
  };
}
