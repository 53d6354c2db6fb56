import type { Db } from '../database.js';

export type ExportStatusValue = 'pending' | 'running' | 'completed' | 'failed';

export interface ExportRecord {
  readonly id: string;
  readonly projectId: string;
  readonly experimentId: string;
  readonly runId: string;
  readonly checkpoint: 'best' | 'last';
  readonly format: string;
  readonly options: Readonly<Record<string, unknown>>;
  readonly status: ExportStatusValue;
  readonly message: string | null;
  readonly sizeBytes: number | null;
  readonly createdAt: string;
  readonly finishedAt: string | null;
}

export interface ExportPatch {
  readonly status: ExportStatusValue;
  readonly message?: string | null;
  readonly sizeBytes?: number | null;
  readonly finishedAt?: string | null;
}

export interface ExportsRepo {
  insert(record: ExportRecord): void;
  /** Only within its project: an id from another project reads as absent. */
  get(projectId: string, id: string): ExportRecord | undefined;
  /** Oldest first. */
  list(projectId: string): ExportRecord[];
  exists(id: string): boolean;
  update(id: string, patch: ExportPatch): void;
  delete(id: string): void;
  /** Marks pending/running exports failed (a process that died mid-export); returns how many. */
  failUnfinished(message: string, finishedAt: string): number;
}

interface ExportRow {
  id: string;
  project_id: string;
  experiment_id: string;
  run_id: string;
  checkpoint: 'best' | 'last';
  format: string;
  options: string;
  status: ExportStatusValue;
  message: string | null;
  size_bytes: number | null;
  created_at: string;
  finished_at: string | null;
}

const toRecord = (r: ExportRow): ExportRecord => ({
  id: r.id,
  projectId: r.project_id,
  experimentId: r.experiment_id,
  runId: r.run_id,
  checkpoint: r.checkpoint,
  format: r.format,
  options: JSON.parse(r.options) as Record<string, unknown>,
  status: r.status,
  message: r.message,
  sizeBytes: r.size_bytes,
  createdAt: r.created_at,
  finishedAt: r.finished_at,
});

export function createExportsRepo(db: Db): ExportsRepo {
  const insertStmt = db.prepare(`
    INSERT INTO exports (id, project_id, experiment_id, run_id, checkpoint, format, options, status,
                         message, size_bytes, created_at, finished_at)
    VALUES (@id, @project_id, @experiment_id, @run_id, @checkpoint, @format, @options, @status,
            @message, @size_bytes, @created_at, @finished_at)`);
  const getStmt = db.prepare<[string, string], ExportRow>(
    'SELECT * FROM exports WHERE project_id = ? AND id = ?',
  );
  const existsStmt = db.prepare<[string], { id: string }>('SELECT id FROM exports WHERE id = ?');
  const listStmt = db.prepare<[string], ExportRow>(
    'SELECT * FROM exports WHERE project_id = ? ORDER BY created_at, id',
  );
  const updateStmt = db.prepare(`
    UPDATE exports SET status = @status,
      message = COALESCE(@message, message),
      size_bytes = COALESCE(@size_bytes, size_bytes),
      finished_at = COALESCE(@finished_at, finished_at)
    WHERE id = @id`);
  const deleteStmt = db.prepare<[string]>('DELETE FROM exports WHERE id = ?');
  const failStmt = db.prepare(`
    UPDATE exports SET status = 'failed', message = @message, finished_at = @finished_at
    WHERE status IN ('pending', 'running')`);

  return {
    insert: (e) => {
      insertStmt.run({
        id: e.id,
        project_id: e.projectId,
        experiment_id: e.experimentId,
        run_id: e.runId,
        checkpoint: e.checkpoint,
        format: e.format,
        options: JSON.stringify(e.options),
        status: e.status,
        message: e.message,
        size_bytes: e.sizeBytes,
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
        size_bytes: patch.sizeBytes ?? null,
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
