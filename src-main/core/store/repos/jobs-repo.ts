import type {
  ImportFileError,
  Job,
  JobKind,
  JobStatus,
} from '../../../../src-shared/contract/index.js';
import type { Statement } from 'better-sqlite3';
import type { Db } from '../database.js';
import type { JobFilter, JobPatch, JobsRepo } from './types.js';

interface JobRow {
  spec?: string | null;
  id: string;
  kind: JobKind;
  project_id: string;
  status: JobStatus;
  done: number;
  total: number;
  message: string;
  result: string | null;
  error: string | null;
  eta_seconds: number | null;
  resumable: number;
  subject_id: string | null;
  created_at: string;
  updated_at: string;
  started_at: string | null;
  finished_at: string | null;
}

const toJob = ({ spec: _spec, ...r }: JobRow): Job => ({
  ...r,
  resumable: r.resumable === 1,
  result: r.result === null ? null : (JSON.parse(r.result) as Job['result']),
});

const toRow = (j: Job): JobRow => ({
  ...j,
  resumable: j.resumable ? 1 : 0,
  result: j.result === null ? null : JSON.stringify(j.result),
});

const UNFINISHED = "status IN ('pending', 'running')";

export function createJobsRepo(db: Db): JobsRepo {
  const insertStmt = db.prepare(`
    INSERT INTO jobs (id, kind, project_id, status, done, total, message, result, error, eta_seconds,
      resumable, subject_id, spec, created_at, updated_at, started_at, finished_at)
    VALUES (@id, @kind, @project_id, @status, @done, @total, @message, @result, @error, @eta_seconds,
      @resumable, @subject_id, @spec, @created_at, @updated_at, @started_at, @finished_at)`);
  const specStmt = db.prepare<[string], { spec: string | null }>(
    'SELECT spec FROM jobs WHERE id = ?',
  );
  const getStmt = db.prepare<[string], JobRow>('SELECT * FROM jobs WHERE id = ?');
  const updateStmt = db.prepare(`
    UPDATE jobs SET status = @status, done = @done, total = @total, message = @message, result = @result,
      error = @error, eta_seconds = @eta_seconds, subject_id = @subject_id, updated_at = @updated_at,
      started_at = @started_at, finished_at = @finished_at
    WHERE id = @id`);
  const unfinishedStmt = db.prepare<[], JobRow>(
    `SELECT * FROM jobs WHERE ${UNFINISHED} ORDER BY created_at, id`,
  );
  const bySubjectStmt = db.prepare<[JobKind, string], JobRow>(
    'SELECT * FROM jobs WHERE kind = ? AND subject_id = ? ORDER BY created_at DESC, id LIMIT 1',
  );
  const addErrorStmt = db.prepare(
    'INSERT OR IGNORE INTO job_errors (job_id, seq, file, code, message) VALUES (?, ?, ?, ?, ?)',
  );
  const errorCountStmt = db.prepare<[string], { n: number }>(
    'SELECT COUNT(*) AS n FROM job_errors WHERE job_id = ?',
  );
  const errorPageStmt = db.prepare<[string, number, number], ImportFileError>(
    'SELECT file, code, message FROM job_errors WHERE job_id = ? ORDER BY seq LIMIT ? OFFSET ?',
  );

  // One statement per status set, prepared on first use.
  const byProjectStmts = new Map<string, Statement<unknown[], JobRow>>();
  const listStmts = new Map<string, Statement<unknown[], JobRow>>();
  const countStmts = new Map<string, Statement<unknown[], { n: number }>>();

  const where = (f: JobFilter): { sql: string; args: string[]; key: string } => {
    const parts: string[] = [];
    const args: string[] = [];
    const add = (sql: string, value: string | undefined): void => {
      if (value === undefined) return;
      parts.push(sql);
      args.push(value);
    };
    add('kind = ?', f.kind);
    add('status = ?', f.status);
    add('project_id = ?', f.projectId);
    const sql = parts.length === 0 ? '' : `WHERE ${parts.join(' AND ')}`;
    return { sql, args, key: parts.join('&') };
  };

  const update = db.transaction(
    (id: string, patch: JobPatch, updatedAt: string): Job | undefined => {
      const row = getStmt.get(id);
      if (!row) return undefined;
      const next: Job = { ...toJob(row), ...patch, updated_at: updatedAt };
      updateStmt.run(toRow(next));
      return next;
    },
  );

  const addErrors = db.transaction((jobId: string, first: number, errors: ImportFileError[]) => {
    errors.forEach((e, i) => addErrorStmt.run(jobId, first + i, e.file, e.code, e.message));
  });

  return {
    insert: (job, spec) => {
      insertStmt.run({ ...toRow(job), spec: spec === undefined ? null : JSON.stringify(spec) });
    },
    spec: (id) => {
      const row = specStmt.get(id);
      return row?.spec == null ? undefined : (JSON.parse(row.spec) as unknown);
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
    latestFor: (kind, subjectId) => {
      const row = bySubjectStmt.get(kind, subjectId);
      return row ? toJob(row) : undefined;
    },
    unfinished: () => unfinishedStmt.all().map(toJob),
    list: (filter, limit, offset) => {
      const w = where(filter);
      let stmt = listStmts.get(w.key);
      if (!stmt) {
        stmt = db.prepare<unknown[], JobRow>(
          `SELECT * FROM jobs ${w.sql} ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`,
        );
        listStmts.set(w.key, stmt);
      }
      return stmt.all(...w.args, limit, offset).map(toJob);
    },
    count: (filter) => {
      const w = where(filter);
      let stmt = countStmts.get(w.key);
      if (!stmt) {
        stmt = db.prepare<unknown[], { n: number }>(`SELECT COUNT(*) AS n FROM jobs ${w.sql}`);
        countStmts.set(w.key, stmt);
      }
      return stmt.get(...w.args)?.n ?? 0;
    },
    addErrors: (jobId, first, errors) => addErrors(jobId, first, [...errors]),
    errorCount: (jobId) => errorCountStmt.get(jobId)?.n ?? 0,
    errors: (jobId, limit, offset) => errorPageStmt.all(jobId, limit, offset),
  };
}
