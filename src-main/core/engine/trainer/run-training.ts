import type { TrainerEvent, TrainJob, TrainingTestOptions } from './training-runner.js';

export interface TrainingContext {
  readonly emit: (e: TrainerEvent) => void;
  /** Polled between batches (the worker's message handler runs while a batch awaits). */
  readonly stopRequested: () => boolean;
  readonly testOptions: TrainingTestOptions;
}

/** Placeholder until the training loop lands: fails every run with a clear message. */
export async function runTraining(job: TrainJob, ctx: TrainingContext): Promise<void> {
  ctx.emit({ type: 'failed', message: `run ${job.runId}: the training loop is not built yet` });
}
