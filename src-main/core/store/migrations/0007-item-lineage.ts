import type { Migration } from './migration.js';

/**
 * Lineage of derived items (the audio portal's augmented copies): `source_item_id` is the root
 * original a copy was made from (a copy of a copy names the root, so lineage is one level deep)
 * and `augmentation` the recipe that made it. Splits group a copy with its root, so no copy of a
 * test item is ever trained on.
 *
 * Deleting a source deletes its copies (ON DELETE CASCADE): a copy is derived data, and one left
 * behind without its source could land in any subset the next time a split is drawn.
 *
 * `excluded` marks an original left out by undersampling: kept, never destroyed, assigned to no
 * subset of any new split, and included again by clearing the flag.
 *
 * Imports write rows in their own transaction, so lineage cannot be set by a later UPDATE
 * without a moment where a split could see a copy as an original. Instead the caller records
 * the copy's content hash in `item_lineage_pending` before importing, and a trigger moves the
 * lineage onto the row in the same statement that inserts it.
 */
export const migration0007: Migration = {
  version: 7,
  name: 'item-lineage',
  up: `
ALTER TABLE dataset_items ADD COLUMN source_item_id INTEGER
  REFERENCES dataset_items(id) ON DELETE CASCADE;
ALTER TABLE dataset_items ADD COLUMN augmentation TEXT
  CHECK (augmentation IS NULL OR json_valid(augmentation));
ALTER TABLE dataset_items ADD COLUMN excluded INTEGER NOT NULL DEFAULT 0
  CHECK (excluded IN (0, 1));
CREATE INDEX dataset_items_source ON dataset_items (source_item_id);

CREATE TABLE item_lineage_pending (
  project_id      TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  hash            TEXT NOT NULL,
  source_item_id  INTEGER NOT NULL REFERENCES dataset_items(id) ON DELETE CASCADE,
  augmentation    TEXT NOT NULL CHECK (json_valid(augmentation)),
  PRIMARY KEY (project_id, hash)
) WITHOUT ROWID;

CREATE TRIGGER dataset_items_lineage AFTER INSERT ON dataset_items
WHEN EXISTS (SELECT 1 FROM item_lineage_pending p
             WHERE p.project_id = NEW.project_id AND p.hash = NEW.hash)
BEGIN
  UPDATE dataset_items SET
    source_item_id = (SELECT p.source_item_id FROM item_lineage_pending p
                      WHERE p.project_id = NEW.project_id AND p.hash = NEW.hash),
    augmentation = (SELECT p.augmentation FROM item_lineage_pending p
                    WHERE p.project_id = NEW.project_id AND p.hash = NEW.hash)
  WHERE id = NEW.id;
  DELETE FROM item_lineage_pending WHERE project_id = NEW.project_id AND hash = NEW.hash;
END;
`,
};
