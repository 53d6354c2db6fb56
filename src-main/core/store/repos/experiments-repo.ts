import type { ExperimentConfig } from '../../../../src-shared/contract/training.js';
import type { Db } from '../database.js';
import type { ExperimentRecord, ExperimentsRepo } from './training-types.js';

interface ExperimentRow {
  id: string;
  project_id: string;
  name: string;
  split_id: number | null;
  split_name: string | null;
  config: string;
  created_at: string;
  updated_at: string;
}

const toRecord = (r: ExperimentRow): ExperimentRecord => ({
  id: r.id,
  projectId: r.project_id,
  name: r.name,
  splitId: r.split_id,
  splitName: r.split_name,
  // Written by us from a resolved config; the service re-resolves on read for older shapes.
  config: JSON.parse(r.config) as ExperimentConfig,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export function createExperimentsRepo(db: Db): ExperimentsRepo {
  const insertStmt = db.prepare(`
    INSERT INTO experiments (id, project_id, name, split_id, split_name, config, created_at, updated_at)
    VALUES (@id, @project_id, @name, @split_id, @split_name, @config, @created_at, @updated_at)`);
  const getStmt = db.prepare<[string, string], ExperimentRow>(
    'SELECT * FROM experiments WHERE project_id = ? AND id = ?',
  );
  const byIdStmt = db.prepare<[string], ExperimentRow>('SELECT * FROM experiments WHERE id = ?');
  const listStmt = db.prepare<[string], ExperimentRow>(
    'SELECT * FROM experiments WHERE project_id = ? ORDER BY created_at, id',
  );
  const updateStmt = db.prepare(`
    UPDATE experiments SET name = @name, split_id = @split_id, split_name = @split_name, config = @config,
      updated_at = @updated_at
    WHERE id = @id`);
  const deleteStmt = db.prepare<[string]>('DELETE FROM experiments WHERE id = ?');

  const update = db.transaction(
    (id: string, patch: Parameters<ExperimentsRepo['update']>[1], updatedAt: string) => {
      const row = byIdStmt.get(id);
      if (!row) return undefined;
      const current = toRecord(row);
      const next: ExperimentRecord = {
        ...current,
        name: patch.name ?? current.name,
        splitId: patch.split ? patch.split.id : current.splitId,
        splitName: patch.split ? patch.split.name : current.splitName,
        config: patch.config ?? current.config,
        updatedAt,
      };
      updateStmt.run({
        id,
        name: next.name,
        split_id: next.splitId,
        split_name: next.splitName,
        config: JSON.stringify(next.config),
        updated_at: updatedAt,
      });
      return next;
    },
  );

  return {
    insert: (e) => {
      insertStmt.run({
        id: e.id,
        project_id: e.projectId,
        name: e.name,
        split_id: e.splitId,
        split_name: e.splitName,
        config: JSON.stringify(e.config),
        created_at: e.createdAt,
        updated_at: e.updatedAt,
      });
    },
    get: (projectId, id) => {
      const row = getStmt.get(projectId, id);
      return row ? toRecord(row) : undefined;
    },
    list: (projectId) => listStmt.all(projectId).map(toRecord),
    exists: (id) => byIdStmt.get(id) !== undefined,
    update: (id, patch, updatedAt) => update(id, patch, updatedAt),
    delete: (id) => deleteStmt.run(id).changes > 0,
  };
}
