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

describe('migration 0004 (evaluations)', () => {
  let dir: string;
  let db: Db;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'assay-mig4-'));
    db = openDatabase(join(dir, 'assay.db'));
  });
  afterEach(async () => {
    if (db.open) db.close();
    await rm(dir, { recursive: true, force: true });
  });

  const insert = (id: string, status = 'pending', subset = 'test', metrics: string | null = null) =>
    db
      .prepare(
        `INSERT INTO evaluations (id, project_id, experiment_id, run_id, checkpoint, split_index,
           split_subset, batch_size, kind, status, metrics, created_at)
         VALUES (?, 'proj-00000001', 'exp-00000001', 'run-00000001', 'best', 0, ?, 32,
           'classification', ?, ?, 't')`,
      )
      .run(id, subset, status, metrics);

  it('adds the evaluations table over a version-3 database with data, which it keeps', () => {
    expect(migrate(db, migrations, { target: 3 })).toEqual([1, 2, 3]);
    db.prepare(
      "INSERT INTO projects (id, name, task, created_at, updated_at) VALUES ('proj-00000001', 'p', 'classification', 't', 't')",
    ).run();
    db.prepare(
      `INSERT INTO exports (id, project_id, experiment_id, run_id, checkpoint, format, status, created_at)
       VALUES ('xpt-00000001', 'proj-00000001', 'exp-00000001', 'run-00000001', 'best', 'onnx', 'completed', 't')`,
    ).run();
    expect(migrate(db, migrations, { target: 4 })).toEqual([4]);
    expect(schemaVersion(db)).toBe(4);
    expect(count(db, 'exports')).toBe(1);
    insert('eval-00000001', 'completed', 'test', '{"accuracy":1}');
    expect(() => insert('eval-00000002', 'lost')).toThrow(/CHECK/);
    expect(() => insert('eval-00000003', 'pending', 'none')).toThrow(/CHECK/);
    expect(() => insert('eval-00000004', 'pending', 'test', '{bad')).toThrow(/CHECK/);
    db.prepare("DELETE FROM projects WHERE id = 'proj-00000001'").run();
    expect(count(db, 'evaluations')).toBe(0);
  });
});
