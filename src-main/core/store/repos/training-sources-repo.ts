import type { Db } from '../database.js';
import type { TrainingSource, TrainingSourcesRepo } from './training-types.js';
import type { SplitRecord } from './types.js';

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

interface SourceRow {
  id: number;
  filename: string;
  class_name: string | null;
  media_kind: TrainingSource['mediaKind'];
  hash: string;
  blob_path: string;
  rows: number | null;
  subset: TrainingSource['subset'];
}

export function createTrainingSourcesRepo(db: Db): TrainingSourcesRepo {
  // Joined from the items side: items imported after the split have no assignment and count as 'none'.
  const listStmt = db.prepare<[number, string], SourceRow>(`
    SELECT i.id, i.filename, i.class_name, i.media_kind, i.hash, i.blob_path, i.rows,
      COALESCE(a.subset, 'none') AS subset
    FROM dataset_items i LEFT JOIN split_assignments a ON a.item_id = i.id AND a.split_id = ?
    WHERE i.project_id = ? AND i.status = 'ready'`);
  const splitStmt = db.prepare<[number], SplitRow>('SELECT * FROM splits WHERE id = ?');
  return {
    split: (splitId): SplitRecord | undefined => {
      const r = splitStmt.get(splitId);
      if (!r) return undefined;
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
    },
    list: (projectId, splitId) =>
      listStmt
        .all(splitId, projectId)
        .map((r) => ({
          id: r.id,
          filename: r.filename,
          className: r.class_name,
          mediaKind: r.media_kind,
          hash: r.hash,
          blobPath: r.blob_path,
          rows: r.rows,
          subset: r.subset,
        }))
        // Code-unit order, as splits sort: the same on every machine and locale.
        .sort((a, b) => (a.filename < b.filename ? -1 : a.filename > b.filename ? 1 : 0)),
  };
}
