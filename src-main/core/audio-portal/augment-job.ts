import { randomBytes } from 'node:crypto';
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Job, PlatformHandlers } from '../../../src-shared/contract/index.js';
import { AppError } from '../errors.js';
import type { JobKindDecl } from '../jobs/job-kind.js';
import type { JobRunner } from '../jobs/job-runner.js';
import type { ServiceContext } from '../services/context.js';
import { waitJob } from '../services/wait-job.js';
import type { StagedCopy } from './augment-copies.js';
import type { AugmentTaskInput, AugmentTaskResult } from './augment-task.js';

// The task module by file URL (it lives beside the portal, not under core/jobs/tasks).
const TASK_MODULE = new URL(
  `./augment-task${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`,
  import.meta.url,
).href;

export type AugmentCopies = AugmentTaskInput['copies'];

export interface AugmentJobs {
  readonly kind: JobKindDecl<AugmentTaskInput, AugmentTaskResult>;
  /** Runs the copies as a job of the project (progress in the job list) and waits for them. */
  run(projectId: string, copies: AugmentCopies): Promise<StagedCopy[]>;
}

export interface AugmentJobDeps {
  readonly jobs: JobRunner;
  readonly ops: Pick<PlatformHandlers, 'getJob'>;
  onJob(jobId: string, listener: (job: Job) => void): () => void;
}

async function removeStaged(tmpDir: string, prefix: string): Promise<void> {
  const names = await readdir(tmpDir).catch(() => [] as string[]);
  const mine = names.filter((n) => n.startsWith(`${prefix}-`));
  await Promise.all(mine.map((n) => rm(path.join(tmpDir, n), { force: true })));
}

/**
 * The `audio-augment` job kind. Its staged files are handed to an import when it completes; one
 * cancelled, failed or cut short by a crash leaves them behind, and its cleanup removes them.
 */
export function createAugmentJobs(ctx: ServiceContext, deps: AugmentJobDeps): AugmentJobs {
  const results = new Map<string, AugmentTaskResult>();
  const kind: JobKindDecl<AugmentTaskInput, AugmentTaskResult> = {
    kind: 'audio-augment',
    execution: { thread: 'task', module: TASK_MODULE },
    resumable: false,
    progressUnit: 'items',
    cancel: 'abandon',
    crash: {
      after: 'interrupted',
      message: 'interrupted: the app stopped while augmented copies were made; augment again',
    },
    async cleanup(job) {
      if (job.subject_id) await removeStaged(ctx.layout.tmpDir, job.subject_id);
    },
    finished(job, end) {
      if (!end.ok) return null;
      results.set(job.id, end.value);
      return { copies: end.value.length };
    },
  };
  return {
    kind,
    async run(projectId, copies) {
      const prefix = `augment-${randomBytes(6).toString('hex')}`;
      const input: AugmentTaskInput = {
        tmpDir: ctx.layout.tmpDir,
        prefix,
        maxSeconds: ctx.limits.maxAudioSeconds,
        copies,
      };
      const job = deps.jobs.submit('audio-augment', { projectId, subjectId: prefix, input });
      const end = await waitJob(deps, job.id);
      const staged = results.get(job.id);
      results.delete(job.id);
      if (end.status !== 'completed' || !staged) {
        await removeStaged(ctx.layout.tmpDir, prefix);
        const code = end.status === 'cancelled' ? 'conflict' : 'unprocessable';
        throw new AppError(code, `Augmentation ${end.status}: ${end.error ?? end.message}`);
      }
      return [...staged];
    },
  };
}
