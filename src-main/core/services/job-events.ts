import type { Job } from '../../../src-shared/contract/index.js';
import type { Logger } from './logger.js';

export type JobListener = (job: Job) => void;

/** Fan-out of job updates to subscribers (SSE streams, IPC windows). */
export class JobEvents {
  private readonly listeners = new Map<string, Set<JobListener>>();

  constructor(private readonly logger: Logger) {}

  on(jobId: string, listener: JobListener): () => void {
    let set = this.listeners.get(jobId);
    if (!set) {
      set = new Set();
      this.listeners.set(jobId, set);
    }
    set.add(listener);
    return () => {
      const current = this.listeners.get(jobId);
      if (!current) return;
      current.delete(listener);
      if (current.size === 0) this.listeners.delete(jobId);
    };
  }

  emit(job: Job): void {
    const set = this.listeners.get(job.id);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        listener(job);
      } catch (err) {
        // One broken subscriber (a closed window) must not stop the job or the others.
        this.logger.warn({ err, jobId: job.id }, 'job listener threw');
      }
    }
  }

  listenerCount(jobId: string): number {
    return this.listeners.get(jobId)?.size ?? 0;
  }
}
