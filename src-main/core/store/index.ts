export { openDatabase, type Db } from './database.js';
export { migrate, migrationChecksum, schemaVersion, MigrationError } from './migrator.js';
export { migrations, type Migration } from './migrations/index.js';
export { openStore, type Store, type OpenStoreOptions } from './store.js';
export * from './repos/types.js';
export * from './repos/training-types.js';
export type {
  ExportPatch,
  ExportRecord,
  ExportStatusValue,
  ExportsRepo,
} from './repos/exports-repo.js';
export type {
  EvalStatusValue,
  EvaluationPatch,
  EvaluationRecord,
  EvaluationsRepo,
} from './repos/evaluations-repo.js';
