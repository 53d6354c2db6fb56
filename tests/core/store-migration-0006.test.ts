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
import { createJobsRepo } from '../../src-main/core/store/repos/jobs-repo.js';

const count = (db: Db, table: string): number =>
  (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('migration 0006 (one jobs table, per-file errors)', () => {
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

  it('rebuilds jobs over a version-5 database, keeping every row, and adds job_errors', () => {
    expect(migrate(db, migrations, { target: 5 })).toEqual([1, 2, 3, 4, 5]);
    db.prepare(
      "INSERT INTO projects (id, name, task, created_at, updated_at) VALUES ('proj-00000001', 'p', 'classification', 't0', 't0')",
    ).run();
    const result = JSON.stringify({
      imported: 2,
      duplicates: 0,
      failed: 1,
      errors: [{ file: 'x.png', code: 'decode_failed', message: 'bad' }],
    });
    const insert = db.prepare(
      `INSERT INTO jobs (id, kind, project_id, status, done, total, message, result, error, created_at, updated_at)
       VALUES (?, 'import', 'proj-00000001', ?, 3, 3, 'm', ?, NULL, 't1', 't2')`,
    );
    insert.run('job-00000001', 'completed', result);
    insert.run('job-00000002', 'running', null);
    // Version 5 knows no `interrupted`.
    expect(() => insert.run('job-00000003', 'interrupted', null)).toThrow(/CHECK/);

    expect(migrate(db, migrations, { target: 6 })).toEqual([6]);
    expect(schemaVersion(db)).toBe(6);
    const jobs = createJobsRepo(db);
    expect(jobs.get('job-00000001')).toMatchObject({
      status: 'completed',
      done: 3,
      result: JSON.parse(result),
      resumable: false,
      eta_seconds: null,
      subject_id: null,
      started_at: 't1',
      finished_at: 't2',
    });
    expect(jobs.get('job-00000002')).toMatchObject({ status: 'running', finished_at: null });
    expect(jobs.unfinished().map((j) => j.id)).toEqual(['job-00000002']);
    insert.run('job-00000003', 'interrupted', null);
    expect(() => insert.run('job-00000004', 'lost', null)).toThrow(/CHECK/);
    const indexes = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'jobs'")
      .all() as { name: string }[];
    expect(
      indexes
        .map((i) => i.name)
        .filter((n) => n.startsWith('jobs_'))
        .sort(),
    ).toEqual(['jobs_kind', 'jobs_project', 'jobs_status', 'jobs_subject']);

    jobs.addErrors('job-00000001', 0, [
      { file: 'a.png', code: 'decode_failed', message: 'a' },
      { file: 'b.png', code: 'decode_failed', message: 'b' },
    ]);
    jobs.addErrors('job-00000001', 2, [{ file: 'c.png', code: 'too_large', message: 'c' }]);
    expect(jobs.errorCount('job-00000001')).toBe(3);
    expect(jobs.errors('job-00000001', 2, 1).map((e) => e.file)).toEqual(['b.png', 'c.png']);
    expect(() =>
      db.prepare("INSERT INTO job_errors VALUES ('job-ffffffff', 0, 'f', 'c', 'm')").run(),
    ).toThrow(/FOREIGN KEY/);
    // Errors go with their job, jobs with their project.
    db.prepare("DELETE FROM projects WHERE id = 'proj-00000001'").run();
    expect(count(db, 'jobs')).toBe(0);
    expect(count(db, 'job_errors')).toBe(0);
  });
});
