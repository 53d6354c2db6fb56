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

describe('migration 0008 (run numbers and names, the curation record)', () => {
  let dir: string;
  let db: Db;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'assay-mig8-'));
    db = openDatabase(join(dir, 'assay.db'));
  });
  afterEach(async () => {
    if (db.open) db.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('numbers existing runs per experiment in the order they were made', () => {
    migrate(db, migrations, { target: 7 });
    db.prepare(
      "INSERT INTO projects (id, name, task, created_at, updated_at) VALUES ('proj-00000001', 'p', 'classification', 't0', 't0')",
    ).run();
    const exp = db.prepare(
      "INSERT INTO experiments (id, project_id, name, config, created_at, updated_at) VALUES (?, 'proj-00000001', ?, '{}', 't0', 't0')",
    );
    exp.run('exp-00000001', 'a');
    exp.run('exp-00000002', 'b');
    const run = db.prepare(
      "INSERT INTO runs (id, experiment_id, project_id, status, config, created_at) VALUES (?, ?, 'proj-00000001', 'completed', '{}', ?)",
    );
    run.run('run-00000003', 'exp-00000001', 't2');
    run.run('run-00000001', 'exp-00000001', 't1');
    run.run('run-00000002', 'exp-00000002', 't1');

    expect(migrate(db, migrations, { target: 8 })).toEqual([8]);
    expect(schemaVersion(db)).toBe(8);
    const rows = db.prepare('SELECT id, number, name FROM runs ORDER BY id').all();
    expect(rows).toEqual([
      { id: 'run-00000001', number: 1, name: null },
      { id: 'run-00000002', number: 1, name: null },
      { id: 'run-00000003', number: 2, name: null },
    ]);
    // The curation record starts empty.
    expect(db.prepare('SELECT COUNT(*) AS n FROM item_changes').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT COUNT(*) AS n FROM run_items').get()).toEqual({ n: 0 });
    // A blank name is refused: "no name" is null, so the default applies.
    expect(() => db.prepare("UPDATE runs SET name = '  ' WHERE id = 'run-00000001'").run()).toThrow(
      /CHECK/,
    );
  });
});
