import type { Migration } from './migration.js';

/**
 * Evaluations (issue 4): a run's checkpoint measured on a split subset. Metrics live in the row;
 * per-item results in `<project>/evaluations/<id>.json` (written atomically), read for paging.
 */
export const migration0004: Migration = {
  version: 4,
  name: 'evaluations',
  up: `
CREATE TABLE evaluations (
  id             TEXT PRIMARY KEY,
  project_id     TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  experiment_id  TEXT NOT NULL,
  run_id         TEXT NOT NULL,
  checkpoint     TEXT NOT NULL CHECK (checkpoint IN ('best', 'last')),
  split_index    INTEGER NOT NULL CHECK (split_index >= 0),
  split_subset   TEXT NOT NULL CHECK (split_subset IN ('train', 'val', 'test')),
  batch_size     INTEGER NOT NULL CHECK (batch_size > 0),
  kind           TEXT NOT NULL CHECK (kind IN ('classification', 'regression')),
  status         TEXT NOT NULL CHECK (status IN ('pending', 'running', 'completed', 'failed')),
  item_count     INTEGER NOT NULL DEFAULT 0,
  message        TEXT,
  metrics        TEXT CHECK (metrics IS NULL OR json_valid(metrics)),
  created_at     TEXT NOT NULL,
  finished_at    TEXT
);
CREATE INDEX evaluations_project ON evaluations (project_id, created_at);
`,
};
