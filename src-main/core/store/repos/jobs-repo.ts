import type { ImportResult, Job, JobStatus } from '../../../../src-shared/contract/index.js';
import type { Statement } from 'better-sqlite3';
import type { Db } from '../database.js';
import type { JobPatch, JobsRepo } from './types.js';

interface JobRow {
  id: string;
  kind: Job['kind'];
  project_id: string;
  status: JobStatus;
  done: number;
  total: number;
  message: string;
  result: string | null;
  error: string | null;
  created_at: string;
  updated_at: string;
}

const toJob = (r: JobRow): Job => ({
  ...r,
  result: r.result === null ? null : (JSON.parse(r.result) as ImportResult),
});

export function createJobsRepo(db: Db): JobsRepo {
  const insertStmt = db.prepare(`
    INSERT INTO jobs (id, kind, project_id, status, done, total, message, result, error, created_at, updated_at)
    VALUES (@id, @kind, @project_id, @status, @done, @total, @message, @result, @error, @created_at, @updated_at)`);
  const getStmt = db.prepare<[string], JobRow>('SELECT * FROM jobs WHERE id = ?');
  const updateStmt = db.prepare(`
    UPDATE jobs SET status = @status, done = @done, total = @total, message = @message, result = @result,
      error = @error, updated_at = @updated_at
    WHERE id = @id`);
  const failStmt = db.prepare<[string, string]>(
    `UPDATE jobs SET status = 'failed', error = ?, updated_at = ? WHERE status IN ('pending', 'running')`,
  );

  // One statement per status set, prepared on first use.
  const byProjectStmts = new Map<string, Statement<unknown[], JobRow>>();

  const update = db.transaction(
    (id: string, patch: JobPatch, updatedAt: string): Job | undefined => {
      const row = getStmt.get(id);
      if (!row) return undefined;
      const next: Job = { ...toJob(row), ...patch, updated_at: updatedAt };
      updateStmt.run({
        ...next,
        result: next.result === null ? null : JSON.stringify(next.result),
      });
      return next;
    },
  );

  return {
    insert: (job) => {
      insertStmt.run({ ...job, result: job.result === null ? null : JSON.stringify(job.result) });
    },
    get: (id) => {
      const row = getStmt.get(id);
      return row ? toJob(row) : undefined;
    },
    update: (id, patch, updatedAt) => update(id, patch, updatedAt),
    findByProject: (projectId, statuses) => {
      if (statuses.length === 0) return [];
      const key = [...statuses].sort().join(',');
      let stmt = byProjectStmts.get(key);
      if (!stmt) {
        const marks = statuses.map(() => '?').join(', ');
        stmt = db.prepare<unknown[], JobRow>(
          `SELECT * FROM jobs WHERE project_id = ? AND status IN (${marks}) ORDER BY created_at DESC, id`,
        );
        byProjectStmts.set(key, stmt);
      }
      return stmt.all(projectId, ...[...statuses].sort()).map(toJob);
    },
    failUnfinished: (error, updatedAt) => failStmt.run(error, updatedAt).changes,
  };
}
