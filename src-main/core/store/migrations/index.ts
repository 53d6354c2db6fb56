import { migration0001 } from './0001-init.js';
import { migration0002 } from './0002-training.js';
import { migration0003 } from './0003-exports.js';
import { migration0004 } from './0004-evaluations.js';
import { migration0005 } from './0005-experiment-split-ids.js';
import { migration0006 } from './0006-jobs.js';
import { migration0007 } from './0007-item-lineage.js';
import { migration0008 } from './0008-run-names-curation.js';
import type { Migration } from './migration.js';

export type { Migration } from './migration.js';

/**
 * Every migration, in order. Adding one: write `NNNN-name.ts` exporting a `Migration` with the next
 * version, append it here, and add `tests/core/store-migration-NNNN.test.ts` (migrate to N-1, insert,
 * migrate, assert).
 */
export const migrations: readonly Migration[] = [
  migration0001,
  migration0002,
  migration0003,
  migration0004,
  migration0005,
  migration0006,
  migration0007,
  migration0008,
];
