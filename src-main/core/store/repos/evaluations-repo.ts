import type { Db } from '../database.js';

export type EvalStatusValue = 'pending' | 'running' | 'completed' | 'failed';

export interface EvaluationRecord {
  readonly id: string;
  readonly projectId: string;
  readonly experimentId: string;
  readonly runId: string;
  readonly checkpoint: 'best' | 'last';
  readonly splitIndex: number;
  readonly splitSubset: 'train' | 'val' | 'test';
  readonly batchSize: number;
  readonly kind: 'classification' | 'regression';
  readonly status: EvalStatusValue;
  readonly itemCount: number;
  readonly message: string | null;
  /** The metrics JSON (shape by kind), null until completed. */
  readonly metrics: unknown;
  readonly createdAt: string;
  readonly finishedAt: string | null;
}

export interface EvaluationPatch {
  readonly status: EvalStatusValue;
  readonly message?: string | null;
  readonly metrics?: unknown;
  readonly itemCount?: number;
  readonly finishedAt?: string | null;
}

export interface EvaluationsRepo {
  insert(record: EvaluationRecord): void;
  /** Only within its project: an id from another project reads as absent. */
  get(projectId: string, id: string): EvaluationRecord | undefined;
  /** Oldest first. */
  list(projectId: string): EvaluationRecord[];
  exists(id: string): boolean;
  update(id: string, patch: EvaluationPatch): void;
  delete(id: string): void;
  /** Marks pending/running evaluations failed (the process died mid-way); returns how many. */
  failUnfinished(message: string, finishedAt: string): number;
}

interface EvaluationRow {
  id: string;
  project_id: string;
  experiment_id: string;
  run_id: string;
  checkpoint: 'best' | 'last';
  split_index: number;
  split_subset: 'train' | 'val' | 'test';
  batch_size: number;
  kind: 'classification' | 'regression';
  status: EvalStatusValue;
  item_count: number;
  message: string | null;
  metrics: string | null;
  created_at: string;
  finished_at: string | null;
}

const toRecord = (r: EvaluationRow): EvaluationRecord => ({
  id: r.id,
  projectId: r.project_id,
  experimentId: r.experiment_id,
  runId: r.run_id,
  checkpoint: r.checkpoint,
  splitIndex: r.split_index,
  splitSubset: r.split_subset,
  batchSize: r.batch_size,
  kind: r.kind,
  status: r.status,
  itemCount: r.item_count,
  message: r.message,
  metrics: r.metrics === null ? null : (JSON.parse(r.metrics) as unknown),
  createdAt: r.created_at,
  finishedAt: r.finished_at,
});

export function createEvaluationsRepo(db: Db): EvaluationsRepo {
  const insertStmt = db.prepare(`
    INSERT INTO evaluations (id, project_id, experiment_id, run_id, checkpoint, split_index,
      split_subset, batch_size, kind, status, item_count, message, metrics, created_at, finished_at)
    VALUES (@id, @project_id, @experiment_id, @run_id, @checkpoint, @split_index, @split_subset,
      @batch_size, @kind, @status, @item_count, @message, @metrics, @created_at, @finished_at)`);
  const getStmt = db.prepare<[string, string], EvaluationRow>(
    'SELECT * FROM evaluations WHERE project_id = ? AND id = ?',
  );
  const existsStmt = db.prepare<[string], { id: string }>(
    'SELECT id FROM evaluations WHERE id = ?',
  );
  const listStmt = db.prepare<[string], EvaluationRow>(
    'SELECT * FROM evaluations WHERE project_id = ? ORDER BY created_at, id',
  );
  const updateStmt = db.prepare(`
    UPDATE evaluations SET status = @status,
      message = COALESCE(@message, message),
      metrics = COALESCE(@metrics, metrics),
      item_count = COALESCE(@item_count, item_count),
      finished_at = COALESCE(@finished_at, finished_at)
    WHERE id = @id`);
  const deleteStmt = db.prepare<[string]>('DELETE FROM evaluations WHERE id = ?');
  const failStmt = db.prepare(`
    UPDATE evaluations SET status = 'failed', message = @message, finished_at = @finished_at
    WHERE status IN ('pending', 'running')`);

  return {
    insert: (e) => {
      insertStmt.run({
        id: e.id,
        project_id: e.projectId,
        experiment_id: e.experimentId,
        run_id: e.runId,
        checkpoint: e.checkpoint,
        split_index: e.splitIndex,
        split_subset: e.splitSubset,
        batch_size: e.batchSize,
        kind: e.kind,
        status: e.status,
        item_count: e.itemCount,
        message: e.message,
        metrics: e.metrics === null ? null : JSON.stringify(e.metrics),
        created_at: e.createdAt,
        finished_at: e.finishedAt,
      });
    },
    get: (projectId, id) => {
      const row = getStmt.get(projectId, id);
      return row ? toRecord(row) : undefined;
    },
    list: (projectId) => listStmt.all(projectId).map(toRecord),
    exists: (id) => existsStmt.get(id) !== undefined,
    update: (id, patch) => {
      updateStmt.run({
        id,
        status: patch.status,
        message: patch.message ?? null,
        metrics: patch.metrics === undefined ? null : JSON.stringify(patch.metrics),
        item_count: patch.itemCount ?? null,
        finished_at: patch.finishedAt ?? null,
      });
    },
    delete: (id) => {
      deleteStmt.run(id);
    },
    failUnfinished: (message, finishedAt) =>
      failStmt.run({ message, finished_at: finishedAt }).changes,
  };
}
