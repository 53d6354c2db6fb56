import type { Db } from '../database.js';
import type { CuratedItem, RelabelEntry } from '../../services/curation-rules.js';

/** The last change of a project's items that can still be undone. */
export interface ItemChange {
  readonly id: number;
  readonly kind: 'relabel' | 'delete';
  readonly itemCount: number;
  readonly runsUsing: number;
  readonly createdAt: string;
}

interface ChangeRow {
  id: number;
  kind: 'relabel' | 'delete';
  detail: string;
  item_count: number;
  runs_using: number;
  created_at: string;
}

/** A deleted item's rows, kept whole so an undo puts back exactly what was there. */
interface DeleteDetail {
  readonly items: readonly Record<string, unknown>[];
  readonly assignments: readonly Record<string, unknown>[];
}

export type UndoOutcome =
  | { readonly ok: true; readonly kind: 'relabel' | 'delete'; readonly itemCount: number }
  | { readonly ok: false; readonly reason: 'nothing' | 'name_taken'; readonly filename?: string };

export interface CurationRepo {
  byNames(projectId: string, filenames: readonly string[]): CuratedItem[];
  relabel(projectId: string, entries: readonly RelabelEntry[], at: string): ItemChange;
  /** Deletes the items (and the copies derived from them), recording them for an undo. */
  remove(projectId: string, ids: readonly number[], at: string): ItemChange;
  lastChange(projectId: string): ItemChange | null;
  undo(projectId: string, at: string): UndoOutcome;
  /** Records the label every ready item has now, as the run's own. */
  snapshotRun(runId: string, projectId: string): void;
  /** The labels a run was made with, by item id; null for a run made before they were recorded. */
  runLabels(runId: string): ReadonlyMap<number, string | null> | null;
  /** Drops the project's change record (its dataset was cleared: nothing is left to restore). */
  forget(projectId: string): void;
}

const toChange = (r: ChangeRow): ItemChange => ({
  id: r.id,
  kind: r.kind,
  itemCount: r.item_count,
  runsUsing: r.runs_using,
  createdAt: r.created_at,
});

export function createCurationRepo(db: Db): CurationRepo {
  const byNameStmt = db.prepare<[string, string], CuratedItem>(
    'SELECT id, filename, class_name FROM dataset_items WHERE project_id = ? AND filename = ?',
  );
  const setClassStmt = db.prepare<[string | null, string, number]>(
    'UPDATE dataset_items SET class_name = ? WHERE project_id = ? AND id = ?',
  );
  // Finished runs that trained on any of the items: by the labels they recorded, or for runs made
  // before runs recorded labels, by their split's train and val subsets.
  const runsUsingStmt = db.prepare<[string, string, string], { n: number }>(`
    SELECT COUNT(*) AS n FROM runs r
    WHERE r.project_id = ? AND r.status = 'completed' AND (
      EXISTS (SELECT 1 FROM run_items ri WHERE ri.run_id = r.id
              AND ri.item_id IN (SELECT value FROM json_each(?)))
      OR (NOT EXISTS (SELECT 1 FROM run_items ri WHERE ri.run_id = r.id)
          AND EXISTS (SELECT 1 FROM split_assignments a WHERE a.split_id = r.split_id
                      AND a.subset IN ('train', 'val')
                      AND a.item_id IN (SELECT value FROM json_each(?)))))`);
  const insertChangeStmt = db.prepare<[string, string, string, number, number, string]>(
    `INSERT INTO item_changes (project_id, kind, detail, item_count, runs_using, created_at)
     VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const lastStmt = db.prepare<[string], ChangeRow>(
    'SELECT * FROM item_changes WHERE project_id = ? AND undone_at IS NULL ORDER BY id DESC LIMIT 1',
  );
  const markUndoneStmt = db.prepare<[string, number]>(
    'UPDATE item_changes SET undone_at = ? WHERE id = ?',
  );
  // Derived copies go with their source (ON DELETE CASCADE), so they are kept for the undo too.
  const rowsStmt = db.prepare<[string, string, string], Record<string, unknown>>(`
    SELECT * FROM dataset_items WHERE project_id = ?
      AND (id IN (SELECT value FROM json_each(?)) OR source_item_id IN (SELECT value FROM json_each(?)))
    ORDER BY id`);
  const assignmentsStmt = db.prepare<[string], Record<string, unknown>>(
    'SELECT * FROM split_assignments WHERE item_id IN (SELECT value FROM json_each(?))',
  );
  const deleteStmt = db.prepare<[string, number]>(
    'DELETE FROM dataset_items WHERE project_id = ? AND id = ?',
  );
  const nameTakenStmt = db.prepare<[string, string], { id: number }>(
    'SELECT id FROM dataset_items WHERE project_id = ? AND filename = ?',
  );
  const snapshotStmt = db.prepare<[string, string]>(`
    INSERT OR REPLACE INTO run_items (run_id, item_id, class_name)
    SELECT ?, id, class_name FROM dataset_items WHERE project_id = ? AND status = 'ready'`);
  const splitExistsStmt = db.prepare<[number], { id: number }>(
    'SELECT id FROM splits WHERE id = ?',
  );
  const forgetStmt = db.prepare<[string]>('DELETE FROM item_changes WHERE project_id = ?');
  const runLabelsStmt = db.prepare<[string], { item_id: number; class_name: string | null }>(
    'SELECT item_id, class_name FROM run_items WHERE run_id = ?',
  );

  const record = (
    projectId: string,
    kind: 'relabel' | 'delete',
    detail: unknown,
    ids: readonly number[],
    at: string,
  ): ItemChange => {
    const list = JSON.stringify(ids);
    const runsUsing = runsUsingStmt.get(projectId, list, list)?.n ?? 0;
    const id = Number(
      insertChangeStmt.run(projectId, kind, JSON.stringify(detail), ids.length, runsUsing, at)
        .lastInsertRowid,
    );
    return { id, kind, itemCount: ids.length, runsUsing, createdAt: at };
  };

  const insertRow = (table: string, row: Record<string, unknown>): void => {
    const cols = Object.keys(row);
    db.prepare(
      `INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map((c) => `@${c}`).join(', ')})`,
    ).run(row);
  };

  const relabel = db.transaction(
    (projectId: string, entries: readonly RelabelEntry[], at: string): ItemChange => {
      for (const e of entries) setClassStmt.run(e.after, projectId, e.item_id);
      return record(
        projectId,
        'relabel',
        entries,
        entries.map((e) => e.item_id),
        at,
      );
    },
  );

  const remove = db.transaction((projectId: string, ids: readonly number[], at: string) => {
    const list = JSON.stringify(ids);
    const items = rowsStmt.all(projectId, list, list);
    const assignments = assignmentsStmt.all(JSON.stringify(items.map((i) => i.id)));
    // Counted before the rows go: afterwards nothing joins them to the runs.
    const change = record(
      projectId,
      'delete',
      { items, assignments } satisfies DeleteDetail,
      ids,
      at,
    );
    for (const id of ids) deleteStmt.run(projectId, id);
    return change;
  });

  const undo = db.transaction((projectId: string, at: string): UndoOutcome => {
    const last = lastStmt.get(projectId);
    if (!last) return { ok: false, reason: 'nothing' };
    if (last.kind === 'relabel') {
      const entries = JSON.parse(last.detail) as RelabelEntry[];
      for (const e of entries) setClassStmt.run(e.before, projectId, e.item_id);
    } else {
      const detail = JSON.parse(last.detail) as DeleteDetail;
      for (const item of detail.items) {
        const taken = nameTakenStmt.get(projectId, String(item.filename));
        if (taken) return { ok: false, reason: 'name_taken', filename: String(item.filename) };
      }
      for (const item of detail.items) insertRow('dataset_items', item);
      // A split deleted since has no place to put back.
      for (const a of detail.assignments)
        if (splitExistsStmt.get(Number(a.split_id))) insertRow('split_assignments', a);
    }
    markUndoneStmt.run(at, last.id);
    return { ok: true, kind: last.kind, itemCount: last.item_count };
  });

  return {
    byNames: (projectId, filenames) =>
      [...new Set(filenames)].flatMap((f) => byNameStmt.get(projectId, f) ?? []),
    relabel: (projectId, entries, at) => relabel(projectId, entries, at),
    remove: (projectId, ids, at) => remove(projectId, ids, at),
    lastChange: (projectId) => {
      const row = lastStmt.get(projectId);
      return row ? toChange(row) : null;
    },
    undo: (projectId, at) => undo(projectId, at),
    snapshotRun: (runId, projectId) => {
      snapshotStmt.run(runId, projectId);
    },
    forget: (projectId) => {
      forgetStmt.run(projectId);
    },
    runLabels: (runId) => {
      const rows = runLabelsStmt.all(runId);
      return rows.length === 0 ? null : new Map(rows.map((r) => [r.item_id, r.class_name]));
    },
  };
}
