import type {
  ClassDistribution,
  DatasetItem,
  ImportFileError,
  Job,
  JobKind,
  JobStatus,
  MediaKind,
  Project,
  SplitStats,
  SplitSubset,
  Task,
} from '../../../../src-shared/contract/index.js';
import type { ImportedItem } from '../../workspace/import-types.js';

/**
 * The store's interfaces. Services depend on these, never on SQL, so a test can hand a service a fake
 * and a later storage change stays inside store/.
 */

export interface NewProject {
  readonly id: string;
  readonly name: string;
  readonly task: Task;
  readonly createdAt: string;
}

export interface ProjectsRepo {
  list(): Project[];
  get(id: string): Project | undefined;
  exists(id: string): boolean;
  insert(project: NewProject): void;
  /** False when no such project. */
  update(
    id: string,
    patch: Readonly<{ name?: string | undefined; task?: Task | undefined }>,
    updatedAt: string,
  ): boolean;
  /** Marks the project changed (imports, splits). */
  touch(id: string, updatedAt: string): void;
  /** Deletes the project and, by cascade, its items, splits and jobs. False when no such project. */
  delete(id: string): boolean;
  settings(id: string): Readonly<Record<string, unknown>> | undefined;
  setSettings(id: string, settings: Readonly<Record<string, unknown>>, updatedAt: string): void;
}

/** A `dataset_items` row as stored. */
export interface ItemRow {
  readonly id: number;
  readonly project_id: string;
  readonly filename: string;
  readonly class_name: string | null;
  readonly media_kind: MediaKind;
  readonly mime: string;
  readonly size: number;
  readonly hash: string;
  readonly blob_path: string;
  readonly thumb_path: string | null;
  readonly width: number | null;
  readonly height: number | null;
  readonly duration: number | null;
  readonly sample_rate: number | null;
  readonly channels: number | null;
  readonly rows: number | null;
  readonly columns: number | null;
  readonly waveform: string | null;
  readonly status: 'ready' | 'error';
  readonly created_at: string;
  /** The root original this item was derived from (an augmented copy); null for originals. */
  readonly source_item_id: number | null;
  /** The recipe that made a derived item, as JSON. */
  readonly augmentation: string | null;
  /** 1: left out of every new split (undersampling), kept on disk and reversible. */
  readonly excluded: 0 | 1;
}

export type InsertOutcome = 'inserted' | 'duplicate' | 'name_taken';

export interface ItemListQuery {
  readonly page: number;
  readonly pageSize: number;
  readonly sortBy: 'filename' | 'class' | 'size';
  readonly sortOrder: 'asc' | 'desc';
  readonly filterClass?: string | undefined;
  readonly search?: string | undefined;
  readonly mediaKind?: MediaKind | undefined;
}

export interface DatasetStats {
  readonly totalItems: number;
  readonly totalSize: number;
  /** Labelled classes, sorted by name. */
  readonly classCounts: readonly { readonly name: string; readonly count: number }[];
  readonly unlabeled: number;
  readonly mediaKinds: Readonly<Record<string, number>>;
}

/** What a split needs of an item. */
export interface SplitSource {
  readonly id: number;
  readonly filename: string;
  readonly className: string | null;
  /** The root original of a derived item: splits put it where its root goes. */
  readonly sourceId: number | null;
  readonly excluded: boolean;
}

/** A derived item's lineage, recorded under its content hash before the import inserts it. */
export interface PendingLineage {
  readonly hash: string;
  readonly sourceItemId: number;
  readonly augmentation: string;
}

export interface ItemsRepo {
  /**
   * Inserts in one transaction. An item whose hash the project already has is a duplicate (not
   * inserted); one whose filename is taken by different content is refused as `name_taken`.
   */
  insertMany(projectId: string, items: readonly ImportedItem[], createdAt: string): InsertOutcome[];
  hasHash(projectId: string, hash: string): boolean;
  get(projectId: string, filename: string): ItemRow | undefined;
  list(
    projectId: string,
    query: ItemListQuery,
  ): { readonly rows: ItemRow[]; readonly total: number };
  stats(projectId: string): DatasetStats;
  /** Every item, sorted by filename (code-unit order, locale-independent). */
  splitSources(projectId: string): SplitSource[];
  /** Every item's files, for removing them from disk. */
  files(projectId: string): { readonly blob_path: string; readonly thumb_path: string | null }[];
  /** How many items of the project point at this blob (content-addressed blobs are shared). */
  blobRefs(projectId: string, blobPath: string): number;
  deleteAll(projectId: string): number;
  /** Lineage the next import of these hashes takes over (see migration 0007). */
  addPendingLineage(projectId: string, entries: readonly PendingLineage[]): void;
  /** What an import did not take (duplicates, refusals): removed so no later import inherits it. */
  clearPendingLineage(projectId: string): void;
  /** Rows by id (one transaction); missing ids are skipped. */
  getByIds(projectId: string, ids: readonly number[]): ItemRow[];
  setExcluded(projectId: string, ids: readonly number[], excluded: boolean): number;
  /** Deletes these rows (their copies cascade) in one transaction; returns how many went. */
  deleteByIds(projectId: string, ids: readonly number[]): number;
}

export interface SplitRecord {
  readonly id: number;
  readonly projectId: string;
  readonly index: number;
  readonly name: string;
  readonly ratios: Readonly<{ train: number; val: number; test: number }>;
  readonly seed: number;
  readonly stratify: boolean;
  readonly createdAt: string;
}

export interface NewSplit {
  readonly name: string;
  readonly ratios: Readonly<{ train: number; val: number; test: number }>;
  readonly seed: number;
  readonly stratify: boolean;
  readonly createdAt: string;
}

export interface SplitsRepo {
  /** Ordered by index. */
  list(projectId: string): SplitRecord[];
  get(projectId: string, index: number): SplitRecord | undefined;
  findByName(projectId: string, name: string): SplitRecord | undefined;
  /** Appends the split (next index) with its assignments, in one transaction. */
  create(
    projectId: string,
    split: NewSplit,
    assignments: readonly { readonly itemId: number; readonly subset: SplitSubset }[],
  ): SplitRecord;
  /** Deletes and shifts the later splits down by one, in one transaction. False when no such split. */
  delete(projectId: string, index: number): boolean;
  deleteAll(projectId: string): number;
  /** Subset counts over the project's current items (items added after the split count as `none`). */
  stats(split: SplitRecord): SplitStats;
  perClass(split: SplitRecord): ClassDistribution[];
  /** item id → subset, for the project's every split in index order. */
  assignments(split: SplitRecord): Map<number, SplitSubset>;
  /** An item's place in each split of its project. */
  membership(
    projectId: string,
    itemId: number,
  ): { split_index: number; name: string; subset: SplitSubset }[];
}

export type JobPatch = Readonly<
  Partial<
    Pick<
      Job,
      | 'status'
      | 'done'
      | 'total'
      | 'message'
      | 'result'
      | 'error'
      | 'eta_seconds'
      | 'subject_id'
      | 'started_at'
      | 'finished_at'
    >
  >
>;

export interface JobFilter {
  readonly kind?: JobKind | undefined;
  readonly status?: JobStatus | undefined;
  readonly projectId?: string | undefined;
}

export interface JobsRepo {
  /** `spec`: what a worker task needs to run again after a crash (kept in the row, never sent). */
  insert(job: Job, spec?: unknown): void;
  spec(id: string): unknown;
  get(id: string): Job | undefined;
  update(id: string, patch: JobPatch, updatedAt: string): Job | undefined;
  /** Jobs of this project in one of these states, newest first. */
  findByProject(projectId: string, statuses: readonly JobStatus[]): Job[];
  /** The newest job of this kind about this subject (a run, evaluation or export id). */
  latestFor(kind: JobKind, subjectId: string): Job | undefined;
  /** Every pending or running job, oldest first: what a previous process left behind. */
  unfinished(): Job[];
  /** Newest first. */
  list(filter: JobFilter, limit: number, offset: number): Job[];
  count(filter: JobFilter): number;
  /** Stores per-file errors numbered from `first` (an import reports them as it goes). */
  addErrors(jobId: string, first: number, errors: readonly ImportFileError[]): void;
  errorCount(jobId: string): number;
  errors(jobId: string, limit: number, offset: number): ImportFileError[];
}

/** Items without a class appear under this name in per-class tables (shared with splits/). */
export { UNLABELED as UNLABELED_CLASS } from '../../splits/compute-split.js';

export function toDatasetItem(row: ItemRow): DatasetItem {
  return {
    filename: row.filename,
    class: row.class_name,
    media_kind: row.media_kind,
    mime: row.mime,
    size: row.size,
    hash: row.hash,
    width: row.width,
    height: row.height,
    duration: row.duration,
    sample_rate: row.sample_rate,
    channels: row.channels,
    rows: row.rows,
    columns: row.columns,
    status: row.status,
    created_at: row.created_at,
  };
}
