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

const count = (db: Db, table: string): number =>
  (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('migration 0003 (exports)', () => {
  let dir: string;
  let db: Db;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'assay-mig3-'));
    db = openDatabase(join(dir, 'assay.db'));
  });
  afterEach(async () => {
    if (db.open) db.close();
    await rm(dir, { recursive: true, force: true });
  });

  const insertExport = (id: string, status = 'pending', checkpoint = 'best') =>
    db
      .prepare(
        `INSERT INTO exports (id, project_id, experiment_id, run_id, checkpoint, format, status, created_at)
         VALUES (?, 'proj-00000001', 'exp-00000001', 'run-00000001', ?, 'onnx', ?, 't')`,
      )
      .run(id, checkpoint, status);

  it('adds the exports table over a version-2 database with data, which it keeps', () => {
    expect(migrate(db, migrations, { target: 2 })).toEqual([1, 2]);
    db.prepare(
      "INSERT INTO projects (id, name, task, created_at, updated_at) VALUES ('proj-00000001', 'p', 'classification', 't', 't')",
    ).run();
    db.prepare(
      `INSERT INTO experiments (id, project_id, name, split_index, config, created_at, updated_at)
       VALUES ('exp-00000001', 'proj-00000001', 'e', 0, '{}', 't', 't')`,
    ).run();
    expect(migrate(db, migrations, { target: 3 })).toEqual([3]);
    expect(schemaVersion(db)).toBe(3);
    expect(count(db, 'experiments')).toBe(1);
    insertExport('xpt-00000001');
    expect(count(db, 'exports')).toBe(1);
    // Statuses and checkpoints are checked; options must be JSON.
    expect(() => insertExport('xpt-00000002', 'exploded')).toThrow(/CHECK/);
    expect(() => insertExport('xpt-00000003', 'pending', 'middle')).toThrow(/CHECK/);
    expect(() =>
      db.prepare("UPDATE exports SET options = '{bad' WHERE id = 'xpt-00000001'").run(),
    ).toThrow(/CHECK/);
    // The project takes its exports with it.
    db.prepare("DELETE FROM projects WHERE id = 'proj-00000001'").run();
    expect(count(db, 'exports')).toBe(0);
  });
});
