import type { Migration } from './migration.js';

/**
 * One job system (issue 8): every kind of background work is a row of `jobs`. The table is
 * rebuilt (SQLite cannot change a CHECK in place) to add `interrupted`, the ETA, whether the
 * kind resumes, the task's input (to run it again), what the job works on (`subject_id`: a run, evaluation or export id) and its
 * start and end times. An import's per-file errors move into `job_errors`, one row each, so a
 * job's `result` stays a few hundred bytes however many files were refused.
 */
export const migration0006: Migration = {
  version: 6,
  name: 'jobs',
  foreignKeysOff: true,
  up: `
CREATE TABLE jobs_next (
  id           TEXT PRIMARY KEY,
  kind         TEXT NOT NULL,
  project_id   TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  status       TEXT NOT NULL
                 CHECK (status IN ('pending', 'running', 'completed', 'failed', 'cancelled', 'interrupted')),
  done         INTEGER NOT NULL DEFAULT 0,
  total        INTEGER NOT NULL DEFAULT 0,
  message      TEXT NOT NULL DEFAULT '',
  result       TEXT CHECK (result IS NULL OR json_valid(result)),
  error        TEXT,
  eta_seconds  REAL,
  resumable    INTEGER NOT NULL DEFAULT 0 CHECK (resumable IN (0, 1)),
  subject_id   TEXT,
  -- What a worker task needs to run again (kinds that resume after a crash); never sent out.
  spec         TEXT CHECK (spec IS NULL OR json_valid(spec)),
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL,
  started_at   TEXT,
  finished_at  TEXT
);
INSERT INTO jobs_next (id, kind, project_id, status, done, total, message, result, error,
                       created_at, updated_at, started_at, finished_at)
  SELECT id, kind, project_id, status, done, total, message, result, error, created_at, updated_at,
         CASE WHEN status = 'pending' THEN NULL ELSE created_at END,
         CASE WHEN status IN ('completed', 'failed', 'cancelled') THEN updated_at ELSE NULL END
  FROM jobs;
DROP TABLE jobs;
ALTER TABLE jobs_next RENAME TO jobs;
CREATE INDEX jobs_project ON jobs (project_id, created_at);
CREATE INDEX jobs_status ON jobs (status);
CREATE INDEX jobs_kind ON jobs (kind, created_at);
CREATE INDEX jobs_subject ON jobs (subject_id);

CREATE TABLE job_errors (
  job_id   TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
  seq      INTEGER NOT NULL CHECK (seq >= 0),
  file     TEXT NOT NULL,
  code     TEXT NOT NULL,
  message  TEXT NOT NULL,
  PRIMARY KEY (job_id, seq)
) WITHOUT ROWID;
`,
};
