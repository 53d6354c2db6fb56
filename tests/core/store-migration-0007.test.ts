import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  migrate,
  migrations,
  openDatabase,
  schemaVersion,
  type Db,
} from '../../src-main/core/store/index.js';
import { createItemsRepo } from '../../src-main/core/store/repos/items-repo.js';

const P = 'proj-00000001';

describe('migration 0007 (item lineage, exclusion, pending lineage taken over on insert)', () => {
  let dir: string;
  let db: Db;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'assay-mig7-'));
    db = openDatabase(join(dir, 'assay.db'));
  });
  afterEach(async () => {
    if (db.open) db.close();
    await rm(dir, { recursive: true, force: true });
  });

  const insertItem = (filename: string, hash: string): number =>
    Number(
      db
        .prepare(
          `INSERT INTO dataset_items (project_id, filename, class_name, media_kind, mime, size, hash, blob_path, created_at)
           VALUES (?, ?, 'gold', 'audio', 'audio/wav', 10, ?, ?, 't0')`,
        )
        .run(P, filename, hash, `blobs/${hash}.wav`).lastInsertRowid,
    );

  it('keeps version-6 items as originals, links copies on insert, and cascades a source delete', () => {
    expect(migrate(db, migrations, { target: 6 })).toEqual([1, 2, 3, 4, 5, 6]);
    db.prepare(
      "INSERT INTO projects (id, name, task, created_at, updated_at) VALUES (?, 'p', 'audio-classification', 't0', 't0')",
    ).run(P);
    const a = insertItem('gold/a.wav', 'h-a');
    const b = insertItem('gold/b.wav', 'h-b');

    expect(migrate(db, migrations, { target: 7 })).toEqual([7]);
    expect(schemaVersion(db)).toBe(7);
    const items = createItemsRepo(db);
    expect(items.get(P, 'gold/a.wav')).toMatchObject({
      source_item_id: null,
      augmentation: null,
      excluded: 0,
    });
    expect(items.splitSources(P).map((s) => [s.filename, s.sourceId, s.excluded])).toEqual([
      ['gold/a.wav', null, false],
      ['gold/b.wav', null, false],
    ]);

    // Lineage recorded under the hash before the row exists is moved onto it by the insert.
    items.addPendingLineage(P, [{ hash: 'h-c', sourceItemId: a, augmentation: '{"gain_db":-6}' }]);
    const c = insertItem('gold/a__aug.wav', 'h-c');
    expect(items.get(P, 'gold/a__aug.wav')).toMatchObject({
      source_item_id: a,
      augmentation: '{"gain_db":-6}',
    });
    expect(db.prepare('SELECT COUNT(*) AS n FROM item_lineage_pending').get()).toEqual({ n: 0 });
    // An item inserted with no pending lineage stays an original.
    insertItem('gold/d.wav', 'h-d');
    expect(items.get(P, 'gold/d.wav')?.source_item_id).toBeNull();

    expect(() =>
      db.prepare("UPDATE dataset_items SET augmentation = 'not json' WHERE id = ?").run(c),
    ).toThrow(/CHECK/);
    expect(() => db.prepare('UPDATE dataset_items SET excluded = 2 WHERE id = ?').run(b)).toThrow(
      /CHECK/,
    );
    expect(items.setExcluded(P, [b], true)).toBe(1);
    expect(items.splitSources(P).find((s) => s.id === b)?.excluded).toBe(true);

    // Deleting the source removes its copy with it.
    expect(items.deleteByIds(P, [a])).toBe(1);
    expect(items.getByIds(P, [a, b, c]).map((r) => r.filename)).toEqual(['gold/b.wav']);

    items.addPendingLineage(P, [{ hash: 'h-x', sourceItemId: b, augmentation: '{}' }]);
    items.clearPendingLineage(P);
    expect(db.prepare('SELECT COUNT(*) AS n FROM item_lineage_pending').get()).toEqual({ n: 0 });
  });
});
