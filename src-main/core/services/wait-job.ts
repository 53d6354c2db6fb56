import type { Job, PlatformHandlers } from '../../../src-shared/contract/index.js';

/** What waiting needs: the job events and the job as it is now. */
export interface JobWatch {
  readonly ops: Pick<PlatformHandlers, 'getJob'>;
  onJob(jobId: string, listener: (job: Job) => void): () => void;
}

/**
 * Resolves with the job once it has ended (any status but pending/running). Subscribes before
 * reading the current state, so an end between the two is not missed.
 */
export function waitJob(deps: JobWatch, jobId: string): Promise<Job> {
  return new Promise((resolve) => {
    let off: (() => void) | null = null;
    const check = (job: Job): void => {
      if (job.status === 'pending' || job.status === 'running') return;
      off?.();
      resolve(job);
    };
    off = deps.onJob(jobId, check);
    void deps.ops.getJob({ job_id: jobId }).then(check, () => undefined);
  });
}
