import { randomBytes } from 'node:crypto';
import type {
  Experiment,
  Run,
  RunProgress,
  RunStatus,
} from '../../../src-shared/contract/training.js';
import type { ExperimentRecord, RunRecord, Store } from '../store/index.js';

/** Runs in these states have no worker and none is coming; they wait for resume or delete. */
export const SETTLED_STATUSES: ReadonlySet<RunStatus> = new Set([
  'completed',
  'failed',
  'stopped',
  'interrupted',
]);

/** `prefix` + 8 random hex digits, retried on the (astronomically rare) collision. */
export function newTrainingId(prefix: 'exp-' | 'run-', taken: (id: string) => boolean): string {
  for (;;) {
    const id = `${prefix}${randomBytes(4).toString('hex')}`;
    if (!taken(id)) return id;
  }
}

export function queuedProgress(epochs: number): RunProgress {
  return {
    epoch: 0,
    epochs,
    batch: 0,
    batches: 0,
    samples_per_second: 0,
    eta_seconds: null,
    phase: 'queued',
  };
}

/** What only the run manager knows: live progress and places in the queue. */
export interface LiveRunState {
  progress(runId: string): RunProgress | null;
  queuePosition(runId: string): number | null;
}

export function toRun(store: Store, rec: RunRecord, live: LiveRunState): Run {
  const history = store.runs.epochs(rec.id);
  return {
    run_id: rec.id,
    experiment_id: rec.experimentId,
    project_id: rec.projectId,
    status: rec.status,
    config: rec.config,
    backend: rec.backend,
    device: rec.device,
    created_at: rec.createdAt,
    started_at: rec.startedAt,
    finished_at: rec.finishedAt,
    progress: live.progress(rec.id) ?? rec.progress,
    metrics: { history, best: rec.best },
    checkpoints: { best: rec.best, last: rec.last },
    message: rec.message,
    queue_position: rec.status === 'pending' ? live.queuePosition(rec.id) : null,
  };
}

export function toExperiment(store: Store, rec: ExperimentRecord): Experiment {
  return {
    id: rec.id,
    project_id: rec.projectId,
    name: rec.name,
    split_index: rec.splitIndex,
    config: rec.config,
    created_at: rec.createdAt,
    updated_at: rec.updatedAt,
    runs: store.runs.summaries(rec.id).map((s) => ({
      run_id: s.id,
      status: s.status,
      created_at: s.createdAt,
      epochs_completed: s.epochsCompleted,
      best_value: s.bestValue,
    })),
  };
}
