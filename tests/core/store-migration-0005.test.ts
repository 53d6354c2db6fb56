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

describe('migration 0005 (experiment split ids)', () => {
  let dir: string;
  let db: Db;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'assay-mig5-'));
    db = openDatabase(join(dir, 'assay.db'));
  });
  afterEach(async () => {
    if (db.open) db.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** A version-4 database: two projects, each with splits, experiments by index, and runs. */
  function version4WithData(): { first: number; second: number; other: number } {
    expect(migrate(db, migrations, { target: 4 })).toEqual([1, 2, 3, 4]);
    const project = db.prepare(
      "INSERT INTO projects (id, name, task, created_at, updated_at) VALUES (?, 'p', 'classification', 't', 't')",
    );
    project.run('proj-00000001');
    project.run('proj-00000002');
    const split = db.prepare(
      `INSERT INTO splits (project_id, idx, name, ratios, seed, stratify, created_at)
       VALUES (?, ?, ?, '{"train":0.8,"val":0.2,"test":0}', 1, 1, 't')`,
    );
    const first = Number(split.run('proj-00000001', 0, 'first').lastInsertRowid);
    const other = Number(split.run('proj-00000002', 0, 'other').lastInsertRowid);
    const second = Number(split.run('proj-00000001', 1, 'second').lastInsertRowid);
    const exp = db.prepare(
      `INSERT INTO experiments (id, project_id, name, split_index, config, created_at, updated_at)
       VALUES (?, ?, ?, ?, '{"epochs":3}', 't', 't')`,
    );
    exp.run('exp-00000001', 'proj-00000001', 'on second', 1);
    exp.run('exp-00000002', 'proj-00000001', 'on first', 0);
    exp.run('exp-00000003', 'proj-00000001', 'on a deleted one', 4);
    exp.run('exp-00000004', 'proj-00000002', 'other project', 0);
    const run = db.prepare(
      `INSERT INTO runs (id, experiment_id, project_id, split_id, status, config, created_at)
       VALUES (?, ?, 'proj-00000001', ?, 'completed', '{}', 't')`,
    );
    run.run('run-00000001', 'exp-00000001', second);
    run.run('run-00000002', 'exp-00000003', null);
    return { first, second, other };
  }

  const experiments = () =>
    db.prepare('SELECT id, split_id, split_name FROM experiments ORDER BY id').all() as {
      id: string;
      split_id: number | null;
      split_name: string | null;
    }[];

  it('gives each experiment the id of the split its index points at, within its project', () => {
    const { first, second, other } = version4WithData();
    expect(migrate(db, migrations, { target: 5 })).toEqual([5]);
    expect(schemaVersion(db)).toBe(5);
    expect(experiments()).toEqual([
      { id: 'exp-00000001', split_id: second, split_name: 'second' },
      { id: 'exp-00000002', split_id: first, split_name: 'first' },
      { id: 'exp-00000003', split_id: null, split_name: null },
      { id: 'exp-00000004', split_id: other, split_name: 'other' },
    ]);
    const cols = (db.prepare('PRAGMA table_info(experiments)').all() as { name: string }[]).map(
      (c) => c.name,
    );
    expect(cols).not.toContain('split_index');
    expect(db.prepare('SELECT id, split_id, split_name FROM runs ORDER BY id').all()).toEqual([
      { id: 'run-00000001', split_id: second, split_name: 'second' },
      { id: 'run-00000002', split_id: null, split_name: null },
    ]);
    expect(db.pragma('foreign_key_check')).toEqual([]);
  });

  it('keeps the foreign keys: a deleted split clears split_id, deletes still cascade', () => {
    const { second } = version4WithData();
    migrate(db, migrations, { target: 5 });
    db.prepare('DELETE FROM splits WHERE id = ?').run(second);
    expect(experiments()[0]).toEqual({
      id: 'exp-00000001',
      split_id: null,
      split_name: 'second',
    });
    expect(
      db.prepare("SELECT split_id, split_name FROM runs WHERE id = 'run-00000001'").get(),
    ).toEqual({ split_id: null, split_name: 'second' });
    // Runs still belong to the rebuilt experiments table.
    db.prepare("DELETE FROM experiments WHERE id = 'exp-00000001'").run();
    expect(count(db, 'runs')).toBe(1);
    expect(() =>
      db
        .prepare(
          "INSERT INTO experiments (id, project_id, name, split_id, config, created_at, updated_at) VALUES ('exp-00000009', 'proj-00000001', 'e', 12345, '{}', 't', 't')",
        )
        .run(),
    ).toThrow(/FOREIGN KEY/);
    db.prepare("DELETE FROM projects WHERE id = 'proj-00000001'").run();
    expect(count(db, 'experiments')).toBe(1);
    expect(count(db, 'runs')).toBe(0);
  });
});
