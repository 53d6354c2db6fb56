import type {
  ClassDistribution,
  SplitStats,
  SplitSubset,
} from '../../../../src-shared/contract/index.js';
import type { Db } from '../database.js';
import { UNLABELED_CLASS, type NewSplit, type SplitRecord, type SplitsRepo } from './types.js';

interface SplitRow {
  id: number;
  project_id: string;
  idx: number;
  name: string;
  ratios: string;
  seed: number;
  stratify: number;
  created_at: string;
}

const toRecord = (r: SplitRow): SplitRecord => {
  const ratios = JSON.parse(r.ratios) as { train: number; val: number; test: number };
  return {
    id: r.id,
    projectId: r.project_id,
    index: r.idx,
    name: r.name,
    ratios: { train: ratios.train, val: ratios.val, test: ratios.test },
    seed: r.seed,
    stratify: r.stratify === 1,
    createdAt: r.created_at,
  };
};

export function createSplitsRepo(db: Db): SplitsRepo {
  const listStmt = db.prepare<[string], SplitRow>(
    'SELECT * FROM splits WHERE project_id = ? ORDER BY idx',
  );
  const getStmt = db.prepare<[string, number], SplitRow>(
    'SELECT * FROM splits WHERE project_id = ? AND idx = ?',
  );
  const byNameStmt = db.prepare<[string, string], SplitRow>(
    'SELECT * FROM splits WHERE project_id = ? AND name = ?',
  );
  const countStmt = db.prepare<[string], { n: number }>(
    'SELECT COUNT(*) AS n FROM splits WHERE project_id = ?',
  );
  const insertStmt = db.prepare<[string, number, string, string, number, number, string]>(
    'INSERT INTO splits (project_id, idx, name, ratios, seed, stratify, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const assignStmt = db.prepare<[number, number, string]>(
    'INSERT INTO split_assignments (split_id, item_id, subset) VALUES (?, ?, ?)',
  );
  const deleteStmt = db.prepare<[string, number]>(
    'DELETE FROM splits WHERE project_id = ? AND idx = ?',
  );
  const deleteAllStmt = db.prepare<[string]>('DELETE FROM splits WHERE project_id = ?');
  // Two steps so UNIQUE(project_id, idx) never sees two rows with one index mid-update:
  // park the later splits on negative indexes, then bring them back one lower.
  const parkStmt = db.prepare<[string, number]>(
    'UPDATE splits SET idx = -idx - 1 WHERE project_id = ? AND idx > ?',
  );
  const unparkStmt = db.prepare<[string]>(
    'UPDATE splits SET idx = -idx - 2 WHERE project_id = ? AND idx < 0',
  );
  // Joined from the items side: items imported after the split have no row and count as 'none'.
  const distributionStmt = db.prepare<
    [number, string],
    { subset: SplitSubset; class_name: string | null; n: number }
  >(`
    SELECT COALESCE(a.subset, 'none') AS subset, i.class_name, COUNT(*) AS n
    FROM dataset_items i LEFT JOIN split_assignments a ON a.item_id = i.id AND a.split_id = ?
    WHERE i.project_id = ?
    GROUP BY 1, 2`);
  const assignmentsStmt = db.prepare<[number], { item_id: number; subset: SplitSubset }>(
    'SELECT item_id, subset FROM split_assignments WHERE split_id = ?',
  );
  const membershipStmt = db.prepare<
    [number, string],
    { split_index: number; name: string; subset: SplitSubset }
  >(`
    SELECT s.idx AS split_index, s.name, COALESCE(a.subset, 'none') AS subset
    FROM splits s LEFT JOIN split_assignments a ON a.split_id = s.id AND a.item_id = ?
    WHERE s.project_id = ? ORDER BY s.idx`);

  const create = db.transaction(
    (
      projectId: string,
      split: NewSplit,
      assignments: readonly { itemId: number; subset: SplitSubset }[],
    ) => {
      const index = countStmt.get(projectId)?.n ?? 0;
      const { lastInsertRowid } = insertStmt.run(
        projectId,
        index,
        split.name,
        JSON.stringify(split.ratios),
        split.seed,
        split.stratify ? 1 : 0,
        split.createdAt,
      );
      const splitId = Number(lastInsertRowid);
      for (const a of assignments) assignStmt.run(splitId, a.itemId, a.subset);
      const row = getStmt.get(projectId, index);
      if (!row) throw new Error('split vanished inside its own transaction');
      return toRecord(row);
    },
  );

  const remove = db.transaction((projectId: string, index: number): boolean => {
    if (deleteStmt.run(projectId, index).changes === 0) return false;
    parkStmt.run(projectId, index);
    unparkStmt.run(projectId);
    return true;
  });

  function distribution(split: SplitRecord) {
    return distributionStmt.all(split.id, split.projectId);
  }

  return {
    list: (projectId) => listStmt.all(projectId).map(toRecord),
    get: (projectId, index) => {
      const row = getStmt.get(projectId, index);
      return row ? toRecord(row) : undefined;
    },
    findByName: (projectId, name) => {
      const row = byNameStmt.get(projectId, name);
      return row ? toRecord(row) : undefined;
    },
    create: (projectId, split, assignments) => create(projectId, split, assignments),
    delete: (projectId, index) => remove(projectId, index),
    deleteAll: (projectId) => deleteAllStmt.run(projectId).changes,
    stats: (split): SplitStats => {
      const stats = { train: 0, val: 0, test: 0, none: 0 };
      for (const r of distribution(split)) stats[r.subset] += r.n;
      return stats;
    },
    perClass: (split): ClassDistribution[] => {
      const byClass = new Map<string, ClassDistribution>();
      for (const r of distribution(split)) {
        const name = r.class_name ?? UNLABELED_CLASS;
        const entry = byClass.get(name) ?? { class: name, train: 0, val: 0, test: 0, none: 0 };
        entry[r.subset] += r.n;
        byClass.set(name, entry);
      }
      return [...byClass.values()].sort((a, b) =>
        a.class < b.class ? -1 : a.class > b.class ? 1 : 0,
      );
    },
    assignments: (split) =>
      new Map(assignmentsStmt.all(split.id).map((r) => [r.item_id, r.subset])),
    membership: (projectId, itemId) => membershipStmt.all(itemId, projectId),
  };
}
