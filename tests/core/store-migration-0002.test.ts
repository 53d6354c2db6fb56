import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  migrate,
  migrations,
  openDatabase,
  openStore,
  schemaVersion,
  type Db,
} from '../../src-main/core/store/index.js';

const count = (db: Db, table: string): number =>
  (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('migration 0002 (training)', () => {
  let dir: string;
  let db: Db;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'assay-mig2-'));
    db = openDatabase(join(dir, 'assay.db'));
  });
  afterEach(async () => {
    if (db.open) db.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** A version-1 database holding one project with one item and one split. */
  function version1WithData(): void {
    expect(migrate(db, migrations, { target: 1 })).toEqual([1]);
    db.prepare(
      "INSERT INTO projects (id, name, task, created_at, updated_at) VALUES ('proj-00000001', 'p', 'classification', 't', 't')",
    ).run();
    db.prepare(
      `INSERT INTO dataset_items (project_id, filename, class_name, media_kind, mime, size, hash, blob_path, created_at)
       VALUES ('proj-00000001', 'cat/1.png', 'cat', 'image', 'image/png', 1, 'h1', 'b', 't')`,
    ).run();
    db.prepare(
      `INSERT INTO splits (project_id, idx, name, ratios, seed, stratify, created_at)
       VALUES ('proj-00000001', 0, 's', '{"train":0.8,"val":0.2,"test":0}', 1, 1, 't')`,
    ).run();
  }

  const insertExperiment = (id: string) =>
    db
      .prepare(
        `INSERT INTO experiments (id, project_id, name, split_index, config, created_at, updated_at)
         VALUES (?, 'proj-00000001', 'e', 0, '{"epochs":3}', 't', 't')`,
      )
      .run(id);
  const insertRun = (id: string, experimentId: string, status = 'running') =>
    db
      .prepare(
        `INSERT INTO runs (id, experiment_id, project_id, status, config, created_at)
         VALUES (?, ?, 'proj-00000001', ?, '{}', 't')`,
      )
      .run(id, experimentId, status);
  const insertEpoch = (runId: string, epoch: number, loss: number) =>
    db
      .prepare(
        `INSERT INTO run_epochs (run_id, epoch, metrics, created_at) VALUES (?, ?, ?, 't') ON CONFLICT DO NOTHING`,
      )
      .run(runId, epoch, JSON.stringify({ epoch, loss })).changes;

  it('adds the training tables over existing data and keeps that data', () => {
    version1WithData();
    expect(migrate(db, migrations, { target: 2 })).toEqual([2]);
    expect(schemaVersion(db)).toBe(2);
    const tables = (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]
    ).map((r) => r.name);
    expect(tables).toEqual(expect.arrayContaining(['experiments', 'runs', 'run_epochs']));
    expect(count(db, 'projects')).toBe(1);
    expect(count(db, 'dataset_items')).toBe(1);
    expect(count(db, 'splits')).toBe(1);
    expect(count(db, 'experiments')).toBe(0);
    const row = db.prepare('SELECT name FROM schema_migrations WHERE version = 2').get();
    expect(row).toEqual({ name: 'training' });
  });

  it('stores an epoch once: a second report of the same epoch is ignored and the first kept', () => {
    version1WithData();
    migrate(db, migrations, { target: 2 });
    insertExperiment('exp-00000001');
    insertRun('run-00000001', 'exp-00000001');
    expect(insertEpoch('run-00000001', 1, 0.9)).toBe(1);
    expect(insertEpoch('run-00000001', 2, 0.5)).toBe(1);
    expect(insertEpoch('run-00000001', 1, 0.1)).toBe(0);
    const rows = db.prepare('SELECT epoch, metrics FROM run_epochs ORDER BY epoch').all() as {
      epoch: number;
      metrics: string;
    }[];
    expect(rows.map((r) => [r.epoch, JSON.parse(r.metrics).loss])).toEqual([
      [1, 0.9],
      [2, 0.5],
    ]);
    // Without the conflict clause the key itself refuses the duplicate.
    expect(() =>
      db
        .prepare(
          "INSERT INTO run_epochs (run_id, epoch, metrics, created_at) VALUES ('run-00000001', 2, '{}', 't')",
        )
        .run(),
    ).toThrow(/UNIQUE|PRIMARY KEY/);
  });

  it('enforces statuses, JSON columns, epoch numbers and foreign keys', () => {
    version1WithData();
    migrate(db, migrations, { target: 2 });
    insertExperiment('exp-00000001');
    expect(() => insertRun('run-00000001', 'exp-00000001', 'paused')).toThrow(/CHECK/);
    expect(() => insertRun('run-00000002', 'exp-ffffffff')).toThrow(/FOREIGN KEY/);
    insertRun('run-00000003', 'exp-00000001');
    expect(() => insertEpoch('run-00000003', 0, 1)).toThrow(/CHECK/);
    expect(() => insertEpoch('run-ffffffff', 1, 1)).toThrow(/FOREIGN KEY/);
    expect(() =>
      db.prepare("UPDATE runs SET best = 'not json' WHERE id = 'run-00000003'").run(),
    ).toThrow(/CHECK/);
    expect(() =>
      db
        .prepare(
          `INSERT INTO experiments (id, project_id, name, split_index, config, created_at, updated_at)
           VALUES ('exp-00000002', 'proj-00000001', 'e', -1, '{}', 't', 't')`,
        )
        .run(),
    ).toThrow(/CHECK/);
  });

  it('cascades: an experiment takes its runs and epochs, a project takes everything', () => {
    version1WithData();
    migrate(db, migrations, { target: 2 });
    insertExperiment('exp-00000001');
    insertExperiment('exp-00000002');
    insertRun('run-00000001', 'exp-00000001');
    insertRun('run-00000002', 'exp-00000002');
    insertEpoch('run-00000001', 1, 1);
    insertEpoch('run-00000002', 1, 1);
    db.prepare("DELETE FROM experiments WHERE id = 'exp-00000001'").run();
    expect(count(db, 'runs')).toBe(1);
    expect(count(db, 'run_epochs')).toBe(1);
    db.prepare("DELETE FROM projects WHERE id = 'proj-00000001'").run();
    for (const t of ['experiments', 'runs', 'run_epochs']) expect(count(db, t)).toBe(0);
  });

  it('opens through the store with the training repos', () => {
    db.close();
    const store = openStore(join(dir, 'assay.db'));
    try {
      expect(store.schemaVersion).toBe(migrations.length);
      expect(store.experiments.list('proj-00000001')).toEqual([]);
      expect(store.runs.markUnfinished('interrupted', 'x', 't')).toEqual([]);
    } finally {
      store.close();
    }
  });
});
