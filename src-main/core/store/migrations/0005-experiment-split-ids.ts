import type { Migration } from './migration.js';

/**
 * Experiments name their split by its row id, not its index: indexes shift down when an earlier
 * split is deleted, and an experiment on split 1 then trained on what had been split 2, silently.
 * `split_id` is set to NULL when that split is deleted (a run of the experiment is then refused,
 * naming the split by `split_name`, the name it had when the experiment last chose it).
 * Existing experiments get the split their index points at now. Runs keep the name of the split
 * they trained on too, so a run still says what it was trained on after that split is gone.
 */
export const migration0005: Migration = {
  version: 5,
  name: 'experiment-split-ids',
  foreignKeysOff: true,
  up: `
CREATE TABLE experiments_new (
  id           TEXT PRIMARY KEY,
  project_id   TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  name         TEXT NOT NULL,
  split_id     INTEGER REFERENCES splits(id) ON DELETE SET NULL,
  split_name   TEXT,
  config       TEXT NOT NULL CHECK (json_valid(config)),
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL
);
INSERT INTO experiments_new (id, project_id, name, split_id, split_name, config, created_at, updated_at)
  SELECT e.id, e.project_id, e.name, s.id, s.name, e.config, e.created_at, e.updated_at
  FROM experiments e LEFT JOIN splits s ON s.project_id = e.project_id AND s.idx = e.split_index;
DROP TABLE experiments;
ALTER TABLE experiments_new RENAME TO experiments;
CREATE INDEX experiments_project ON experiments (project_id, created_at);
CREATE INDEX experiments_split ON experiments (split_id);

ALTER TABLE runs ADD COLUMN split_name TEXT;
UPDATE runs SET split_name = (SELECT s.name FROM splits s WHERE s.id = runs.split_id);
`,
};
