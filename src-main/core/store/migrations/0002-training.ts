import type { Migration } from './migration.js';

/**
 * Training (issue 3): experiments (a named, resolved config over one split), their runs, and one
 * row per completed epoch. `run_epochs` is keyed by (run_id, epoch) and written with
 * insert-or-ignore, so an epoch reported twice (a resumed run re-announcing its checkpoint's last
 * epoch) is stored once and its first metrics are kept.
 */
export const migration0002: Migration = {
  version: 2,
  name: 'training',
  up: `
CREATE TABLE experiments (
  id           TEXT PRIMARY KEY,
  project_id   TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  name         TEXT NOT NULL,
  split_index  INTEGER NOT NULL CHECK (split_index >= 0),
  config       TEXT NOT NULL CHECK (json_valid(config)),
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL
);
CREATE INDEX experiments_project ON experiments (project_id, created_at);

CREATE TABLE runs (
  id             TEXT PRIMARY KEY,
  experiment_id  TEXT NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
  project_id     TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  -- The split it trains on, by row id: split indexes shift when an earlier split is deleted.
  split_id       INTEGER REFERENCES splits(id) ON DELETE SET NULL,
  status         TEXT NOT NULL
                   CHECK (status IN ('pending', 'running', 'completed', 'failed', 'stopped', 'interrupted')),
  config         TEXT NOT NULL CHECK (json_valid(config)),
  classes        TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(classes)),
  backend        TEXT,
  device         TEXT,
  created_at     TEXT NOT NULL,
  started_at     TEXT,
  finished_at    TEXT,
  message        TEXT,
  best           TEXT CHECK (best IS NULL OR json_valid(best)),
  last           TEXT CHECK (last IS NULL OR json_valid(last)),
  progress       TEXT CHECK (progress IS NULL OR json_valid(progress))
);
CREATE INDEX runs_experiment ON runs (experiment_id, created_at);
CREATE INDEX runs_project ON runs (project_id, created_at);
CREATE INDEX runs_status ON runs (status);
CREATE INDEX runs_split ON runs (split_id);

CREATE TABLE run_epochs (
  run_id      TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  epoch       INTEGER NOT NULL CHECK (epoch >= 1),
  metrics     TEXT NOT NULL CHECK (json_valid(metrics)),
  created_at  TEXT NOT NULL,
  PRIMARY KEY (run_id, epoch)
) WITHOUT ROWID;
`,
};
