import type { Migration } from './migration.js';

/**
 * Issue 13. Runs get names: a number within their experiment, so a run reads `<experiment> #n`
 * instead of its id, and an optional name a person gave it. Existing runs are numbered in the
 * order they were made; a number is never reused after a delete, so a name stays with its run.
 *
 * Curation: `item_changes` records every relabel and delete of dataset items (what each item was
 * before, so the last change can be undone, and so a change to data a run used is on record).
 * `run_items` holds the label each item had when a run was made: a run resumed after its items
 * were relabelled trains on the labels it started with, and its record says what it trained on.
 */
export const migration0008: Migration = {
  version: 8,
  name: 'run-names-curation',
  up: `
ALTER TABLE runs ADD COLUMN number INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN name TEXT CHECK (name IS NULL OR length(trim(name)) > 0);
UPDATE runs SET number = (
  SELECT COUNT(*) FROM runs r2
  WHERE r2.experiment_id = runs.experiment_id
    AND (r2.created_at < runs.created_at OR (r2.created_at = runs.created_at AND r2.id <= runs.id))
);

CREATE TABLE item_changes (
  id          INTEGER PRIMARY KEY,
  project_id  TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  kind        TEXT NOT NULL CHECK (kind IN ('relabel', 'delete')),
  -- relabel: [{item_id, filename, before, after}]; delete: {items: [row…], assignments: [row…]}.
  detail      TEXT NOT NULL CHECK (json_valid(detail)),
  item_count  INTEGER NOT NULL,
  -- Past runs that had trained on the changed items when the change was made.
  runs_using  INTEGER NOT NULL DEFAULT 0,
  created_at  TEXT NOT NULL,
  undone_at   TEXT
);
CREATE INDEX item_changes_project ON item_changes (project_id, id);

CREATE TABLE run_items (
  run_id      TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  item_id     INTEGER NOT NULL,
  class_name  TEXT,
  PRIMARY KEY (run_id, item_id)
) WITHOUT ROWID;
`,
};
