import type { Statement } from 'better-sqlite3';
import type { Db } from '../database.js';
import type { ImportedItem } from '../../workspace/import-types.js';
import type {
  DatasetStats,
  InsertOutcome,
  ItemListQuery,
  ItemRow,
  ItemsRepo,
  PendingLineage,
  SplitSource,
} from './types.js';

const SORT_COLUMNS = { filename: 'filename', class: 'class_name', size: 'size' } as const;

/** LIKE treats % and _ as wildcards; a user searching for "img_01" means the characters. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export function createItemsRepo(db: Db): ItemsRepo {
  const hasHashStmt = db.prepare<[string, string], { one: number }>(
    'SELECT 1 AS one FROM dataset_items WHERE project_id = ? AND hash = ? LIMIT 1',
  );
  const insertStmt = db.prepare(`
    INSERT INTO dataset_items (project_id, filename, class_name, media_kind, mime, size, hash, blob_path, thumb_path,
      width, height, duration, sample_rate, channels, rows, columns, waveform, status, created_at)
    VALUES (@project_id, @filename, @class_name, @media_kind, @mime, @size, @hash, @blob_path, @thumb_path,
      @width, @height, @duration, @sample_rate, @channels, @rows, @columns, @waveform, 'ready', @created_at)
    ON CONFLICT (project_id, filename) DO NOTHING`);
  const getStmt = db.prepare<[string, string], ItemRow>(
    'SELECT * FROM dataset_items WHERE project_id = ? AND filename = ?',
  );
  const classCountsStmt = db.prepare<[string], { class_name: string | null; n: number }>(
    'SELECT class_name, COUNT(*) AS n FROM dataset_items WHERE project_id = ? GROUP BY class_name ORDER BY class_name',
  );
  const kindsStmt = db.prepare<[string], { media_kind: string; n: number; bytes: number }>(
    'SELECT media_kind, COUNT(*) AS n, SUM(size) AS bytes FROM dataset_items WHERE project_id = ? GROUP BY media_kind',
  );
  const sourcesStmt = db.prepare<
    [string],
    {
      id: number;
      filename: string;
      class_name: string | null;
      source_item_id: number | null;
      excluded: 0 | 1;
    }
  >(
    'SELECT id, filename, class_name, source_item_id, excluded FROM dataset_items WHERE project_id = ?',
  );
  const addPendingStmt = db.prepare<[string, string, number, string]>(
    `INSERT INTO item_lineage_pending (project_id, hash, source_item_id, augmentation) VALUES (?, ?, ?, ?)
     ON CONFLICT (project_id, hash) DO UPDATE SET source_item_id = excluded.source_item_id,
       augmentation = excluded.augmentation`,
  );
  const clearPendingStmt = db.prepare<[string]>(
    'DELETE FROM item_lineage_pending WHERE project_id = ?',
  );
  const byIdStmt = db.prepare<[string, number], ItemRow>(
    'SELECT * FROM dataset_items WHERE project_id = ? AND id = ?',
  );
  const setExcludedStmt = db.prepare<[number, string, number]>(
    'UPDATE dataset_items SET excluded = ? WHERE project_id = ? AND id = ?',
  );
  const deleteByIdStmt = db.prepare<[string, number]>(
    'DELETE FROM dataset_items WHERE project_id = ? AND id = ?',
  );
  const addPending = db.transaction((projectId: string, entries: readonly PendingLineage[]) => {
    for (const e of entries) addPendingStmt.run(projectId, e.hash, e.sourceItemId, e.augmentation);
  });
  const getByIds = db.transaction((projectId: string, ids: readonly number[]) =>
    ids.flatMap((id) => byIdStmt.get(projectId, id) ?? []),
  );
  const setExcluded = db.transaction(
    (projectId: string, ids: readonly number[], excluded: boolean) =>
      ids.reduce((n, id) => n + setExcludedStmt.run(excluded ? 1 : 0, projectId, id).changes, 0),
  );
  const deleteByIds = db.transaction((projectId: string, ids: readonly number[]) =>
    ids.reduce((n, id) => n + deleteByIdStmt.run(projectId, id).changes, 0),
  );
  const filesStmt = db.prepare<[string], { blob_path: string; thumb_path: string | null }>(
    'SELECT DISTINCT blob_path, thumb_path FROM dataset_items WHERE project_id = ?',
  );
  const blobRefsStmt = db.prepare<[string, string], { n: number }>(
    'SELECT COUNT(*) AS n FROM dataset_items WHERE project_id = ? AND blob_path = ?',
  );
  const deleteAllStmt = db.prepare<[string]>('DELETE FROM dataset_items WHERE project_id = ?');

  const insertMany = db.transaction(
    (projectId: string, items: readonly ImportedItem[], createdAt: string): InsertOutcome[] =>
      items.map((item) => {
        // Checked inside the transaction, so duplicates within one batch are caught too.
        if (hasHashStmt.get(projectId, item.hash)) return 'duplicate';
        const result = insertStmt.run({
          project_id: projectId,
          filename: item.filename,
          class_name: item.className,
          media_kind: item.mediaKind,
          mime: item.mime,
          size: item.size,
          hash: item.hash,
          blob_path: item.blobPath,
          thumb_path: item.thumbPath,
          width: item.width,
          height: item.height,
          duration: item.duration,
          sample_rate: item.sampleRate,
          channels: item.channels,
          rows: item.rows,
          columns: item.columns,
          waveform: item.waveform ? JSON.stringify(item.waveform) : null,
          created_at: createdAt,
        });
        return result.changes > 0 ? 'inserted' : 'name_taken';
      }),
  );

  // One prepared statement per filter/sort shape, made on first use and kept.
  const listStatements = new Map<
    string,
    { page: Statement<unknown[], ItemRow>; count: Statement<unknown[], { n: number }> }
  >();
  function listStatementsFor(q: ItemListQuery) {
    const key = [
      q.sortBy,
      q.sortOrder,
      q.filterClass !== undefined,
      q.search !== undefined,
      q.mediaKind !== undefined,
    ].join(':');
    let entry = listStatements.get(key);
    if (!entry) {
      const where = ['project_id = ?'];
      if (q.filterClass !== undefined) where.push('class_name = ?');
      // LIKE is case-insensitive for ASCII in SQLite; lower() on both sides would defeat nothing more.
      if (q.search !== undefined) where.push("filename LIKE ? ESCAPE '\\'");
      if (q.mediaKind !== undefined) where.push('media_kind = ?');
      const dir = q.sortOrder === 'desc' ? 'DESC' : 'ASC';
      const col = SORT_COLUMNS[q.sortBy];
      const order = col === 'filename' ? `filename ${dir}` : `${col} ${dir}, filename ${dir}`;
      const whereSql = where.join(' AND ');
      entry = {
        page: db.prepare(
          `SELECT * FROM dataset_items WHERE ${whereSql} ORDER BY ${order}, id ${dir} LIMIT ? OFFSET ?`,
        ),
        count: db.prepare(`SELECT COUNT(*) AS n FROM dataset_items WHERE ${whereSql}`),
      };
      listStatements.set(key, entry);
    }
    return entry;
  }

  return {
    insertMany: (projectId, items, createdAt) =>
      items.length === 0 ? [] : insertMany(projectId, items, createdAt),
    hasHash: (projectId, hash) => hasHashStmt.get(projectId, hash) !== undefined,
    get: (projectId, filename) => getStmt.get(projectId, filename),
    list: (projectId, q) => {
      const stmts = listStatementsFor(q);
      const args: unknown[] = [projectId];
      if (q.filterClass !== undefined) args.push(q.filterClass);
      if (q.search !== undefined) args.push(`%${escapeLike(q.search)}%`);
      if (q.mediaKind !== undefined) args.push(q.mediaKind);
      const total = stmts.count.get(...args)?.n ?? 0;
      const rows = stmts.page.all(...args, q.pageSize, (q.page - 1) * q.pageSize);
      return { rows, total };
    },
    stats: (projectId): DatasetStats => {
      const classes = classCountsStmt.all(projectId);
      const kinds = kindsStmt.all(projectId);
      const mediaKinds: Record<string, number> = {};
      let totalItems = 0;
      let totalSize = 0;
      for (const k of kinds) {
        mediaKinds[k.media_kind] = k.n;
        totalItems += k.n;
        totalSize += k.bytes;
      }
      return {
        totalItems,
        totalSize,
        classCounts: classes.flatMap((c) =>
          c.class_name === null ? [] : [{ name: c.class_name, count: c.n }],
        ),
        unlabeled: classes.find((c) => c.class_name === null)?.n ?? 0,
        mediaKinds,
      };
    },
    splitSources: (projectId): SplitSource[] =>
      sourcesStmt
        .all(projectId)
        .map((r) => ({
          id: r.id,
          filename: r.filename,
          className: r.class_name,
          sourceId: r.source_item_id,
          excluded: r.excluded === 1,
        }))
        // Code-unit order: the same on every machine and locale, which a reproducible split needs.
        .sort((a, b) => (a.filename < b.filename ? -1 : a.filename > b.filename ? 1 : 0)),
    files: (projectId) => filesStmt.all(projectId),
    blobRefs: (projectId, blobPath) => blobRefsStmt.get(projectId, blobPath)?.n ?? 0,
    deleteAll: (projectId) => deleteAllStmt.run(projectId).changes,
    addPendingLineage: (projectId, entries) => addPending(projectId, entries),
    clearPendingLineage: (projectId) => void clearPendingStmt.run(projectId),
    getByIds: (projectId, ids) => getByIds(projectId, ids),
    setExcluded: (projectId, ids, excluded) => setExcluded(projectId, ids, excluded),
    deleteByIds: (projectId, ids) => deleteByIds(projectId, ids),
  };
}
