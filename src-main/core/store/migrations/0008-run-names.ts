import type { Migration } from './migration.js';

/**
 * Runs get names (issue 13): a number within their experiment, so a run reads `<experiment> #n`
 * instead of its id, and an optional name a person gave it. Existing runs are numbered in the
 * order they were made. The number is never reused after a delete, so a name stays with its run.
 */
export const migration0008: Migration = {
  version: 8,
  name: 'run-names',
  up: `
ALTER TABLE runs ADD COLUMN number INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN name TEXT CHECK (name IS NULL OR length(trim(name)) > 0);
UPDATE runs SET number = (
  SELECT COUNT(*) FROM runs r2
  WHERE r2.experiment_id = runs.experiment_id
    AND (r2.created_at < runs.created_at OR (r2.created_at = runs.created_at AND r2.id <= runs.id))
);
`,
};
