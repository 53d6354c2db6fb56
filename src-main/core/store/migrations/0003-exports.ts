import type { Migration } from './migration.js';

/**
 * Exports (issue 4): a run's checkpoint packaged as a ZIP under `<project>/exports/<id>.zip`.
 * Rows go with their project; a deleted run or experiment leaves its exports (the ZIP stands on
 * its own), so those columns are plain ids, not foreign keys.
 */
export const migration0003: Migration = {
  version: 3,
  name: 'exports',
  up: `
CREATE TABLE exports (
  id             TEXT PRIMARY KEY,
  project_id     TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  experiment_id  TEXT NOT NULL,
  run_id         TEXT NOT NULL,
  checkpoint     TEXT NOT NULL CHECK (checkpoint IN ('best', 'last')),
  format         TEXT NOT NULL,
  options        TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(options)),
  status         TEXT NOT NULL CHECK (status IN ('pending', 'running', 'completed', 'failed')),
  message        TEXT,
  size_bytes     INTEGER,
  created_at     TEXT NOT NULL,
  finished_at    TEXT
);
CREATE INDEX exports_project ON exports (project_id, created_at);
`,
};
