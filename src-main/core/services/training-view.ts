import { randomBytes } from 'node:crypto';
import type {
  EpochMetrics,
  Experiment,
  ExperimentConfig,
  Run,
  RunProgress,
  RunStatus,
} from '../../../src-shared/contract/training.js';
import type { CheckpointRecord, ExperimentRecord, RunRecord, Store } from '../store/index.js';

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

/** The checkpoint an epoch wrote, described by the run's `best_metric`. */
export function checkpointInfo(config: ExperimentConfig, metrics: EpochMetrics): CheckpointRecord {
  const metric = config.best_metric;
  const raw = metrics[metric];
  return {
    epoch: metrics.epoch,
    metric,
    value: typeof raw === 'number' && Number.isFinite(raw) ? raw : null,
  };
}

/** Messages a run carries when it ends for a reason other than its trainer's. */
export const STOPPED_BY_USER = 'stopped by the user; resume continues from the last checkpoint';
export const STOPPED_BY_CLOSE =
  'stopped because Assay was closed; resume continues from the last checkpoint';
export const INTERRUPTED_BY_CLOSE =
  'interrupted: Assay was closed and the training could not stop in time; resume continues from the last checkpoint';
export const NEVER_STARTED_BY_CLOSE =
  'interrupted: Assay was closed before this run started; resume to run it';
export const INTERRUPTED_AT_START =
  'interrupted: Assay stopped while this run was pending or running (no training worker is left); resume continues from the last checkpoint';

export function emptyProgress(epochs: number): RunProgress {
  return {
    epoch: 0,
    epochs,
    batch: 0,
    batches: 0,
    samples_per_second: 0,
    eta_seconds: null,
    phase: 'preparing',
  };
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

/** A split's index as it is now (indexes shift when an earlier split is deleted), or null. */
const indexOf = (store: Store, splitId: number | null): number | null =>
  splitId === null ? null : (store.trainingSources.split(splitId)?.index ?? null);

/** A run's name: the one a person gave it, else `<experiment> #<number>`. */
export function runName(experimentName: string, runNumber: number, given: string | null): string {
  return given ?? `${experimentName} #${runNumber}`;
}

export function toRun(store: Store, rec: RunRecord, live: LiveRunState): Run {
  const history = store.runs.epochs(rec.id);
  const experiment = store.experiments.get(rec.projectId, rec.experimentId);
  return {
    run_id: rec.id,
    name: runName(experiment?.name ?? 'Run', rec.number, rec.name),
    number: rec.number,
    renamed: rec.name !== null,
    experiment_id: rec.experimentId,
    project_id: rec.projectId,
    split_id: rec.splitId,
    split_name: rec.splitName,
    split_index: indexOf(store, rec.splitId),
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
    split_id: rec.splitId,
    split_name: rec.splitName,
    split_index: indexOf(store, rec.splitId),
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
