import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  MigrationError,
  migrate,
  migrationChecksum,
  migrations as allMigrations,
  openDatabase,
  openStore,
  schemaVersion,
  type Db,
  type Migration,
} from '../../src-main/core/store/index.js';

// Later migrations have their own tests; these pin version 1 and the migrator's rules.
const migrations = allMigrations.slice(0, 1);

describe('migration 0001 (init) and the migrator', () => {
  let dir: string;
  let db: Db;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'assay-mig-'));
    db = openDatabase(join(dir, 'assay.db'));
  });
  afterEach(async () => {
    if (db.open) db.close();
    await rm(dir, { recursive: true, force: true });
  });

  const tables = () =>
    (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
        name: string;
      }[]
    ).map((r) => r.name);

  it('opens with WAL, synchronous=FULL, foreign keys and a busy timeout', () => {
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
  });

  it('migrates an empty database and records the checksum', () => {
    expect(migrate(db, migrations)).toEqual([1]);
    expect(tables()).toEqual(
      expect.arrayContaining([
        'projects',
        'dataset_items',
        'splits',
        'split_assignments',
        'jobs',
        'schema_migrations',
      ]),
    );
    const row = db.prepare('SELECT * FROM schema_migrations WHERE version = 1').get() as {
      checksum: string;
      name: string;
    };
    expect(row.name).toBe('init');
    expect(row.checksum).toBe(migrationChecksum(migrations[0]!));
    expect(schemaVersion(db)).toBe(1);
  });

  it('is a no-op when run again', () => {
    migrate(db, migrations);
    db.prepare(
      "INSERT INTO projects (id, name, task, created_at, updated_at) VALUES ('proj-00000001', 'a', 'classification', 't', 't')",
    ).run();
    expect(migrate(db, migrations)).toEqual([]);
    expect(db.prepare('SELECT COUNT(*) AS n FROM projects').get()).toEqual({ n: 1 });
  });

  it('refuses a database whose applied migration was edited since', () => {
    migrate(db, migrations);
    const tampered: Migration[] = [{ ...migrations[0]!, up: `${migrations[0]!.up}\n-- edited` }];
    expect(() => migrate(db, tampered)).toThrow(MigrationError);
    expect(() => migrate(db, tampered)).toThrow(/changed after it was applied/);
    db.close();
    // The same refusal through the store's front door.
    db = openDatabase(join(dir, 'assay.db'));
    db.prepare("UPDATE schema_migrations SET checksum = 'deadbeef' WHERE version = 1").run();
    db.close();
    expect(() => openStore(join(dir, 'assay.db'))).toThrow(MigrationError);
  });

  it('refuses a database migrated by a newer version', () => {
    const next: Migration = { version: 2, name: 'future', up: 'CREATE TABLE future (id INTEGER)' };
    migrate(db, [...migrations, next]);
    expect(() => migrate(db, migrations)).toThrow(/newer version/);
  });

  it('rolls back a failing migration entirely and applies later ones only after a fix', () => {
    migrate(db, migrations);
    const broken: Migration = {
      version: 2,
      name: 'broken',
      up: 'CREATE TABLE half (id INTEGER); SELECT * FROM nowhere;',
    };
    expect(() => migrate(db, [...migrations, broken])).toThrow();
    expect(tables()).not.toContain('half');
    expect(schemaVersion(db)).toBe(1);
  });

  it('enforces the schema: cascades, unique filenames, subset values', () => {
    migrate(db, migrations);
    db.prepare(
      "INSERT INTO projects (id, name, task, created_at, updated_at) VALUES ('proj-00000001', 'a', 'classification', 't', 't')",
    ).run();
    const insertItem =
      db.prepare(`INSERT INTO dataset_items (project_id, filename, media_kind, mime, size, hash, blob_path, created_at)
      VALUES ('proj-00000001', ?, 'image', 'image/png', 1, ?, 'b', 't')`);
    const itemId = Number(insertItem.run('a/1.png', 'h1').lastInsertRowid);
    expect(() => insertItem.run('a/1.png', 'h2')).toThrow(/UNIQUE/);
    const splitId = Number(
      db
        .prepare(
          `INSERT INTO splits (project_id, idx, name, ratios, seed, stratify, created_at)
        VALUES ('proj-00000001', 0, 's', '{}', 1, 1, 't')`,
        )
        .run().lastInsertRowid,
    );
    expect(() =>
      db
        .prepare(
          "INSERT INTO split_assignments (split_id, item_id, subset) VALUES (?, ?, 'holdout')",
        )
        .run(splitId, itemId),
    ).toThrow(/CHECK/);
    db.prepare(
      "INSERT INTO split_assignments (split_id, item_id, subset) VALUES (?, ?, 'train')",
    ).run(splitId, itemId);
    db.prepare("DELETE FROM projects WHERE id = 'proj-00000001'").run();
    for (const t of ['dataset_items', 'splits', 'split_assignments']) {
      expect(db.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get()).toEqual({ n: 0 });
    }
  });

  it('migrates up to a target version only (for migration tests of later versions)', () => {
    const next: Migration = {
      version: 2,
      name: 'add-note',
      up: "ALTER TABLE projects ADD COLUMN note TEXT NOT NULL DEFAULT ''",
    };
    expect(migrate(db, [...migrations, next], { target: 1 })).toEqual([1]);
    db.prepare(
      "INSERT INTO projects (id, name, task, created_at, updated_at) VALUES ('proj-00000001', 'a', 'classification', 't', 't')",
    ).run();
    expect(migrate(db, [...migrations, next])).toEqual([2]);
    expect(db.prepare('SELECT note FROM projects').get()).toEqual({ note: '' });
  });
});
