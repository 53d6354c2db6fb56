import type {
  EpochMetrics,
  ExperimentConfig,
  RunProgress,
  RunStatus,
} from '../../../../src-shared/contract/training.js';
import type { SplitRecord } from './types.js';

/** The store's training interfaces (experiments, runs, per-epoch metrics); services see only these. */

export interface CheckpointRecord {
  readonly epoch: number;
  readonly metric: string;
  readonly value: number | null;
}

export interface ExperimentRecord {
  readonly id: string;
  readonly projectId: string;
  readonly name: string;
  /** The split's row id; null once that split was deleted. */
  readonly splitId: number | null;
  /** The split's name when the experiment chose it (kept to name it once it is gone). */
  readonly splitName: string | null;
  readonly config: ExperimentConfig;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface ExperimentPatch {
  readonly name?: string | undefined;
  readonly split?: { readonly id: number; readonly name: string } | undefined;
  readonly config?: ExperimentConfig | undefined;
}

export interface ExperimentsRepo {
  insert(experiment: ExperimentRecord): void;
  /** Only within its project: an id from another project reads as absent. */
  get(projectId: string, id: string): ExperimentRecord | undefined;
  /** Oldest first (creation order). */
  list(projectId: string): ExperimentRecord[];
  exists(id: string): boolean;
  update(id: string, patch: ExperimentPatch, updatedAt: string): ExperimentRecord | undefined;
  /** Deletes the experiment and, by cascade, its runs and their epochs. */
  delete(id: string): boolean;
}

export interface RunRecord {
  readonly id: string;
  readonly experimentId: string;
  readonly projectId: string;
  /** The split's row id (null once that split is deleted). */
  readonly splitId: number | null;
  /** The split's name when the run was created (kept after the split is deleted). */
  readonly splitName: string | null;
  readonly status: RunStatus;
  /** The experiment's config as it was when the run was created (later edits do not touch it). */
  readonly config: ExperimentConfig;
  /** Class names in label order, as the run was (last) started with; empty for regression. */
  readonly classes: readonly string[];
  readonly backend: string | null;
  readonly device: string | null;
  readonly createdAt: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly message: string | null;
  readonly best: CheckpointRecord | null;
  readonly last: CheckpointRecord | null;
  readonly progress: RunProgress | null;
  /** 1-based within the experiment; assigned by the store on insert (the value given is ignored). */
  readonly number: number;
  /** A name a person gave it; null: the default `<experiment> #<number>`. */
  readonly name: string | null;
}

export type RunPatch = Readonly<
  Partial<
    Pick<
      RunRecord,
      | 'status'
      | 'classes'
      | 'backend'
      | 'device'
      | 'startedAt'
      | 'finishedAt'
      | 'message'
      | 'best'
      | 'last'
      | 'progress'
      | 'name'
    >
  >
>;

export interface RunSummaryRecord {
  readonly id: string;
  readonly status: RunStatus;
  readonly createdAt: string;
  readonly epochsCompleted: number;
  readonly bestValue: number | null;
}

export interface RunsRepo {
  insert(run: RunRecord): void;
  get(projectId: string, id: string): RunRecord | undefined;
  exists(id: string): boolean;
  /** Newest first. */
  listByProject(projectId: string): RunRecord[];
  /** Newest first, with the count of stored epochs. */
  summaries(experimentId: string): RunSummaryRecord[];
  idsByExperiment(experimentId: string): string[];
  update(id: string, patch: RunPatch): RunRecord | undefined;
  /**
   * Stores a completed epoch and the run's checkpoint info in one transaction. An epoch already
   * stored is left as it is, with the checkpoint info it came with (its first report wins), and
   * false is returned.
   */
  addEpoch(
    id: string,
    metrics: EpochMetrics,
    checkpoints: { readonly best?: CheckpointRecord; readonly last: CheckpointRecord },
    at: string,
  ): boolean;
  /** Ordered by epoch. */
  epochs(id: string): EpochMetrics[];
  delete(id: string): boolean;
  /** Every run left pending/running is set to `status` with `message` (a previous process died). */
  markUnfinished(
    status: RunStatus,
    message: string,
    at: string,
  ): { readonly id: string; readonly previous: RunStatus }[];
}

/** One dataset item as a training run needs it: its content, label and place in a split. */
export interface TrainingSource {
  readonly id: number;
  readonly filename: string;
  readonly className: string | null;
  readonly mediaKind: 'image' | 'audio' | 'table';
  readonly hash: string;
  readonly blobPath: string;
  readonly rows: number | null;
  readonly subset: 'train' | 'val' | 'test' | 'none';
}

export interface TrainingSourcesRepo {
  /** A split by its row id, whatever its current index. */
  split(splitId: number): SplitRecord | undefined;
  /** The project's ready items with their subset in the given split (`none` when unassigned). */
  list(projectId: string, splitId: number): TrainingSource[];
}
