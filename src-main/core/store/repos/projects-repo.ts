import type { Project, Task } from '../../../../src-shared/contract/index.js';
import type { Db } from '../database.js';
import type { NewProject, ProjectsRepo } from './types.js';

interface ProjectRowWithCounts {
  id: string;
  name: string;
  task: Task;
  created_at: string;
  updated_at: string;
  item_count: number;
  class_count: number;
  split_count: number;
}

const SELECT_WITH_COUNTS = `
SELECT p.id, p.name, p.task, p.created_at, p.updated_at,
  (SELECT COUNT(*) FROM dataset_items i WHERE i.project_id = p.id) AS item_count,
  (SELECT COUNT(DISTINCT i.class_name) FROM dataset_items i WHERE i.project_id = p.id) AS class_count,
  (SELECT COUNT(*) FROM splits s WHERE s.project_id = p.id) AS split_count
FROM projects p`;

const toProject = (r: ProjectRowWithCounts): Project => ({ ...r });

export function createProjectsRepo(db: Db): ProjectsRepo {
  const listStmt = db.prepare<[], ProjectRowWithCounts>(
    `${SELECT_WITH_COUNTS} ORDER BY p.created_at DESC, p.id`,
  );
  const getStmt = db.prepare<[string], ProjectRowWithCounts>(
    `${SELECT_WITH_COUNTS} WHERE p.id = ?`,
  );
  const existsStmt = db.prepare<[string], { one: number }>(
    'SELECT 1 AS one FROM projects WHERE id = ?',
  );
  const insertStmt = db.prepare<[string, string, string, string, string]>(
    'INSERT INTO projects (id, name, task, created_at, updated_at) VALUES (?, ?, ?, ?, ?)',
  );
  const updateStmt = db.prepare<{
    id: string;
    name: string | null;
    task: string | null;
    at: string;
  }>(
    `UPDATE projects SET name = COALESCE(@name, name), task = COALESCE(@task, task), updated_at = @at WHERE id = @id`,
  );
  const touchStmt = db.prepare<[string, string]>('UPDATE projects SET updated_at = ? WHERE id = ?');
  const deleteStmt = db.prepare<[string]>('DELETE FROM projects WHERE id = ?');
  const settingsStmt = db.prepare<[string], { settings: string }>(
    'SELECT settings FROM projects WHERE id = ?',
  );
  const setSettingsStmt = db.prepare<[string, string, string]>(
    'UPDATE projects SET settings = ?, updated_at = ? WHERE id = ?',
  );

  return {
    list: () => listStmt.all().map(toProject),
    get: (id) => {
      const row = getStmt.get(id);
      return row ? toProject(row) : undefined;
    },
    exists: (id) => existsStmt.get(id) !== undefined,
    insert: (p: NewProject) => {
      insertStmt.run(p.id, p.name, p.task, p.createdAt, p.createdAt);
    },
    update: (id, patch, updatedAt) =>
      updateStmt.run({ id, name: patch.name ?? null, task: patch.task ?? null, at: updatedAt })
        .changes > 0,
    touch: (id, updatedAt) => {
      touchStmt.run(updatedAt, id);
    },
    delete: (id) => deleteStmt.run(id).changes > 0,
    settings: (id) => {
      const row = settingsStmt.get(id);
      return row ? (JSON.parse(row.settings) as Record<string, unknown>) : undefined;
    },
    setSettings: (id, settings, updatedAt) => {
      setSettingsStmt.run(JSON.stringify(settings), updatedAt, id);
    },
  };
}
