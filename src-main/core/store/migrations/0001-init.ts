import type { Migration } from './migration.js';

/**
 * The foundation: projects, their dataset items, splits and background jobs.
 * Later workflows add their own tables in their own migrations (experiments, runs, evaluations, exports,
 * inspection results, wake-word models); `projects.settings` holds per-project options that need no column.
 */
export const migration0001: Migration = {
  version: 1,
  name: 'init',
  up: `
CREATE TABLE projects (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  task        TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  settings    TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(settings))
);

CREATE TABLE dataset_items (
  id           INTEGER PRIMARY KEY,
  project_id   TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  filename     TEXT NOT NULL,
  class_name   TEXT,
  media_kind   TEXT NOT NULL CHECK (media_kind IN ('image', 'audio', 'table')),
  mime         TEXT NOT NULL,
  size         INTEGER NOT NULL,
  hash         TEXT NOT NULL,
  blob_path    TEXT NOT NULL,
  thumb_path   TEXT,
  width        INTEGER,
  height       INTEGER,
  duration     REAL,
  sample_rate  INTEGER,
  channels     INTEGER,
  rows         INTEGER,
  columns      INTEGER,
  waveform     TEXT CHECK (waveform IS NULL OR json_valid(waveform)),
  status       TEXT NOT NULL DEFAULT 'ready' CHECK (status IN ('ready', 'error')),
  created_at   TEXT NOT NULL,
  UNIQUE (project_id, filename)
);
CREATE INDEX dataset_items_project_hash ON dataset_items (project_id, hash);
CREATE INDEX dataset_items_project_class ON dataset_items (project_id, class_name);

CREATE TABLE splits (
  id          INTEGER PRIMARY KEY,
  project_id  TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  idx         INTEGER NOT NULL,
  name        TEXT NOT NULL,
  ratios      TEXT NOT NULL CHECK (json_valid(ratios)),
  seed        INTEGER NOT NULL,
  stratify    INTEGER NOT NULL CHECK (stratify IN (0, 1)),
  created_at  TEXT NOT NULL,
  UNIQUE (project_id, idx)
);

CREATE TABLE split_assignments (
  split_id  INTEGER NOT NULL REFERENCES splits(id) ON DELETE CASCADE,
  item_id   INTEGER NOT NULL REFERENCES dataset_items(id) ON DELETE CASCADE,
  subset    TEXT NOT NULL CHECK (subset IN ('train', 'val', 'test', 'none')),
  PRIMARY KEY (split_id, item_id)
) WITHOUT ROWID;
-- Deleting an item cascades here; this index keeps that from scanning every split.
CREATE INDEX split_assignments_item ON split_assignments (item_id);

CREATE TABLE jobs (
  id          TEXT PRIMARY KEY,
  kind        TEXT NOT NULL,
  project_id  TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  status      TEXT NOT NULL CHECK (status IN ('pending', 'running', 'completed', 'failed', 'cancelled')),
  done        INTEGER NOT NULL DEFAULT 0,
  total       INTEGER NOT NULL DEFAULT 0,
  message     TEXT NOT NULL DEFAULT '',
  result      TEXT CHECK (result IS NULL OR json_valid(result)),
  error       TEXT,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
);
CREATE INDEX jobs_project ON jobs (project_id, created_at);
CREATE INDEX jobs_status ON jobs (status);
`,
};
